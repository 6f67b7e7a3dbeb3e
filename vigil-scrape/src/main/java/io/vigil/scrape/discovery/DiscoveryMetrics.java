package io.vigil.scrape.discovery;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Summary;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Discovery's self-metrics, Prometheus's {@code prometheus_sd_*} names with the {@code vigil_}
 * prefix. One instance per registry; shared by every discoverer of a manager.
 */
public final class DiscoveryMetrics {
  final Gauge discoveredTargets;
  final Counter receivedUpdates;
  final Counter updates;
  final Gauge failedConfigs;
  final Counter fileReadErrors;
  final Summary fileScanDuration;
  final Counter fileWatcherErrors;

  public DiscoveryMetrics(PrometheusRegistry registry) {
    discoveredTargets = Gauge.builder().name("vigil_sd_discovered_targets")
        .help("Current number of discovered targets.").labelNames("config", "name").register(registry);
    receivedUpdates = Counter.builder().name("vigil_sd_received_updates_total")
        .help("Total number of update events received from the SD providers.").labelNames("name").register(registry);
    updates = Counter.builder().name("vigil_sd_updates_total")
        .help("Total number of update events sent to the SD consumers.").labelNames("name").register(registry);
    failedConfigs = Gauge.builder().name("vigil_sd_failed_configs")
        .help("Current number of service discovery configurations that failed to load or are not supported.")
        .labelNames("name").register(registry);
    fileReadErrors = Counter.builder().name("vigil_sd_file_read_errors_total")
        .help("The number of File-SD read errors.").register(registry);
    fileScanDuration = Summary.builder().name("vigil_sd_file_scan_duration_seconds")
        .help("The duration of the File-SD scan in seconds.").quantile(0.5, 0.05).quantile(0.9, 0.01)
        .quantile(0.99, 0.001).register(registry);
    fileWatcherErrors = Counter.builder().name("vigil_sd_file_watcher_errors_total")
        .help("The number of File-SD errors caused by filesystem watch failures.").register(registry);
  }
}
