package io.vigil.bench.suite;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Measurements a (remote-write ingestion), c (memory) and d (disk) on one set of running servers,
 * which the query measurement then reuses. The data is sent in segments of consecutive scrapes;
 * every segment goes to every server, in an order that rotates from segment to segment, so that
 * each server gets one repetition per segment under the same conditions. A segment's CPU is the
 * server's CPU time from the start of its segment to the start of its next one (to the end of a
 * settling pause after the last), so work a server defers (merges, GC) is charged to it.
 */
final class IngestBench {
  static final String SECTION_INGEST = "a. Remote-write ingestion";
  static final String SECTION_MEMORY = "c. Memory after ingestion";
  static final String SECTION_DISK = "d. Disk once persisted";

  private final SuiteOptions opts;
  private final Report report;
  final Map<ServerKind, BenchServer> servers;
  final Fleet fleet;

  IngestBench(SuiteOptions opts, Report report, Map<ServerKind, BenchServer> servers, Fleet fleet) {
    this.opts = opts;
    this.report = report;
    this.servers = servers;
    this.fleet = fleet;
  }

  void run() {
    RemoteWriteFeed feed = new RemoteWriteFeed(opts.senders(), opts.batchSamples());
    int segments = Math.min(opts.segments(), fleet.scrapes);
    Map<ServerKind, List<Double>> cpuPerMillion = lists();
    Map<ServerKind, List<Double>> samplesPerSecond = lists();
    Map<ServerKind, Long> accepted = new EnumMap<>(ServerKind.class);
    Map<ServerKind, Double> cpuAtSegmentStart = new EnumMap<>(ServerKind.class);
    Map<ServerKind, Double> cpuAtFirst = new EnumMap<>(ServerKind.class);
    long previousSamples = 0;
    long sent = 0;
    int done = 0;
    for (int seg = 0; seg < segments; seg++) {
      int count = (fleet.scrapes - done) / (segments - seg);
      List<List<RemoteWriteFeed.Request>> requests = feed.encodeScrapes(fleet, count);
      long samples = (long) count * fleet.size();
      List<ServerKind> order = rotate(List.copyOf(servers.keySet()), seg);
      Log.info("ingest segment %d/%d: %d scrapes, %,d samples, order %s", seg + 1, segments, count, samples, order);
      for (ServerKind k : order) {
        BenchServer s = servers.get(k);
        double cpu = s.cpuSeconds();
        if (seg > 0) {
          cpuPerMillion.get(k).add((cpu - cpuAtSegmentStart.get(k)) / previousSamples * 1e6);
        } else {
          cpuAtFirst.put(k, cpu);
        }
        cpuAtSegmentStart.put(k, cpu);
        RemoteWriteFeed.SendResult r = RemoteWriteFeed.send(s, requests);
        samplesPerSecond.get(k).add(r.samplesSent() / r.seconds());
        accepted.merge(k, r.samplesAccepted(), Long::sum);
        if (r.failedRequests() > 0) {
          report.failures.add(String.format("%s refused %d of %d remote-write requests in segment %d; first: %s",
              k.display, r.failedRequests(), r.requests(), seg + 1, r.firstError()));
        }
      }
      previousSamples = samples;
      sent += samples;
      done += count;
    }
    settle();
    Map<ServerKind, Report.Cell> totals = new EnumMap<>(ServerKind.class);
    for (ServerKind k : servers.keySet()) {
      double cpu = servers.get(k).cpuSeconds();
      cpuPerMillion.get(k).add((cpu - cpuAtSegmentStart.get(k)) / previousSamples * 1e6);
      totals.put(k, Report.Cell.of((cpu - cpuAtFirst.get(k)) / sent * 1e6));
    }
    report.add("ingest.cpu_per_million_samples", SECTION_INGEST, "CPU per million samples, per segment", "CPU-s", true,
        cells(cpuPerMillion), segments + " segments of " + String.format("%,d", sent / segments) + " samples");
    report.add("ingest.cpu_per_million_samples_total", SECTION_INGEST, "CPU per million samples, whole ingestion", "CPU-s",
        true, totals, null);
    report.add("ingest.samples_per_second", SECTION_INGEST, "Throughput", "samples/s", false, cells(samplesPerSecond),
        opts.senders() + " concurrent senders, ~" + opts.batchSamples() + " samples per request");
    countCheck(sent, accepted);
    memory();
    disk(sent);
  }

