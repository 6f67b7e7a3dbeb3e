package io.vigil.scrape;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.config.Config;
import io.vigil.config.ConfigException;
import io.vigil.config.ConfigLoader;
import io.vigil.tsdb.Tsdb;
import io.vigil.tsdb.TsdbOptions;
import java.nio.file.Path;

/** A real TSDB and a scrape manager writing into it, for one test. */
final class ScrapeTestSupport implements AutoCloseable {
  final Tsdb db;
  final PrometheusRegistry registry = new PrometheusRegistry();
  final ScrapeManager manager;

  ScrapeTestSupport(Path dir) {
    this(dir, ScrapeOptions.defaults().withDiscoveryUpdateIntervalMs(100));
  }

  ScrapeTestSupport(Path dir, ScrapeOptions options) {
    db = Tsdb.open(dir.resolve("data"), TsdbOptions.defaults(), new PrometheusRegistry());
    manager = new ScrapeManager(db, options, registry);
  }

  static Config config(String yaml) {
    try {
      return new ConfigLoader().parse(yaml, "test.yml");
    } catch (ConfigException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  void apply(String yaml) {
    manager.applyConfig(config(yaml));
  }

  ActiveTarget target(String job) {
    return manager.activeTargets().stream().filter(t -> t.scrapePool().equals(job)).findFirst().orElse(null);
  }

  /** Waits until the job's first target has been scraped {@code n} more times. */
  void awaitScrapes(String job, int n) throws InterruptedException {
    for (int i = 0; i < n; i++) {
      ActiveTarget t0 = target(job);
      java.time.Instant before = t0 == null ? null : t0.lastScrape();
      Stored.await(20_000, "a scrape of job " + job, () -> {
        ActiveTarget t = target(job);
        return t != null && t.lastScrape() != null && !t.lastScrape().equals(before);
      });
    }
  }

  @Override
  public void close() {
    manager.close();
    db.close();
  }
}
