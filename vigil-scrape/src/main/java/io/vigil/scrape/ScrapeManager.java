package io.vigil.scrape;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.config.Config;
import io.vigil.config.DiscoveryConfig;
import io.vigil.config.ScrapeConfig;
import io.vigil.config.TlsConfig;
import io.vigil.model.Labels;
import io.vigil.scrape.discovery.DiscoveryManager;
import io.vigil.scrape.discovery.DiscoveryMetrics;
import io.vigil.scrape.discovery.TargetGroup;
import io.vigil.storage.Appendable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.client.HttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scrapes what {@code scrape_configs} describe into an {@link Appendable}: the facade vigil-server
 * wires up (Prometheus's scrape manager plus its discovery manager). One pool per job, one virtual
 * thread per target; discovery runs behind {@link io.vigil.scrape.discovery.Discoverer}s.
 *
 * <p>{@link #applyConfig} may be called any number of times (config reloads): unchanged jobs are
 * untouched, changed jobs restart only the loops whose target or loop settings changed, removed jobs
 * stop with staleness markers. The query methods return snapshots for the HTTP API. Thread-safe.
 * Self-metrics go to the registry given (never the default one), so instances can coexist.
 */
public final class ScrapeManager implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ScrapeManager.class);

  private final Appendable storage;
  private final ScrapeOptions options;
  private final ScrapeMetrics metrics;
  private final HttpClients clients;
  private final DiscoveryManager discovery;
  private final Map<String, ScrapePool> pools = new LinkedHashMap<>();
  private final Set<ScrapeLoop> retiring = ConcurrentHashMap.newKeySet();
  private volatile List<ScrapePool> poolView = List.of();
  private boolean closed;

  public ScrapeManager(Appendable storage, ScrapeOptions options, PrometheusRegistry registry) {
    this(storage, options, registry, new DiscoveryMetrics(registry));
  }

  /**
   * A manager reporting its discovery in {@code discoveryMetrics} under the name "scrape": a process
   * whose notifier discovers Alertmanagers too shares one instance, as the metric names are the same.
   */
  public ScrapeManager(Appendable storage, ScrapeOptions options, PrometheusRegistry registry,
      DiscoveryMetrics discoveryMetrics) {
    this.storage = storage;
    this.options = options;
    this.metrics = new ScrapeMetrics(registry);
    this.clients = new HttpClients(options);
    this.discovery = new DiscoveryManager("scrape", options.discoveryUpdateIntervalMs(), discoveryMetrics,
        this::onTargetGroups);
  }

  /**
   * Makes the running jobs match {@code config}'s scrape configs. A job whose HTTP client cannot be
   * set up (an unreadable CA file, a bad key) is not started, or keeps running with its previous
   * configuration; the others are applied anyway.
   *
   * @throws IllegalArgumentException naming every job that could not be applied, after applying the rest
   */
  public synchronized void applyConfig(Config config) {
    if (closed) {
      throw new IllegalStateException("scrape manager is closed");
    }
    List<String> failures = new ArrayList<>();
    Map<String, List<DiscoveryConfig>> sd = new LinkedHashMap<>();
    Set<String> jobs = new HashSet<>();
    for (ScrapeConfig cfg : config.scrapeConfigs()) {
      String job = cfg.jobName();
      jobs.add(job);
      ScrapePool pool = pools.get(job);
      if (pool != null && pool.config().equals(cfg)) {
        sd.put(job, cfg.serviceDiscoveryConfigs());
        continue;
      }
      if (pool != null) {
        metrics.poolReloads.inc();
      } else {
        metrics.poolsTotal.inc();
      }
      HttpClient client;
      try {
        client = clients.get(cfg.httpClient().tlsConfig());
      } catch (Exception e) {
        (pool == null ? metrics.poolsFailed : metrics.poolReloadsFailed).inc();
        failures.add("job " + job + ": " + e.getMessage());
        log.error("cannot set up HTTP client for job {}: {}", job, e.toString());
        if (pool != null) {
          sd.put(job, pool.config().serviceDiscoveryConfigs());
        }
        continue;
      }
      ScrapeSettings settings = ScrapeSettings.of(cfg, options);
      if (pool == null) {
        pools.put(job, new ScrapePool(job, settings, client, storage, options, metrics, retiring));
      } else {
        pool.reload(settings, client);
      }
      sd.put(job, cfg.serviceDiscoveryConfigs());
    }
    for (var it = pools.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      if (!jobs.contains(e.getKey())) {
        e.getValue().stop();
        it.remove();
      }
    }
    poolView = List.copyOf(pools.values());
    discovery.applyConfig(sd);
    Set<TlsConfig> used = new HashSet<>();
    pools.values().forEach(p -> used.add(p.config().httpClient().tlsConfig()));
    clients.retainOnly(used);
    if (!failures.isEmpty()) {
      throw new IllegalArgumentException("could not apply scrape configs: " + String.join("; ", failures));
    }
  }

  private synchronized void onTargetGroups(Map<String, List<TargetGroup>> byJob) {
    if (closed) {
      return;
    }
    byJob.forEach((job, groups) -> {
      ScrapePool pool = pools.get(job);
      if (pool != null) {
        pool.sync(groups);
      }
    });
  }

  /** Every target being scraped, pools in configuration order. */
  public List<ActiveTarget> activeTargets() {
    List<ActiveTarget> out = new ArrayList<>();
    for (ScrapePool p : poolView) {
      for (ScrapeLoop l : p.loops()) {
        out.add(l.snapshot(options));
      }
    }
    return out;
  }

  /** Targets dropped by relabeling (at most keep_dropped_targets per job when that is set). */
  public List<DroppedTarget> droppedTargets() {
    List<DroppedTarget> out = new ArrayList<>();
    for (ScrapePool p : poolView) {
      out.addAll(p.dropped());
    }
    return out;
  }

  /** Dropped targets per job, counting those not kept in {@link #droppedTargets()}. */
  public Map<String, Integer> droppedTargetCounts() {
    Map<String, Integer> out = new TreeMap<>();
    for (ScrapePool p : poolView) {
      out.put(p.job, p.droppedCount());
    }
    return out;
  }

  /** Names of all configured jobs, sorted. */
  public List<String> scrapePools() {
    return poolView.stream().map(p -> p.job).sorted().toList();
  }

  /** Per active target, the metadata its recent scrapes reported. */
  public List<TargetMetadata> targetMetadata() {
    List<TargetMetadata> out = new ArrayList<>();
    for (ScrapePool p : poolView) {
      for (ScrapeLoop l : p.loops()) {
        out.add(new TargetMetadata(l.target.labels(), l.cache().metadata()));
      }
    }
    return out;
  }

  /** Metadata of one target, identified by its labels; empty if no such target. */
  public List<MetricMetadata> targetMetadata(Labels targetLabels) {
    for (ScrapePool p : poolView) {
      for (ScrapeLoop l : p.loops()) {
        if (l.target.labels().equals(targetLabels)) {
          return l.cache().metadata();
        }
      }
    }
    return List.of();
  }

  /**
   * All metadata of all active targets, one entry per target and family (so entries repeat; the
   * metadata API keeps each distinct type/help/unit once per metric).
   */
  public List<MetricMetadata> metadata() {
    List<MetricMetadata> out = new ArrayList<>();
    for (ScrapePool p : poolView) {
      for (ScrapeLoop l : p.loops()) {
        out.addAll(l.cache().metadata());
      }
    }
    return out;
  }

  /**
   * Stops discovery and every loop, without staleness markers (a restart resumes the same series),
   * and closes the HTTP clients. Waits for loops to finish their current scrape.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    discovery.close();
    synchronized (this) {
      pools.values().forEach(ScrapePool::shutdown);
      pools.clear();
      poolView = List.of();
    }
    for (ScrapeLoop l : List.copyOf(retiring)) {
      l.shutdown();
      l.join();
    }
    clients.close();
  }
}