  /** Waits until every server's CPU use has calmed down (background flushes and merges done), at most 30 s. */
  private void settle() {
    Map<ServerKind, Double> last = new EnumMap<>(ServerKind.class);
    servers.forEach((k, s) -> last.put(k, s.cpuSeconds()));
    for (int i = 0; i < 30; i++) {
      BenchServer.sleepMs(1000);
      boolean calm = true;
      for (Map.Entry<ServerKind, BenchServer> e : servers.entrySet()) {
        double c = e.getValue().cpuSeconds();
        calm &= c - last.get(e.getKey()) < 0.05;
        last.put(e.getKey(), c);
      }
      if (calm && i >= 2) {
        return;
      }
    }
  }

  /**
   * a: every sample acknowledged must be there: {@code sum(count_over_time(name[window]))} for
   * every metric name of the fleet, on each server. One query per name because count_over_time
   * drops the name, and series of different names would then collide; it also keeps each query
   * far below Prometheus's default 50 M query.max-samples.
   */
  private void countCheck(long sent, Map<ServerKind, Long> accepted) {
    long t = fleet.evalTimeMs(10);
    long windowMs = (long) fleet.scrapes * fleet.intervalMs() + 60_000;
    QueryBench.awaitVictoriaMetricsVisibility(t);
    java.util.Set<String> names = new java.util.TreeSet<>();
    fleet.series().forEach(l -> names.add(l.metricName()));
    Map<ServerKind, Report.Cell> cells = new EnumMap<>(ServerKind.class);
    for (Map.Entry<ServerKind, BenchServer> e : servers.entrySet()) {
      ServerKind k = e.getKey();
      double found = 0;
      String error = null;
      for (String name : names) {
        String q = "sum(count_over_time(" + name + "[" + windowMs / 1000 + "s]))";
        Map<String, String> p = new LinkedHashMap<>();
        p.put("query", q);
        p.put("time", Http.seconds(t));
        if (k == ServerKind.VICTORIA_METRICS) {
          p.put("nocache", "1");
        }
        Http.Response r = Http.get(e.getValue().url("/api/v1/query?" + Http.query(p)));
        if (!r.ok()) {
          error = q + ": HTTP " + r.status() + " " + abbreviate(r.body());
          break;
        }
        JsonNode res = r.json().path("data").path("result");
        found += res.size() == 0 ? 0 : QueryResult.parseValue(res.get(0).path("value").get(1).asString());
      }
      if (error != null) {
        report.failures.add(k.display + ": count query failed: " + error);
        cells.put(k, Report.Cell.na("query failed"));
        continue;
      }
      cells.put(k, Report.Cell.of(found / sent));
      if (found != sent || accepted.getOrDefault(k, 0L) != sent) {
        report.failures.add(String.format("%s: %,d samples sent, %,d acknowledged, %,.0f found by sum(count_over_time(<name>[%ds]))"
            + " over the %d metric names at %s", k.display, sent, accepted.getOrDefault(k, 0L), found, windowMs / 1000,
            names.size(), Http.seconds(t)));
      }
    }
    report.add("ingest.found_ratio", SECTION_INGEST, "Samples found by count queries ÷ samples sent", "", false, cells,
        "must be 1");
  }

  /** c: resident memory per active series; for Vigil also its live heap after a full GC (diagnostic). */
  private void memory() {
    Map<ServerKind, Report.Cell> rss = new EnumMap<>(ServerKind.class);
    servers.forEach((k, s) -> rss.put(k, Report.Cell.of((double) s.rssBytes() / fleet.size())));
    report.add("memory.rss_bytes_per_series", SECTION_MEMORY, "Resident memory per active series", "bytes", true, rss,
        String.format("%,d series; Vigil's heap is fixed at %d MiB", fleet.size(), opts.vigilHeapBytes() >> 20));
    BenchServer v = servers.get(ServerKind.VIGIL);
    if (v != null) {
      Map<ServerKind, Report.Cell> live = new EnumMap<>(ServerKind.class);
      live.put(ServerKind.VIGIL, liveHeapPerSeries(v));
      report.add("memory.vigil_live_heap_bytes_per_series", SECTION_MEMORY, "Vigil: live heap after full GC per series",
          "bytes", true, live, "diagnostic: what the data needs of the fixed heap");
      Map<ServerKind, Report.Cell> est = new EnumMap<>(ServerKind.class);
      est.put(ServerKind.VIGIL, metric(v, "vigil_tsdb_head_bytes_per_series"));
      report.add("memory.vigil_head_estimate_bytes_per_series", SECTION_MEMORY, "Vigil: head's own estimate per series",
          "bytes", true, est, "vigil_tsdb_head_bytes_per_series");
    }
  }

