package io.vigil.bench.suite;

import io.vigil.model.Labels;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * e: about ten fixed PromQL queries over the ingested fleet, instant and range, each run on every
 * server once untimed (the answers are cross-checked), then {@link #WARM_UP_ROUNDS} more untimed
 * rounds, then {@code repetitions} timed times, servers in rotating order, reporting median and p90
 * latency (client-side: request to last byte). The warm-up rounds matter for Vigil: without them the
 * first repetitions run before the JIT has compiled the engine, and the medians of a short run
 * measured the interpreter (the quick gate once failed on that noise alone).
 * VictoriaMetrics gets {@code nocache=1}: the suite repeats identical queries, and its rollup result
 * cache would otherwise answer from memory.
 */
final class QueryBench {
  static final String SECTION = "e. Query latency";
  /** VictoriaMetrics hides samples newer than now - 30 s (-search.latencyOffset) from queries. */
  private static final long VM_LATENCY_OFFSET_MS = 30_000;
  /** Untimed rounds of the whole query set on every server before the timed repetitions. */
  static final int WARM_UP_ROUNDS = 20;

  /** One query: instant at {@code endMs} when {@code stepMs} is 0, else a range query. */
  record Query(String id, String label, String promql, long startMs, long endMs, long stepMs) {
    boolean range() {
      return stepMs > 0;
    }

    Map<String, String> params() {
      Map<String, String> p = new LinkedHashMap<>();
      p.put("query", promql);
      if (range()) {
        p.put("start", Http.seconds(startMs));
        p.put("end", Http.seconds(endMs));
        p.put("step", Long.toString(stepMs / 1000));
      } else {
        p.put("time", Http.seconds(endMs));
      }
      return p;
    }
  }

  private final SuiteOptions opts;
  private final Report report;
  private final Map<ServerKind, BenchServer> servers;
  private final Fleet fleet;

  QueryBench(SuiteOptions opts, Report report, Map<ServerKind, BenchServer> servers, Fleet fleet) {
    this.opts = opts;
    this.report = report;
    this.servers = servers;
    this.fleet = fleet;
  }

  /** The fixed query set, with metric names picked from the fleet (the catalogue follows the seed). */
  static List<Query> queries(Fleet fleet) {
    Map<String, Integer> count = new HashMap<>();
    Map<String, Labels> first = new HashMap<>();
    for (Labels l : fleet.series()) {
      String key = l.get(Labels.METRIC_NAME) + "|" + l.get("job");
      count.merge(key, 1, Integer::sum);
      first.putIfAbsent(key, l);
    }
    String appCounter = most(count, k -> k.endsWith("_total|app") && !k.contains("_seconds_"));
    String nodeCounter = most(count, k -> k.endsWith("_total|node"));
    String histogram = most(count, k -> k.contains("_bucket|"));
    String gauge = most(count, k -> k.contains("_bytes|"));
    String c = name(appCounter);
    Labels one = first.get(appCounter);
    long t = fleet.evalTimeMs(10);
    long wholeStart = fleet.minTimestampMs() + 5 * 60_000;
    long start60 = alignedStart(t, wholeStart, 60_000);
    long start15 = alignedStart(t, wholeStart, 15_000);
    List<Query> q = new ArrayList<>();
    q.add(new Query("rate_sum_by", "sum by (job, instance) of rate, instant", "sum by (job, instance) (rate(" + c + "[5m]))", 0, t, 0));
    q.add(new Query("rate_sum_by_range", "sum by (instance) of rate, range, 60 s step",
        "sum by (instance) (rate(" + c + "[5m]))", start60, t, 60_000));
    q.add(new Query("topk", "topk(10) of rate, instant", "topk(10, rate(" + name(nodeCounter) + "[5m]))", 0, t, 0));
    q.add(new Query("histogram_quantile_range", "histogram_quantile over sum by (le), range, 60 s step",
        "histogram_quantile(0.99, sum by (le) (rate(" + name(histogram) + "[5m])))", start60, t, 60_000));
    q.add(new Query("histogram_quantile_by_instance", "histogram_quantile by instance, instant",
        "histogram_quantile(0.9, sum by (instance, le) (rate(" + name(histogram) + "[5m])))", 0, t, 0));
    q.add(new Query("regex_selector", "regex selector on name and instance, instant",
        "count({__name__=~\"node_(cpu|disk|network)_.+\", instance=~\"host-00[0-4][0-9].*\"})", 0, t, 0));
    q.add(new Query("count_by", "count by (job) over every counter, instant", "count by (job) ({__name__=~\".+_total\"})", 0, t, 0));
    q.add(new Query("avg_over_time_1h", "avg_over_time over 1 h, instant", "avg_over_time(" + name(gauge) + "[1h])", 0, t, 0));
    q.add(new Query("long_range_sum", "sum of rate over the whole window, 15 s step",
        "sum(rate(" + c + "[5m]))", start15, t, 15_000));
    q.add(new Query("long_range_one_series", "rate of one series over the whole window, 15 s step",
        "rate(" + selector(one) + "[5m])", start15, t, 15_000));
    return q;
  }

  private static long alignedStart(long end, long earliest, long step) {
    return end - Math.max(0, (end - earliest) / step) * step;
  }

  private static String most(Map<String, Integer> count, java.util.function.Predicate<String> filter) {
    return count.entrySet().stream().filter(e -> filter.test(e.getKey()))
        .max(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
        .map(Map.Entry::getKey).orElseThrow(() -> new IllegalStateException("fleet has no metric for a query"));
  }

  private static String name(String key) {
    return key.substring(0, key.indexOf('|'));
  }

  private static String selector(Labels l) {
    StringBuilder sb = new StringBuilder(l.get(Labels.METRIC_NAME)).append('{');
    l.forEach((n, v) -> {
      if (!n.equals(Labels.METRIC_NAME)) {
        sb.append(sb.charAt(sb.length() - 1) == '{' ? "" : ", ").append(n).append("=\"").append(v).append('"');
      }
    });
    return sb.append('}').toString();
  }

  /** Sleeps until VictoriaMetrics shows samples up to {@code tMs} (its latency offset has passed). */
  static void awaitVictoriaMetricsVisibility(long tMs) {
    long wait = tMs + VM_LATENCY_OFFSET_MS + 5_000 - System.currentTimeMillis();
    if (wait > 0) {
      Log.info("waiting %.0f s until VictoriaMetrics's latency offset has passed the query time", wait / 1000.0);
      BenchServer.sleepMs(wait);
    }
  }

  void run() {
    List<Query> queries = queries(fleet);
    awaitVictoriaMetricsVisibility(queries.get(0).endMs());
    List<ServerKind> kinds = List.copyOf(servers.keySet());
    Map<String, Map<ServerKind, List<Double>>> latencies = new LinkedHashMap<>();
    Map<String, Map<ServerKind, QueryResult>> answers = new LinkedHashMap<>();
    for (Query q : queries) {
      Map<ServerKind, QueryResult> a = new EnumMap<>(ServerKind.class);
      for (ServerKind k : kinds) {
        Http.Response r = call(k, q);
        if (r.ok()) {
          a.put(k, QueryResult.parse(r.json()));
        } else {
          report.mismatches.add(String.format("%s: %s failed: HTTP %d %s", q.id(), k.display, r.status(),
              IngestBench.abbreviate(r.body())));
        }
      }
      answers.put(q.id(), a);
      latencies.put(q.id(), new EnumMap<>(ServerKind.class));
      kinds.forEach(k -> latencies.get(q.id()).put(k, new ArrayList<>()));
    }
    Log.info("queries: %d queries x %d warm-up rounds on %s", queries.size(), WARM_UP_ROUNDS, kinds);
    for (int round = 0; round < WARM_UP_ROUNDS; round++) {
      for (Query q : queries) {
        for (ServerKind k : kinds) {
          if (answers.get(q.id()).containsKey(k)) {
            call(k, q);
          }
        }
      }
    }
    Log.info("queries: %d queries x %d repetitions on %s", queries.size(), opts.queryRepetitions(), kinds);
    for (int rep = 0; rep < opts.queryRepetitions(); rep++) {
      for (int i = 0; i < queries.size(); i++) {
        Query q = queries.get(i);
        for (ServerKind k : IngestBench.rotate(kinds, rep + i)) {
          if (answers.get(q.id()).containsKey(k)) {
            latencies.get(q.id()).get(k).add(call(k, q).seconds() * 1000);
          }
        }
      }
    }
    for (Query q : queries) {
      Map<ServerKind, Report.Cell> median = new EnumMap<>(ServerKind.class);
      Map<ServerKind, Report.Cell> p90 = new EnumMap<>(ServerKind.class);
      latencies.get(q.id()).forEach((k, l) -> {
        double[] v = Stats.toArray(l);
        median.put(k, l.isEmpty() ? Report.Cell.na("failed") : Stats.cell(l));
        p90.put(k, l.isEmpty() ? Report.Cell.na("failed") : Report.Cell.of(Stats.quantile(v, 0.9)));
      });
      String agreement = agreement(q, answers.get(q.id()));
      report.add("query." + q.id() + ".median_ms", SECTION, q.label() + ": median", "ms", true, median, agreement);
      report.add("query." + q.id() + ".p90_ms", SECTION, q.label() + ": p90", "ms", true, p90, null);
      report.notes.add("query " + q.id() + ": `" + q.promql() + "`" + (q.range()
          ? String.format(" from %s to %s step %ds", Http.seconds(q.startMs()), Http.seconds(q.endMs()), q.stepMs() / 1000)
          : " at " + Http.seconds(q.endMs())));
    }
    report.notes.add("query latencies are client-side, over " + opts.queryRepetitions() + " repetitions after one untimed"
        + " run whose answers are compared and " + WARM_UP_ROUNDS + " untimed warm-up rounds; VictoriaMetrics is asked with"
        + " nocache=1");
  }

  /** Cross-checks the answers: Vigil against Prometheus (the reference semantics) and VictoriaMetrics. */
  private String agreement(Query q, Map<ServerKind, QueryResult> a) {
    QueryResult vigil = a.get(ServerKind.VIGIL);
    QueryResult prom = a.get(ServerKind.PROMETHEUS);
    QueryResult vm = a.get(ServerKind.VICTORIA_METRICS);
    List<String> parts = new ArrayList<>();
    if (vigil != null && prom != null) {
      String d = vigil.difference(prom, "Vigil", "Prometheus");
      parts.add(d == null ? "same answer as Prometheus" : "DIFFERS from Prometheus");
      if (d != null) {
        String vmSide = vm == null ? "" : vm.difference(prom, "VictoriaMetrics", "Prometheus") == null
            ? " (VictoriaMetrics agrees with Prometheus)" : "";
        report.mismatches.add(q.id() + " `" + q.promql() + "`" + vmSide + ": " + d);
      }
    }
    if (vm != null && prom != null) {
      String d = vm.difference(prom, "VictoriaMetrics", "Prometheus");
      if (d != null) {
        report.notes.add("VictoriaMetrics differs from Prometheus on " + q.id() + " (MetricsQL semantics, not counted as a Vigil"
            + " finding): " + d);
      }
    }
    return parts.isEmpty() ? null : String.join(", ", parts);
  }

  private Http.Response call(ServerKind k, Query q) {
    Map<String, String> p = q.params();
    if (k == ServerKind.VICTORIA_METRICS) {
      p.put("nocache", "1");
    }
    String path = q.range() ? "/api/v1/query_range?" : "/api/v1/query?";
    return Http.get(servers.get(k).url(path + Http.query(p)));
  }
}
