package io.vigil.scrape;

import io.vigil.config.ScrapeConfig;

/**
 * What a scrape job's configuration means for each of its loops, computed once per configuration.
 *
 * @param config the job's configuration
 * @param acceptHeader built from {@code scrape_protocols}
 * @param credentials the Authorization header source
 * @param maxBodyBytes {@code body_size_limit}, or the manager's cap when unset
 */
record ScrapeSettings(ScrapeConfig config, String acceptHeader, Credentials credentials, long maxBodyBytes) {

  static ScrapeSettings of(ScrapeConfig cfg, ScrapeOptions options) {
    long limit = cfg.bodySizeLimit().isZero() ? options.maxBodyBytes() : cfg.bodySizeLimit().bytes();
    return new ScrapeSettings(cfg, ContentTypes.acceptHeader(cfg.scrapeProtocols()), new Credentials(cfg.httpClient()),
        limit);
  }

  boolean enableCompression() {
    return config.enableCompression();
  }

  boolean followRedirects() {
    return config.httpClient().followRedirects();
  }

  /**
   * Whether a loop running under {@code this} may keep running under {@code other}: everything a
   * loop uses apart from its target is equal. Discovery, target relabeling, target_limit and
   * keep_dropped_targets act on the pool, and interval, timeout, scheme, path and parameters are
   * part of the target's labels.
   */
  boolean sameForLoops(ScrapeSettings other) {
    ScrapeConfig a = config;
    ScrapeConfig b = other.config;
    return a.honorLabels() == b.honorLabels() && a.honorTimestamps() == b.honorTimestamps()
        && a.trackTimestampsStaleness() == b.trackTimestampsStaleness() && a.params().equals(b.params())
        && a.scrapeProtocols().equals(b.scrapeProtocols())
        && java.util.Objects.equals(a.fallbackScrapeProtocol(), b.fallbackScrapeProtocol())
        && a.enableCompression() == b.enableCompression() && a.bodySizeLimit().equals(b.bodySizeLimit())
        && a.sampleLimit() == b.sampleLimit() && a.labelLimit() == b.labelLimit()
        && a.labelNameLengthLimit() == b.labelNameLengthLimit() && a.labelValueLengthLimit() == b.labelValueLengthLimit()
        && a.httpClient().equals(b.httpClient()) && a.metricRelabelConfigs().equals(b.metricRelabelConfigs())
        && maxBodyBytes == other.maxBodyBytes;
  }
}
