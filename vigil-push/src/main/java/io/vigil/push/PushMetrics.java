package io.vigil.push;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.DoubleSupplier;

/** Self-metrics of the push subsystem ({@code vigil_push_*}), registered in the registry given. */
final class PushMetrics {
  private final PrometheusRegistry registry;
  private final Counter requests;
  private final Counter corrupt;
  private final Counter compactions;
  private final Histogram fsyncDuration;
  private final Counter expired;
  private final Counter sampleRounds;
  private final Counter samplesAppended;
  private final Counter sampleErrors;

  PushMetrics(PrometheusRegistry registry) {
    this.registry = registry;
    requests = Counter.builder().name("vigil_push_requests_total")
        .help("Push API changes by method (put, post, delete, wipe) and outcome (success, invalid, inconsistent, unavailable).")
        .labelNames("method", "outcome").register(registry);
    corrupt = Counter.builder().name("vigil_push_journal_corrupt_records_total")
        .help("Damaged regions found in the push journal at replay (torn tails of the newest segment not included).")
        .register(registry);
    compactions = Counter.builder().name("vigil_push_journal_compactions_total")
        .help("Push journal compactions into a snapshot, by result.").labelNames("result").register(registry);
    fsyncDuration = Histogram.builder().name("vigil_push_journal_fsync_duration_seconds")
        .help("Duration of the push journal's fsyncs; each covers every change that waited for it.")
        // 100 µs (NVMe) to 1 s (a busy spinning disk): where fsyncs of small appends land.
        .classicOnly().classicUpperBounds(0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1)
        .register(registry);
    expired = Counter.builder().name("vigil_push_groups_expired_total")
        .help("Groups deleted because they were not pushed to within their TTL.").register(registry);
    sampleRounds = Counter.builder().name("vigil_push_sample_rounds_total")
        .help("Times pushed groups were sampled into the storage, by kind (interval, push).")
        .labelNames("kind").register(registry);
    samplesAppended = Counter.builder().name("vigil_push_samples_appended_total")
        .help("Samples of pushed groups appended to the storage, staleness markers included.").register(registry);
    sampleErrors = Counter.builder().name("vigil_push_sample_errors_total")
        .help("Samples or commits of pushed groups the storage rejected, by reason.")
        .labelNames("reason").register(registry);
  }

  /** Registers gauges read when the registry is scraped. */
  void gauges(DoubleSupplier groups, DoubleSupplier series, DoubleSupplier journalBytes) {
    GaugeWithCallback.builder().name("vigil_push_groups").help("Groups held by the push store.")
        .callback(cb -> cb.call(groups.getAsDouble())).register(registry);
    GaugeWithCallback.builder().name("vigil_push_series").help("Series held by the push store (families × label sets).")
        .callback(cb -> cb.call(series.getAsDouble())).register(registry);
    GaugeWithCallback.builder().name("vigil_push_journal_size_bytes")
        .help("Bytes of push journal segments written since the last snapshot.")
        .callback(cb -> cb.call(journalBytes.getAsDouble())).register(registry);
  }

  void request(String method, String outcome) {
    requests.labelValues(method, outcome).inc();
  }

  void journalCorruption() {
    corrupt.inc();
  }

  void compaction(boolean ok) {
    compactions.labelValues(ok ? "success" : "failure").inc();
  }

  void fsync(long nanos) {
    fsyncDuration.observe(nanos / 1e9);
  }

  void expired(int n) {
    expired.inc(n);
  }

  void sampleRound(boolean interval, int samples) {
    sampleRounds.labelValues(interval ? "interval" : "push").inc();
    samplesAppended.inc(samples);
  }

  void sampleError(String reason) {
    sampleErrors.labelValues(reason).inc();
  }
}
