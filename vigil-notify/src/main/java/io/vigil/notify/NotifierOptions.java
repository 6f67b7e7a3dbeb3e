package io.vigil.notify;

import java.time.Duration;

/**
 * Settings of a {@link Notifier}; the server fills them from flags. Use {@link #DEFAULTS} and the
 * with-ers.
 *
 * @param queueCapacity alerts waiting per Alertmanager before the oldest are dropped
 *     (--alertmanager.notification-queue-capacity, 10,000)
 * @param maxBatchSize alerts per request (64, Prometheus's fixed batch size)
 * @param sendRetries extra attempts for a batch whose request failed, before its alerts count as
 *     dropped (2). Prometheus does not retry; the rule manager resends active alerts every resend
 *     delay anyway, so retries only bridge short Alertmanager restarts.
 * @param retryBackoff wait before the first retry, doubled for each further one (1s)
 * @param drainOnShutdown whether {@link Notifier#close()} first tries to send what is queued
 *     (--alertmanager.drain-notification-queue-on-shutdown, true)
 * @param discoveryUpdateInterval how often discovered Alertmanager changes are applied at most
 *     (Prometheus's 5s); the first discovery result is applied at once
 * @param userAgent the User-Agent header of requests to Alertmanager
 */
public record NotifierOptions(int queueCapacity, int maxBatchSize, int sendRetries, Duration retryBackoff,
    boolean drainOnShutdown, Duration discoveryUpdateInterval, String userAgent) {
  public static final NotifierOptions DEFAULTS = new NotifierOptions(10_000, 64, 2, Duration.ofSeconds(1), true,
      Duration.ofSeconds(5), "Vigil");

  public NotifierOptions {
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("queue capacity must be at least 1, got " + queueCapacity);
    }
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException("max batch size must be at least 1, got " + maxBatchSize);
    }
    if (sendRetries < 0) {
      throw new IllegalArgumentException("send retries must not be negative, got " + sendRetries);
    }
    if (retryBackoff.isNegative() || discoveryUpdateInterval.isNegative()) {
      throw new IllegalArgumentException("durations must not be negative");
    }
  }

  public NotifierOptions withQueueCapacity(int n) {
    return new NotifierOptions(n, maxBatchSize, sendRetries, retryBackoff, drainOnShutdown, discoveryUpdateInterval,
        userAgent);
  }

  public NotifierOptions withMaxBatchSize(int n) {
    return new NotifierOptions(queueCapacity, n, sendRetries, retryBackoff, drainOnShutdown, discoveryUpdateInterval,
        userAgent);
  }

  public NotifierOptions withSendRetries(int n, Duration backoff) {
    return new NotifierOptions(queueCapacity, maxBatchSize, n, backoff, drainOnShutdown, discoveryUpdateInterval,
        userAgent);
  }

  public NotifierOptions withDrainOnShutdown(boolean b) {
    return new NotifierOptions(queueCapacity, maxBatchSize, sendRetries, retryBackoff, b, discoveryUpdateInterval,
        userAgent);
  }

  public NotifierOptions withDiscoveryUpdateInterval(Duration d) {
    return new NotifierOptions(queueCapacity, maxBatchSize, sendRetries, retryBackoff, drainOnShutdown, d, userAgent);
  }

  public NotifierOptions withUserAgent(String ua) {
    return new NotifierOptions(queueCapacity, maxBatchSize, sendRetries, retryBackoff, drainOnShutdown,
        discoveryUpdateInterval, ua);
  }
}
