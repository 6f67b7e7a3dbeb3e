package io.vigil.scrape;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Summary;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The scrape manager's self-metrics: Prometheus's {@code prometheus_target_*} names with the
 * {@code vigil_} prefix, registered in the registry the caller passes.
 */
public final class ScrapeMetrics {
  final Summary intervalLength;
  final Counter poolsTotal;
  final Counter poolsFailed;
  final Counter poolReloads;
  final Counter poolReloadsFailed;
  final Counter poolExceededTargetLimit;
  final Gauge poolTargets;
  final Counter poolSyncs;
  final Summary syncLength;
  final Counter syncFailed;
  final Counter cacheFlushForced;
  final Counter exceededBodySizeLimit;
  final Counter exceededSampleLimit;
  final Counter exceededLabelLimits;
  final Counter sampleOutOfOrder;
  final Counter sampleDuplicate;
  final Counter sampleOutOfBounds;

  public ScrapeMetrics(PrometheusRegistry registry) {
    intervalLength = Summary.builder().name("vigil_target_interval_length_seconds")
        .help("Actual intervals between scrapes.").labelNames("interval")
        .quantile(0.01, 0.001).quantile(0.05, 0.005).quantile(0.5, 0.05).quantile(0.9, 0.01).quantile(0.99, 0.001)
        .register(registry);
    poolsTotal = counter(registry, "vigil_target_scrape_pools_total", "Total number of scrape pool creation attempts.");
    poolsFailed = counter(registry, "vigil_target_scrape_pools_failed_total", "Total number of scrape pool creations that failed.");
    poolReloads = counter(registry, "vigil_target_scrape_pool_reloads_total", "Total number of scrape pool reloads.");
    poolReloadsFailed = counter(registry, "vigil_target_scrape_pool_reloads_failed_total",
        "Total number of failed scrape pool reloads.");
    poolExceededTargetLimit = counter(registry, "vigil_target_scrape_pool_exceeded_target_limit_total",
        "Total number of times scrape pools hit the target limit, during sync or config reload.");
    poolTargets = Gauge.builder().name("vigil_target_scrape_pool_targets")
        .help("Current number of targets in this scrape pool.").labelNames("scrape_job").register(registry);
    poolSyncs = Counter.builder().name("vigil_target_scrape_pool_sync_total")
        .help("Total number of syncs that were executed on a scrape pool.").labelNames("scrape_job").register(registry);
    syncLength = Summary.builder().name("vigil_target_sync_length_seconds")
        .help("Actual interval to sync the scrape pool.").labelNames("scrape_job")
        .quantile(0.01, 0.001).quantile(0.05, 0.005).quantile(0.5, 0.05).quantile(0.9, 0.01).quantile(0.99, 0.001)
        .register(registry);
    syncFailed = Counter.builder().name("vigil_target_sync_failed_total")
        .help("Total number of target sync failures.").labelNames("scrape_job").register(registry);
    cacheFlushForced = counter(registry, "vigil_target_scrapes_cache_flush_forced_total",
        "How many times a scrape cache was flushed due to getting big while scrapes are failing.");
    exceededBodySizeLimit = counter(registry, "vigil_target_scrapes_exceeded_body_size_limit_total",
        "Total number of scrapes that hit the body size limit");
    exceededSampleLimit = counter(registry, "vigil_target_scrapes_exceeded_sample_limit_total",
        "Total number of scrapes that hit the sample limit and were rejected.");
    exceededLabelLimits = counter(registry, "vigil_target_scrape_pool_exceeded_label_limits_total",
        "Total number of times scrape pools hit the label limits, during sync or config reload.");
    sampleOutOfOrder = counter(registry, "vigil_target_scrapes_sample_out_of_order_total",
        "Total number of samples rejected due to not being out of the expected order.");
    sampleDuplicate = counter(registry, "vigil_target_scrapes_sample_duplicate_timestamp_total",
        "Total number of samples rejected due to duplicate timestamps but different values.");
    sampleOutOfBounds = counter(registry, "vigil_target_scrapes_sample_out_of_bounds_total",
        "Total number of samples rejected due to timestamp falling outside of the time bounds.");
  }

  private static Counter counter(PrometheusRegistry registry, String name, String help) {
    return Counter.builder().name(name).help(help).register(registry);
  }
}
