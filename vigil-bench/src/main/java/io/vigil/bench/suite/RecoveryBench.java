package io.vigil.bench.suite;

import io.vigil.model.Labels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * g: restart after a crash. Vigil and Prometheus receive the same {@code recoverySeries} series x
 * {@code recoveryHours} of data by remote write (concurrently, several scrapes per series per
 * request, to keep the load generator's share small), then each is killed with SIGKILL and started
 * again on the same data; the time from process start to a 200 from /-/ready is measured, servers
 * alternating, several times. After each restart the head's series count and one metric's sample
 * count are compared with what was sent.
 */
final class RecoveryBench {
  static final String SECTION = "g. Recovery after kill -9";
  private static final Duration REPLAY_TIMEOUT = Duration.ofMinutes(30);

  private final SuiteOptions opts;
  private final Report report;
  private final ServerLauncher launcher;

  RecoveryBench(SuiteOptions opts, Report report, ServerLauncher launcher) {
    this.opts = opts;
    this.report = report;
    this.launcher = launcher;
  }

  void run() {
    Fleet fleet = Fleet.create(opts.recoverySeries(), opts.recoveryHours(), opts.seed() + 2, System.currentTimeMillis());
    Map<ServerKind, BenchServer> servers = new EnumMap<>(ServerKind.class);
    try {
      servers.put(ServerKind.VIGIL, launcher.vigil("recovery", opts.recoveryHeapBytes(), "global:\n  scrape_interval: 15s\n"));
      servers.put(ServerKind.PROMETHEUS, launcher.prometheus("recovery", "global:\n  scrape_interval: 15s\n"));
      Log.info("recovery: %,d series x %d scrapes (%,d samples) to %s", fleet.size(), fleet.scrapes, fleet.totalSamples(),
          servers.keySet());
      RemoteWriteFeed feed = new RemoteWriteFeed(opts.senders(), opts.batchSamples());
      List<BenchServer> list = List.copyOf(servers.values());
      RemoteWriteFeed.SendResult[] sent = feed.stream(fleet, fleet.scrapes, 10, list);
      for (int i = 0; i < list.size(); i++) {
        RemoteWriteFeed.SendResult r = sent[i];
        Log.info("  %s accepted %,d of %,d samples (%d failed requests)", list.get(i).kind.display, r.samplesAccepted(),
            r.samplesSent(), r.failedRequests());
        if (r.failedRequests() > 0) {
          report.failures.add(String.format("recovery: %s refused %d of %d requests; first: %s", list.get(i).kind.display,
              r.failedRequests(), r.requests(), r.firstError()));
        }
      }
      Check check = new Check(fleet);
      Map<ServerKind, Report.Cell> walBytes = new EnumMap<>(ServerKind.class);
      servers.forEach((k, s) -> walBytes.put(k, Report.Cell.of(ServerLauncher.treeBytes(s.dir.resolve("data")) / 1048576.0)));
      Map<ServerKind, List<Double>> seconds = new EnumMap<>(ServerKind.class);
      servers.keySet().forEach(k -> seconds.put(k, new ArrayList<>()));
      List<ServerKind> kinds = List.copyOf(servers.keySet());
      for (int rep = 0; rep < opts.recoveryRepetitions(); rep++) {
        for (ServerKind k : IngestBench.rotate(kinds, rep)) {
          BenchServer s = servers.get(k);
          s.kill9();
          double secs = s.start(REPLAY_TIMEOUT);
          Log.info("  %s ready %.1f s after kill -9 and restart", k.display, secs);
          seconds.get(k).add(secs);
          check.verify(k, s);
        }
      }
      report.add("recovery.seconds_to_ready", SECTION, "Start to /-/ready after kill -9", "s", true, IngestBench.cells(seconds),
          String.format("%,d active series, %s h of data", fleet.size(), Report.fmt(opts.recoveryHours())));
      report.add("recovery.data_dir_mib", SECTION, "Data directory at the crash (WAL and head chunks)", "MiB", true, walBytes,
          null);
      report.notes.add("recovery: Vigil's heap is fixed at " + (opts.recoveryHeapBytes() >> 20) + " MiB for " + fleet.size()
          + " series");
    } finally {
      servers.values().forEach(launcher::stop);
    }
  }

  /** What must be there after each restart: every series in the head and every sample of one metric. */
  private final class Check {
    private final String metric;
    private final long expectedSamples;
    private final int series;
    private final long timeMs;
    private final long windowMs;

    Check(Fleet fleet) {
      Map<String, Integer> perName = new LinkedHashMap<>();
      for (Labels l : fleet.series()) {
        perName.merge(l.metricName(), 1, Integer::sum);
      }
      metric = perName.entrySet().stream().filter(e -> e.getKey().endsWith("_total"))
          .max(Map.Entry.comparingByValue()).orElseThrow().getKey();
      expectedSamples = (long) perName.get(metric) * fleet.scrapes;
      series = fleet.size();
      timeMs = fleet.evalTimeMs(10);
      windowMs = (long) fleet.scrapes * fleet.intervalMs() + 60_000;
    }

    void verify(ServerKind k, BenchServer s) {
      Http.Response st = Http.get(s.url("/api/v1/status/tsdb"));
      long numSeries = st.ok() ? st.json().path("data").path("headStats").path("numSeries").asLong() : -1;
      Map<String, String> p = new LinkedHashMap<>();
      p.put("query", "sum(count_over_time(" + metric + "[" + windowMs / 1000 + "s]))");
      p.put("time", Http.seconds(timeMs));
      Http.Response q = Http.get(s.url("/api/v1/query?" + Http.query(p)));
      double found = q.ok() && q.json().path("data").path("result").size() > 0
          ? QueryResult.parseValue(q.json().path("data").path("result").get(0).path("value").get(1).asString()) : -1;
      if (numSeries != series || found != expectedSamples) {
        report.failures.add(String.format("recovery: %s after restart has %d head series (sent %d) and %.0f samples of %s"
            + " (sent %d)", k.display, numSeries, series, found, metric, expectedSamples));
      }
    }
  }
}
