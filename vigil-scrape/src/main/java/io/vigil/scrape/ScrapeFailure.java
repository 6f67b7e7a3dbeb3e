package io.vigil.scrape;

/**
 * Why a scrape failed, worded as Prometheus words it; the message becomes the target's
 * {@code lastError}. No stack trace: failures are expected and frequent.
 */
final class ScrapeFailure extends Exception {
  ScrapeFailure(String message) {
    super(message, null, false, false);
  }
}
