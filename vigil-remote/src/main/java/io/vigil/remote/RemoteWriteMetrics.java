package io.vigil.remote;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The receiver's self-metrics, registered in the registry the caller passes. */
final class RemoteWriteMetrics {
  private final Counter requests;
  final CounterDataPoint samplesReceived;
  private final CounterDataPoint[] rejected = new CounterDataPoint[Rejection.values().length];
  final CounterDataPoint exemplarsDropped;
  final CounterDataPoint metadataIgnored;
  private final Histogram duration;

  RemoteWriteMetrics(PrometheusRegistry registry) {
    requests = Counter.builder()
        .name("vigil_remote_write_requests_total")
        .help("Remote write requests received, by HTTP status code of the response.")
        .labelNames("code")
        .register(registry);
    samplesReceived = Counter.builder()
        .name("vigil_remote_write_samples_received_total")
        .help("Float and native histogram samples received in decodable remote write requests.")
        .register(registry)
        .labelValues();
    Counter rejectedCounter = Counter.builder()
        .name("vigil_remote_write_samples_rejected_total")
        .help("Received samples that were not stored, by reason.")
        .labelNames("reason")
        .register(registry);
    for (Rejection r : Rejection.values()) {
      rejected[r.ordinal()] = rejectedCounter.labelValues(r.label); // present at 0 from the start
    }
    exemplarsDropped = Counter.builder()
        .name("vigil_remote_write_exemplars_dropped_total")
        .help("Exemplars received and dropped: Vigil does not store exemplars yet.")
        .register(registry)
        .labelValues();
    metadataIgnored = Counter.builder()
        .name("vigil_remote_write_metadata_ignored_total")
        .help("Metric metadata entries received and ignored.")
        .register(registry)
        .labelValues();
    duration = Histogram.builder()
        .name("vigil_remote_write_request_duration_seconds")
        .help("Time to read, decode, store and commit a remote write request.")
        // A 2,000-sample request takes about a millisecond; commits wait for fsync (1-50 ms).
        .classicOnly()
        .classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10)
        .register(registry);
  }

  void rejected(Rejection reason, long n) {
    rejected[reason.ordinal()].inc(n);
  }

  void request(int status, long elapsedNanos) {
    requests.labelValues(Integer.toString(status)).inc();
    duration.observe(elapsedNanos / 1e9);
  }
}
