package io.vigil.tsdb.head;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The head's self-metrics, registered in the caller's registry. */
public final class HeadMetrics {
  final Counter samplesAppended;
  final Counter outOfOrderAppended;
  final Counter outOfOrder;
  final Counter outOfBounds;
  final Counter duplicates;
  final Counter seriesCreated;
  final Counter seriesRemoved;
  final Counter truncations;
  final Counter unknownReplayRefs;
  private final PrometheusRegistry registry;

  public HeadMetrics(PrometheusRegistry registry) {
    this.registry = registry;
    samplesAppended = counter("vigil_tsdb_head_samples_appended_total", "Samples appended to the head (in order and out of order).");
    outOfOrderAppended = counter("vigil_tsdb_head_out_of_order_samples_appended_total", "Samples accepted within the out-of-order window.");
    outOfOrder = counter("vigil_tsdb_out_of_order_samples_total", "Samples rejected for being older than their series' newest sample.");
    outOfBounds = counter("vigil_tsdb_out_of_bounds_samples_total", "Samples rejected for being older than the head's appendable window.");
    duplicates = counter("vigil_tsdb_duplicate_samples_total", "Samples rejected for repeating a timestamp with a different value.");
    seriesCreated = counter("vigil_tsdb_head_series_creations_total", "Series created in the head.");
    seriesRemoved = counter("vigil_tsdb_head_series_removals_total", "Series removed from the head by truncation.");
    truncations = counter("vigil_tsdb_head_truncations_total", "Head truncations after blocks were written.");
    unknownReplayRefs = counter("vigil_tsdb_wal_replay_unknown_refs_total", "Samples skipped during WAL replay because their series was unknown.");
  }

  private Counter counter(String name, String help) {
    return Counter.builder().name(name).help(help).register(registry);
  }

  /** Gauges computed from the head when scraped. */
  void registerGauges(Head head) {
    gauge("vigil_tsdb_head_series", "Series in the head.", head::numSeries);
    gauge("vigil_tsdb_head_chunks", "Chunks in the head, open ones included.", head::numChunks);
    gauge("vigil_tsdb_head_memory_bytes", "Estimated heap bytes held by the head: series, labels, chunks and index.",
        head::estimatedMemoryBytes);
    gauge("vigil_tsdb_head_bytes_per_series", "Estimated heap bytes per active series in the head.", () -> {
      long n = head.numSeries();
      return n == 0 ? 0 : (double) head.estimatedMemoryBytes() / n;
    });
    gauge("vigil_tsdb_head_min_time_seconds", "Oldest sample time in the head.", () -> seconds(head.minTime()));
    gauge("vigil_tsdb_head_max_time_seconds", "Newest sample time in the head.", () -> seconds(head.maxTime()));
  }

  private static double seconds(long ms) {
    return ms == Long.MIN_VALUE || ms == Long.MAX_VALUE ? Double.NaN : ms / 1000.0;
  }

  private void gauge(String name, String help, java.util.function.DoubleSupplier value) {
    GaugeWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsDouble())).register(registry);
  }
}