  private Report.Cell liveHeapPerSeries(BenchServer v) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      run(jcmd.toString(), Long.toString(v.pid()), "GC.run");
      String info = run(jcmd.toString(), Long.toString(v.pid()), "GC.heap_info");
      Matcher m = Pattern.compile("used (\\d+)K").matcher(info);
      if (m.find()) {
        return Report.Cell.of(Long.parseLong(m.group(1)) * 1024.0 / fleet.size());
      }
      return Report.Cell.na("no heap info");
    } catch (RuntimeException e) {
      return Report.Cell.na("jcmd failed");
    }
  }

  static Report.Cell metric(BenchServer s, String name) {
    Http.Response r = Http.get(s.url("/metrics"));
    for (String line : r.body().split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        return Report.Cell.of(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
      }
    }
    return Report.Cell.na("no " + name);
  }

  /**
   * d: bytes on disk per sample once the data is in compressed blocks. Prometheus and Vigil write
   * their head as a block through the admin snapshot API (the same block writer their head
   * compaction uses; the 1-2 h of data here is below their 2 h block range, so no compaction would
   * run on its own); VictoriaMetrics flushes and merges its parts (/internal/force_flush,
   * /internal/force_merge) and its whole data directory (data and indexdb) is counted.
   */
  private void disk(long samples) {
    Map<ServerKind, Report.Cell> cells = new EnumMap<>(ServerKind.class);
    for (Map.Entry<ServerKind, BenchServer> e : servers.entrySet()) {
      BenchServer s = e.getValue();
      long bytes;
      if (e.getKey() == ServerKind.VICTORIA_METRICS) {
        Http.get(s.url("/internal/force_flush"));
        Http.get(s.url("/internal/force_merge"));
        bytes = awaitStableSize(s, s.dir.resolve("data/data"), s.dir.resolve("data/indexdb"));
      } else {
        Http.Response r = Http.post(s.url("/api/v1/admin/tsdb/snapshot"), "application/x-www-form-urlencoded", "");
        if (!r.ok()) {
          cells.put(e.getKey(), Report.Cell.na("snapshot failed"));
          report.failures.add(e.getKey().display + ": snapshot failed: HTTP " + r.status() + " " + abbreviate(r.body()));
          continue;
        }
        String name = r.json().path("data").path("name").asString();
        bytes = ServerLauncher.treeBytes(s.dir.resolve("data/snapshots").resolve(name));
      }
      cells.put(e.getKey(), Report.Cell.of((double) bytes / samples));
    }
    report.add("disk.bytes_per_sample", SECTION_DISK, "Bytes per sample on disk", "bytes", true, cells,
        "Prometheus, Vigil: head written as a block by the snapshot API; VictoriaMetrics: after force_flush + force_merge");
  }

  private static long awaitStableSize(BenchServer s, Path... dirs) {
    long last = -1;
    for (int i = 0; i < 120; i++) {
      BenchServer.sleepMs(1000);
      boolean merging = Http.get(s.url("/metrics")).body().lines()
          .anyMatch(l -> l.startsWith("vm_active_merges") && !l.endsWith(" 0"));
      long size = 0;
      for (Path d : dirs) {
        size += ServerLauncher.treeBytes(d);
      }
      if (!merging && size == last) {
        return size;
      }
      last = size;
    }
    return last;
  }

  private static String run(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (p.waitFor() != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + ": " + out);
      }
      return out;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String abbreviate(String s) {
    s = s.strip();
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }

  static <T> List<T> rotate(List<T> l, int by) {
    List<T> out = new ArrayList<>();
    for (int i = 0; i < l.size(); i++) {
      out.add(l.get((i + by) % l.size()));
    }
    return out;
  }

  private Map<ServerKind, List<Double>> lists() {
    Map<ServerKind, List<Double>> m = new EnumMap<>(ServerKind.class);
    servers.keySet().forEach(k -> m.put(k, new ArrayList<>()));
    return m;
  }

  static Map<ServerKind, Report.Cell> cells(Map<ServerKind, List<Double>> values) {
    Map<ServerKind, Report.Cell> m = new EnumMap<>(ServerKind.class);
    values.forEach((k, v) -> m.put(k, Stats.cell(v)));
    return m;
  }
}
