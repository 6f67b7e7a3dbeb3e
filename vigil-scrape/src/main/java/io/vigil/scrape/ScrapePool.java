package io.vigil.scrape;

import io.vigil.config.ScrapeConfig;
import io.vigil.model.Labels;
import io.vigil.scrape.discovery.TargetGroup;
import io.vigil.storage.Appendable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.client.HttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The targets of one scrape job and their loops (Prometheus's {@code scrapePool}). {@link #sync}
 * takes the job's current target groups, relabels them and makes the running loops match: a target
 * whose labels and loop settings are unchanged keeps its loop (no gap, no markers); a target whose
 * settings changed gets a new loop that inherits the old one's cache (no markers, and series the new
 * settings no longer produce go stale at its first scrape); a target that disappeared is stopped with
 * end-of-run staleness markers. Thread-safe.
 */
final class ScrapePool {
  private static final Logger log = LoggerFactory.getLogger(ScrapePool.class);

  final String job;
  private final Appendable storage;
  private final ScrapeOptions options;
  private final ScrapeMetrics metrics;
  private final java.util.Set<ScrapeLoop> retiring;
  private final ReentrantLock lock = new ReentrantLock();
  private ScrapeSettings settings;
  private HttpClient client;
  private List<TargetGroup> groups = List.of();
  private final Map<Labels, ScrapeLoop> loops = new LinkedHashMap<>();
  private volatile List<ScrapeLoop> activeView = List.of();
  private volatile List<DroppedTarget> droppedView = List.of();
  private volatile int droppedCount;

  /**
   * @param retiring told about loops stopped with end-of-run staleness, which outlive the pool's
   *     map until their markers are written; the manager shuts them down on close
   */
  ScrapePool(String job, ScrapeSettings settings, HttpClient client, Appendable storage, ScrapeOptions options,
      ScrapeMetrics metrics, java.util.Set<ScrapeLoop> retiring) {
    this.job = job;
    this.settings = settings;
    this.client = client;
    this.storage = storage;
    this.options = options;
    this.metrics = metrics;
    this.retiring = retiring;
  }

  ScrapeConfig config() {
    return settings.config();
  }

  /** A new configuration for this job: re-relabels the last groups and restarts what changed. */
  void reload(ScrapeSettings newSettings, HttpClient newClient) {
    lock.lock();
    try {
      this.settings = newSettings;
      this.client = newClient;
      apply();
    } finally {
      lock.unlock();
    }
  }

  /** The job's current target groups from discovery. */
  void sync(List<TargetGroup> newGroups) {
    lock.lock();
    try {
      this.groups = List.copyOf(newGroups);
      apply();
    } finally {
      lock.unlock();
    }
  }

  private void apply() {
    long start = System.nanoTime();
    metrics.poolSyncs.labelValues(job).inc();
    ScrapeConfig cfg = settings.config();
    Map<Labels, Target> wanted = new LinkedHashMap<>();
    List<DroppedTarget> dropped = new ArrayList<>();
    int[] droppedTotal = {0};
    for (TargetGroup g : groups) {
      TargetBuilder.buildAll(g, cfg, result -> {
        switch (result) {
          case TargetBuilder.Active a -> wanted.putIfAbsent(a.target().fullLabels(), a.target());
          case TargetBuilder.Dropped d -> {
            droppedTotal[0]++;
            if (cfg.keepDroppedTargets() == 0 || dropped.size() < cfg.keepDroppedTargets()) {
              dropped.add(new DroppedTarget(d.discoveredLabels(), job));
            }
          }
          case TargetBuilder.Failed f -> {
            metrics.syncFailed.labelValues(job).inc();
            log.error("creating target failed for job {}, labels {}: {}", job, f.discoveredLabels(), f.error());
          }
        }
      });
    }
    String forced = null;
    if (cfg.targetLimit() > 0 && wanted.size() > cfg.targetLimit()) {
      forced = "target_limit exceeded (number of targets: " + wanted.size() + ", limit: " + cfg.targetLimit() + ")";
      metrics.poolExceededTargetLimit.inc();
    }
    // Stop loops whose target is gone first: their markers are written ~2 intervals from now.
    for (var it = loops.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      if (!wanted.containsKey(e.getKey())) {
        ScrapeLoop l = e.getValue();
        retiring.add(l);
        l.stop(true);
        it.remove();
      }
    }
    Map<Labels, ScrapeLoop> next = new LinkedHashMap<>();
    for (Target t : wanted.values()) {
      ScrapeLoop old = loops.get(t.fullLabels());
      ScrapeLoop loop = old;
      if (old == null || !old.settings.sameForLoops(settings) || old.scraperClient() != client) {
        ScrapeCache cache = null;
        if (old != null) {
          old.stop(false);
          old.join();
          AppendOptions fresh = AppendOptions.of(cfg, t.labels());
          if (old.appendOptions().cacheCompatible(fresh)) {
            cache = old.cache();
          }
        }
        loop = new ScrapeLoop(job, t, settings, cache == null ? new ScrapeCache(metrics) : cache, storage, client,
            options, metrics, retiring::remove);
        loop.forcedError = forced;
        loop.start();
      }
      loop.forcedError = forced;
      next.put(t.fullLabels(), loop);
    }
    loops.clear();
    loops.putAll(next);
    activeView = List.copyOf(loops.values());
    droppedView = List.copyOf(dropped);
    droppedCount = droppedTotal[0];
    metrics.poolTargets.labelValues(job).set(loops.size());
    metrics.syncLength.labelValues(job).observe((System.nanoTime() - start) / 1e9);
  }

  List<ScrapeLoop> loops() {
    return activeView;
  }

  List<DroppedTarget> dropped() {
    return droppedView;
  }

  int droppedCount() {
    return droppedCount;
  }

  /** The job was removed from the configuration: every target goes away, with staleness markers. */
  void stop() {
    lock.lock();
    try {
      for (ScrapeLoop l : loops.values()) {
        retiring.add(l);
        l.stop(true);
      }
      loops.clear();
      activeView = List.of();
      droppedView = List.of();
      metrics.poolTargets.labelValues(job).set(0);
    } finally {
      lock.unlock();
    }
  }

  /** Server shutdown: loops stop without markers (the next start resumes the series). */
  void shutdown() {
    lock.lock();
    try {
      loops.values().forEach(ScrapeLoop::shutdown);
      loops.values().forEach(ScrapeLoop::join);
      loops.clear();
      activeView = List.of();
    } finally {
      lock.unlock();
    }
  }
}
