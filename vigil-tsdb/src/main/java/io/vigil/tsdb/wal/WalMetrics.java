package io.vigil.tsdb.wal;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The WAL's self-metrics, registered in the caller's registry. */
public final class WalMetrics {
  final Histogram fsyncDuration;
  final Counter writesFailed;
  final Counter bytesWritten;
  final Gauge currentSegment;
  public final Counter corruptions;
  public final Counter checkpoints;
  public final Counter checkpointsFailed;
  public final Gauge replayDuration;

  public WalMetrics(PrometheusRegistry registry) {
    fsyncDuration = Histogram.builder().name("vigil_tsdb_wal_fsync_duration_seconds")
        .help("Duration of WAL fsyncs; each one makes every commit written before it durable.")
        .classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5)
        .register(registry);
    writesFailed = Counter.builder().name("vigil_tsdb_wal_writes_failed_total")
        .help("WAL writes that failed (e.g. disk full); their commits failed and left nothing behind.").register(registry);
    bytesWritten = Counter.builder().name("vigil_tsdb_wal_written_bytes_total").help("Bytes written to the WAL.").register(registry);
    currentSegment = Gauge.builder().name("vigil_tsdb_wal_segment_current").help("Sequence number of the WAL segment being written.")
        .register(registry);
    corruptions = Counter.builder().name("vigil_tsdb_wal_corruptions_total")
        .help("Damaged WAL data found at startup and truncated (torn tails after crashes included).").register(registry);
    checkpoints = Counter.builder().name("vigil_tsdb_checkpoint_creations_total").help("WAL checkpoints created.").register(registry);
    checkpointsFailed = Counter.builder().name("vigil_tsdb_checkpoint_creations_failed_total").help("WAL checkpoints that failed.")
        .register(registry);
    replayDuration = Gauge.builder().name("vigil_tsdb_wal_replay_duration_seconds").help("Duration of the last WAL replay.")
        .register(registry);
  }
}
