package io.vigil.bench.suite;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * A query API answer reduced to what must agree between servers: for each series (its labels as
 * canonical text) the points, timestamp and value. Order of series is ignored (only sort functions
 * promise one); values agree when equal within a relative 1e-9 (sums in another order differ in
 * the last bits) or both NaN.
 */
record QueryResult(String resultType, Map<String, List<double[]>> series) {
  static final double RELATIVE_TOLERANCE = 1e-9;

  static QueryResult parse(JsonNode body) {
    JsonNode data = body.path("data");
    String type = data.path("resultType").asString();
    Map<String, List<double[]>> out = new TreeMap<>();
    JsonNode result = data.path("result");
    switch (type) {
      case "scalar", "string" -> out.put("{}", List.of(point(result)));
      case "vector" -> {
        for (JsonNode s : result) {
          out.put(labels(s.path("metric")), List.of(point(s.path("value"))));
        }
      }
      case "matrix" -> {
        for (JsonNode s : result) {
          List<double[]> pts = new ArrayList<>();
          for (JsonNode p : s.path("values")) {
            pts.add(point(p));
          }
          out.put(labels(s.path("metric")), pts);
        }
      }
      default -> throw new IllegalArgumentException("unknown resultType " + type);
    }
    return new QueryResult(type, out);
  }

  private static double[] point(JsonNode p) {
    return new double[] {p.get(0).asDouble(), parseValue(p.get(1).asString())};
  }

  /** Prometheus's float text: Go's formatting, with "+Inf", "-Inf" and "NaN". */
  static double parseValue(String s) {
    return switch (s) {
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(s);
    };
  }

  private static String labels(JsonNode metric) {
    TreeMap<String, String> m = new TreeMap<>();
    metric.forEachEntry((k, v) -> m.put(k, v.asString()));
    StringBuilder sb = new StringBuilder("{");
    m.forEach((k, v) -> sb.append(sb.length() > 1 ? ", " : "").append(k).append("=\"").append(v).append('"'));
    return sb.append('}').toString();
  }

  int points() {
    return series.values().stream().mapToInt(List::size).sum();
  }

  /**
   * Null if the two agree, else a precise description of the first differences (at most three):
   * series only one side has, and points that differ.
   */
  String difference(QueryResult other, String thisName, String otherName) {
    List<String> diffs = new ArrayList<>();
    if (!resultType.equals(other.resultType)) {
      return "result type " + resultType + " vs " + other.resultType;
    }
    int onlyHere = 0;
    int onlyThere = 0;
    for (String k : series.keySet()) {
      if (!other.series.containsKey(k)) {
        if (onlyHere++ == 0) {
          diffs.add("only " + thisName + " has " + k);
        }
      }
    }
    for (String k : other.series.keySet()) {
      if (!series.containsKey(k)) {
        if (onlyThere++ == 0) {
          diffs.add("only " + otherName + " has " + k);
        }
      }
    }
    int differing = 0;
    for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
      List<double[]> b = other.series.get(e.getKey());
      if (b == null) {
        continue;
      }
      String d = pointsDifference(e.getValue(), b, thisName, otherName);
      if (d != null && differing++ < 2) {
        diffs.add(e.getKey() + ": " + d);
      }
    }
    if (diffs.isEmpty()) {
      return null;
    }
    String counts = String.format("%s %d series / %d points, %s %d / %d", thisName, series.size(), points(), otherName,
        other.series.size(), other.points());
    if (onlyHere > 1 || onlyThere > 1 || differing > 2) {
      counts += String.format("; %d series only in %s, %d only in %s, %d with differing points", onlyHere, thisName,
          onlyThere, otherName, differing);
    }
    return counts + "; " + String.join("; ", diffs);
  }

  private static String pointsDifference(List<double[]> a, List<double[]> b, String an, String bn) {
    int i = 0;
    int j = 0;
    while (i < a.size() && j < b.size()) {
      double[] p = a.get(i);
      double[] q = b.get(j);
      if (Math.round(p[0] * 1000) != Math.round(q[0] * 1000)) {
        return p[0] < q[0] ? "point at " + p[0] + " only in " + an : "point at " + q[0] + " only in " + bn;
      }
      if (!same(p[1], q[1])) {
        return "at " + p[0] + " " + an + " " + p[1] + " vs " + bn + " " + q[1];
      }
      i++;
      j++;
    }
    if (i < a.size()) {
      return (a.size() - i) + " more points in " + an + " from " + a.get(i)[0];
    }
    if (j < b.size()) {
      return (b.size() - j) + " more points in " + bn + " from " + b.get(j)[0];
    }
    return null;
  }

  static boolean same(double x, double y) {
    if (Double.isNaN(x) || Double.isNaN(y)) {
      return Double.isNaN(x) && Double.isNaN(y);
    }
    if (x == y) {
      return true;
    }
    return Math.abs(x - y) <= RELATIVE_TOLERANCE * Math.max(Math.abs(x), Math.abs(y));
  }
}
