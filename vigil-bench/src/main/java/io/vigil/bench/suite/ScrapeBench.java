package io.vigil.bench.suite;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * b: scrape ingestion. Fresh servers scrape the same N targets x M series (the fleet served on
 * loopback) with the same scrape config at the same time; after a warm-up in which every server has
 * scraped every target twice (series creation is done), CPU per scraped sample is measured over
 * several equal windows of a fixed period. Samples are counted at the targets, per scraper.
 */
final class ScrapeBench {
  static final String SECTION = "b. Scrape ingestion";

  private final SuiteOptions opts;
  private final Report report;
  private final ServerLauncher launcher;

  ScrapeBench(SuiteOptions opts, Report report, ServerLauncher launcher) {
    this.opts = opts;
    this.report = report;
    this.launcher = launcher;
  }

  static String scrapeConfig(List<String> addresses, long intervalMs, String scraper) {
    StringBuilder sb = new StringBuilder("global:\n  scrape_interval: " + intervalMs / 1000 + "s\n  scrape_timeout: "
        + intervalMs / 1000 + "s\nscrape_configs:\n  - job_name: fleet\n    metrics_path: /" + scraper + "/metrics\n"
        + "    static_configs:\n      - targets:\n");
    addresses.forEach(a -> sb.append("          - '").append(a).append("'\n"));
    return sb.toString();
  }

  void run() {
    Fleet fleet = Fleet.create(opts.series(), 0, opts.seed() + 1, System.currentTimeMillis());
    long intervalMs = opts.scrapeIntervalMs();
    Map<ServerKind, BenchServer> servers = new EnumMap<>(ServerKind.class);
    try (ScrapeTargets targets = new ScrapeTargets(fleet, intervalMs)) {
      List<String> addrs = targets.addresses();
      Log.info("scrape: %d targets x ~%d series (%,d series), every %d s, measured over %d windows of %d s",
          targets.targets(), fleet.size() / targets.targets(), fleet.size(), intervalMs / 1000, opts.scrapeWindows(),
          opts.scrapeWindowMs() / 1000);
      servers.put(ServerKind.VIGIL, launcher.vigil("scrape", opts.vigilHeapBytes(), scrapeConfig(addrs, intervalMs, "vigil")));
      servers.put(ServerKind.PROMETHEUS, launcher.prometheus("scrape", scrapeConfig(addrs, intervalMs, "prometheus")));
      servers.put(ServerKind.VICTORIA_METRICS, launcher.victoriaMetrics("scrape",
          scrapeConfig(addrs, intervalMs, "victoriametrics")));
      warmUp(targets, servers, intervalMs);
      Map<ServerKind, List<Double>> cpuPerMillion = new EnumMap<>(ServerKind.class);
      Map<ServerKind, List<Double>> rate = new EnumMap<>(ServerKind.class);
      servers.keySet().forEach(k -> {
        cpuPerMillion.put(k, new ArrayList<>());
        rate.put(k, new ArrayList<>());
      });
      Map<ServerKind, Double> cpu0 = new EnumMap<>(ServerKind.class);
      Map<ServerKind, Long> served0 = new EnumMap<>(ServerKind.class);
      sample(servers, targets, cpu0, served0);
      for (int w = 0; w < opts.scrapeWindows(); w++) {
        BenchServer.sleepMs(opts.scrapeWindowMs());
        Map<ServerKind, Double> cpu1 = new EnumMap<>(ServerKind.class);
        Map<ServerKind, Long> served1 = new EnumMap<>(ServerKind.class);
        sample(servers, targets, cpu1, served1);
        for (ServerKind k : servers.keySet()) {
          long samples = served1.get(k) - served0.get(k);
          if (samples > 0) {
            cpuPerMillion.get(k).add((cpu1.get(k) - cpu0.get(k)) / samples * 1e6);
            rate.get(k).add(samples * 1000.0 / opts.scrapeWindowMs());
          }
        }
        cpu0 = cpu1;
        served0 = served1;
      }
      Map<ServerKind, Report.Cell> cpuCells = IngestBench.cells(cpuPerMillion);
      Map<ServerKind, Report.Cell> rateCells = IngestBench.cells(rate);
      for (ServerKind k : servers.keySet()) {
        if (cpuPerMillion.get(k).isEmpty()) {
          String why = k == ServerKind.VIGIL ? "did not scrape (is scraping wired into vigil-server?)" : "did not scrape";
          cpuCells.put(k, Report.Cell.na(why));
          rateCells.put(k, Report.Cell.na(why));
          // A peer that does not scrape means the suite is broken; Vigil may simply not scrape yet.
          (k == ServerKind.VIGIL ? report.notes : report.failures).add("scrape: " + k.display + " " + why
              + " with a scrape config like the others'");
        }
      }
      String shape = String.format("%d targets x ~%d series every %d s", targets.targets(), fleet.size() / targets.targets(),
          intervalMs / 1000);
      report.add("scrape.cpu_per_million_samples", SECTION, "CPU per million scraped samples", "CPU-s", true, cpuCells, shape);
      report.add("scrape.samples_per_second", SECTION, "Samples scraped", "samples/s", false, rateCells,
          "same targets and interval for all: equal unless a server misses scrapes");
    } finally {
      servers.values().forEach(launcher::stop);
    }
  }

  private static void sample(Map<ServerKind, BenchServer> servers, ScrapeTargets targets, Map<ServerKind, Double> cpu,
      Map<ServerKind, Long> served) {
    servers.forEach((k, s) -> {
      cpu.put(k, s.cpuSeconds());
      served.put(k, targets.samplesServed(k.key));
    });
  }

  /**
   * Until every server has scraped every target twice. A server that has not scraped at all by the
   * time the others are warm and two intervals (plus start-up slack) have passed is taken as not
   * scraping, so it costs the run seconds, not minutes.
   */
  private void warmUp(ScrapeTargets targets, Map<ServerKind, BenchServer> servers, long intervalMs) {
    long start = System.currentTimeMillis();
    long deadline = start + 3 * intervalMs + 30_000;
    while (System.currentTimeMillis() < deadline) {
      boolean scrapersWarm = true;
      boolean someSilent = false;
      for (ServerKind k : servers.keySet()) {
        long n = targets.scrapesServed(k.key);
        someSilent |= n == 0;
        scrapersWarm &= n == 0 || n >= 2L * targets.targets();
      }
      if (scrapersWarm && (!someSilent || System.currentTimeMillis() - start > 2 * intervalMs + 10_000)) {
        break;
      }
      BenchServer.sleepMs(200);
    }
    servers.keySet().forEach(k -> Log.info("  %s: %d scrapes during warm-up", k.display, targets.scrapesServed(k.key)));
  }
}
