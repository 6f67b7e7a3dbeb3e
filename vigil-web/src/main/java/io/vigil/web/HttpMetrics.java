package io.vigil.web;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** Per-handler request counts and latencies, named like Prometheus's prometheus_http_* metrics. */
final class HttpMetrics {
  private final Counter requests;
  private final Histogram duration;

  HttpMetrics(PrometheusRegistry registry) {
    requests = Counter.builder()
        .name("vigil_http_requests_total")
        .help("Counter of HTTP requests.")
        .labelNames("handler", "code")
        .register(registry);
    duration = Histogram.builder()
        .name("vigil_http_request_duration_seconds")
        .help("Histogram of latencies for HTTP requests.")
        .labelNames("handler")
        // Prometheus's buckets for the same metric: queries take 100 ms to minutes.
        .classicOnly()
        .classicUpperBounds(0.1, 0.2, 0.4, 1, 3, 8, 20, 60, 120)
        .register(registry);
  }

  void observe(String handler, int status, long elapsedNanos) {
    requests.labelValues(handler, Integer.toString(status)).inc();
    duration.labelValues(handler).observe(elapsedNanos / 1e9);
  }
}
