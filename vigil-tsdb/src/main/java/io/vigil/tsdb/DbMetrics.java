package io.vigil.tsdb;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** Self-metrics of the block layer: loading, compaction, retention, corruption. */
final class DbMetrics {
  final Counter compactions;
  final Counter compactionsFailed;
  final Counter headCompactions;
  final Histogram compactionDuration;
  final Counter timeRetentions;
  final Counter sizeRetentions;
  final Counter corruptBlocks;
  final Counter reloads;
  final Counter reloadsFailed;
  private final PrometheusRegistry registry;

  DbMetrics(PrometheusRegistry registry) {
    this.registry = registry;
    compactions = counter("vigil_tsdb_compactions_total", "Block compactions (merging blocks or rewriting one), head compactions excluded.");
    compactionsFailed = counter("vigil_tsdb_compactions_failed_total", "Compactions (head or block) that failed.");
    headCompactions = counter("vigil_tsdb_head_compactions_total", "Blocks cut from the head.");
    compactionDuration = Histogram.builder().name("vigil_tsdb_compaction_duration_seconds")
        .help("Duration of head and block compactions.")
        .classicUpperBounds(0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900).register(registry);
    timeRetentions = counter("vigil_tsdb_time_retentions_total", "Blocks deleted because of the time retention.");
    sizeRetentions = counter("vigil_tsdb_size_retentions_total", "Blocks deleted because of the size retention.");
    corruptBlocks = counter("vigil_tsdb_corrupt_blocks_total", "Blocks that failed verification and were moved aside.");
    reloads = counter("vigil_tsdb_reloads_total", "Reloads of the block list.");
    reloadsFailed = counter("vigil_tsdb_reloads_failures_total", "Reloads of the block list that failed.");
  }

  private Counter counter(String name, String help) {
    return Counter.builder().name(name).help(help).register(registry);
  }

  void registerGauges(Tsdb db) {
    gauge("vigil_tsdb_blocks_loaded", "Blocks being served.", () -> db.blocks().size());
    gauge("vigil_tsdb_storage_blocks_bytes", "Bytes of the blocks being served.",
        () -> db.blocks().stream().mapToLong(b -> b.sizeBytes()).sum());
    gauge("vigil_tsdb_lowest_timestamp_seconds", "Oldest sample time the TSDB may hold.", () -> {
      long t = db.startTimeMs();
      return t == Long.MIN_VALUE ? Double.NaN : t / 1000.0;
    });
    gauge("vigil_tsdb_retention_limit_seconds", "Time retention; 0 when disabled.", () -> db.options().retentionMs() / 1000.0);
    gauge("vigil_tsdb_retention_limit_bytes", "Size retention; 0 when disabled.", () -> db.options().retentionBytes());
    gauge("vigil_tsdb_ready", "1 once the WAL has been replayed and the TSDB serves reads and writes.", () -> db.isReady() ? 1 : 0);
  }

  private void gauge(String name, String help, java.util.function.DoubleSupplier value) {
    GaugeWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsDouble())).register(registry);
  }
}
