package io.vigil.promql.engine;

import io.vigil.model.Labels;
import io.vigil.promql.engine.Evaluator.ScalarVal;
import io.vigil.promql.engine.Evaluator.Val;
import io.vigil.promql.engine.Evaluator.VectorVal;
import io.vigil.promql.parser.Expr;
import io.vigil.promql.parser.GoFloat;
import io.vigil.promql.parser.GoQuote;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** histogram_quantile and histogram_fraction over classic histograms (series with an "le" label). */
final class HistogramFunctions {
  /** Bucket counts closer than this (relatively) are treated as equal: float noise, not a decrease. */
  private static final double SMALL_DELTA_TOLERANCE = 1e-12;

  private HistogramFunctions() {}

  /** The buckets of one histogram (rows that differ only in "le") and the output row. */
  private static final class Group {
    final List<Row> rows = new ArrayList<>();
    final List<Double> bounds = new ArrayList<>();
    Labels labels;
    boolean dropName;

    /** Copies the buckets present at step i into buf (upper bounds and counts); returns how many. */
    int gather(int i, Buckets buf) {
      int n = 0;
      for (int k = 0; k < rows.size(); k++) {
        Row r = rows.get(k);
        if (r.has(i)) {
          if (n == buf.ub.length) {
            buf.ub = Arrays.copyOf(buf.ub, n * 2);
            buf.cnt = Arrays.copyOf(buf.cnt, n * 2);
          }
          buf.ub[n] = bounds.get(k);
          buf.cnt[n] = r.values[i];
          n++;
        }
      }
      return n;
    }
  }

  /** Reused scratch arrays for one step's buckets. */
  private static final class Buckets {
    double[] ub = new double[16];
    double[] cnt = new double[16];
  }

  private static Map<Labels, Group> group(Evaluator ev, List<Row> rows, Expr arg) {
    Map<Labels, Group> groups = new LinkedHashMap<>();
    for (Row r : rows) {
      String le = r.labels.get("le");
      double bound;
      try {
        bound = le.isEmpty() ? Double.NaN : GoFloat.parseFloat(le);
      } catch (NumberFormatException e) {
        bound = Double.NaN;
      }
      if (Double.isNaN(bound)) {
        ev.ctx.annotations.warn("bucket label \"le\" is missing or has a malformed value of " + GoQuote.quote(le)
            + " for metric name " + GoQuote.quote(r.labels.metricName()));
        continue;
      }
      Labels key = r.labels.toBuilder().del("le").build();
      if (!ev.ctx.delayedNameRemoval || r.dropName) {
        key = key.withoutMetricName();
      }
      Group g = groups.computeIfAbsent(key, k -> new Group());
      g.labels = key;
      g.dropName = ev.ctx.delayedNameRemoval;
      g.rows.add(r);
      g.bounds.add(bound);
    }
    return groups;
  }

  static Val quantile(Evaluator ev, List<Expr> args, StepGrid grid) {
    double[] q = ((ScalarVal) ev.eval(args.get(0), grid)).v();
    for (double x : q) {
      if (Double.isNaN(x) || x < 0 || x > 1) {
        ev.ctx.annotations.warn("quantile value should be between 0 and 1, got " + GoFloat.formatG(x));
        break;
      }
    }
    List<Row> rows = ((VectorVal) ev.eval(args.get(1), grid)).rows();
    Map<Labels, Group> groups = group(ev, rows, args.get(1));
    int steps = grid.steps();
    List<Row> out = new ArrayList<>();
    Buckets buf = new Buckets();
    for (Group g : groups.values()) {
      Row res = new Row(g.labels, steps);
      res.dropName = g.dropName;
      for (int i = 0; i < steps; i++) {
        int n = g.gather(i, buf);
        if (n == 0) {
          continue;
        }
        double v = bucketQuantile(ev, q[i], buf.ub, buf.cnt, n, g.rows.get(0).labels.metricName());
        res.set(i, v);
      }
      if (!res.isEmpty()) {
        out.add(res);
      }
    }
    return new VectorVal(ev.dedupe(out));
  }

  /** Sorts buckets by upper bound and merges buckets with the same bound; returns the new count. */
  private static int sortAndCoalesce(double[] ub, double[] cnt, int n) {
    // insertion sort: bucket counts are small
    for (int i = 1; i < n; i++) {
      double b = ub[i];
      double c = cnt[i];
      int j = i - 1;
      while (j >= 0 && ub[j] > b) {
        ub[j + 1] = ub[j];
        cnt[j + 1] = cnt[j];
        j--;
      }
      ub[j + 1] = b;
      cnt[j + 1] = c;
    }
    int w = 0;
    for (int i = 0; i < n; i++) {
      if (w > 0 && ub[w - 1] == ub[i]) {
        cnt[w - 1] += cnt[i];
      } else {
        ub[w] = ub[i];
        cnt[w] = cnt[i];
        w++;
      }
    }
    return w;
  }

  static double bucketQuantile(Evaluator ev, double q, double[] ub, double[] cnt, int n, String metric) {
    if (Double.isNaN(q)) {
      return Double.NaN;
    }
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    n = sortAndCoalesce(ub, cnt, n);
    if (ub[n - 1] != Double.POSITIVE_INFINITY) {
      return Double.NaN;
    }
    boolean forced = false;
    double prev = cnt[0];
    for (int i = 1; i < n; i++) {
      double curr = cnt[i];
      if (curr == prev) {
        continue;
      }
      if (almostEqual(prev, curr, SMALL_DELTA_TOLERANCE)) {
        cnt[i] = prev;
        continue;
      }
      if (curr < prev) {
        cnt[i] = prev;
        forced = true;
        continue;
      }
      prev = curr;
    }
    if (forced) {
      ev.ctx.annotations.info("input to histogram_quantile needed to be fixed for monotonicity (see "
          + "https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile) for metric name "
          + GoQuote.quote(metric));
    }
    if (n < 2) {
      return Double.NaN;
    }
    double observations = cnt[n - 1];
    if (observations == 0) {
      return Double.NaN;
    }
    double rank = q * observations;
    int b = 0;
    while (b < n - 1 && cnt[b] < rank) {
      b++;
    }
    if (b == n - 1) {
      return ub[n - 2];
    }
    if (b == 0 && ub[0] <= 0) {
      return ub[0];
    }
    double bucketStart = 0;
    double bucketEnd = ub[b];
    double count = cnt[b];
    if (b > 0) {
      bucketStart = ub[b - 1];
      count -= cnt[b - 1];
      rank -= cnt[b - 1];
    }
    return bucketStart + (bucketEnd - bucketStart) * (rank / count);
  }

  /** The almost.Equal of Prometheus's tests and bucket handling. */
  static boolean almostEqual(double a, double b, double epsilon) {
    if (Double.isNaN(a) && Double.isNaN(b)) {
      return true;
    }
    if (a == b) {
      return true;
    }
    double absSum = Math.abs(a) + Math.abs(b);
    double diff = Math.abs(a - b);
    if (a == 0 || b == 0 || absSum < Double.MIN_NORMAL) {
      return diff < epsilon * Double.MIN_NORMAL;
    }
    return diff / Math.min(absSum, Double.MAX_VALUE) < epsilon;
  }

  static Val fraction(Evaluator ev, List<Expr> args, StepGrid grid) {
    double[] lower = ((ScalarVal) ev.eval(args.get(0), grid)).v();
    double[] upper = ((ScalarVal) ev.eval(args.get(1), grid)).v();
    List<Row> rows = ((VectorVal) ev.eval(args.get(2), grid)).rows();
    Map<Labels, Group> groups = group(ev, rows, args.get(2));
    int steps = grid.steps();
    List<Row> out = new ArrayList<>();
    Buckets buf = new Buckets();
    for (Group g : groups.values()) {
      Row res = new Row(g.labels, steps);
      res.dropName = g.dropName;
      for (int i = 0; i < steps; i++) {
        int n = g.gather(i, buf);
        if (n == 0) {
          continue;
        }
        res.set(i, bucketFraction(lower[i], upper[i], buf.ub, buf.cnt, n));
      }
      if (!res.isEmpty()) {
        out.add(res);
      }
    }
    return new VectorVal(ev.dedupe(out));
  }

  static double bucketFraction(double lower, double upper, double[] ub, double[] cnt, int n) {
    n = sortAndCoalesce(ub, cnt, n);
    if (ub[n - 1] != Double.POSITIVE_INFINITY) {
      return Double.NaN;
    }
    double count = cnt[n - 1];
    if (count == 0 || Double.isNaN(lower) || Double.isNaN(upper)) {
      return Double.NaN;
    }
    if (lower >= upper) {
      return 0;
    }
    double rank = 0;
    double lowerRank = 0;
    double upperRank = 0;
    boolean lowerSet = false;
    boolean upperSet = false;
    for (int i = 0; i < n; i++) {
      double lowerBound = i > 0 ? ub[i - 1] : Double.NEGATIVE_INFINITY;
      double upperBound = ub[i];
      if (i == 0 && upperBound > 0) {
        lowerBound = 0; // the first bucket of a classic histogram starts at 0 when its bound is positive
      }
      if (!lowerSet && lowerBound >= lower) {
        lowerRank = rank;
        lowerSet = true;
      }
      if (!upperSet && lowerBound >= upper) {
        upperRank = rank;
        upperSet = true;
      }
      if (lowerSet && upperSet) {
        break;
      }
      if (!lowerSet && lowerBound < lower && upperBound > lower) {
        lowerRank = interpolate(rank, cnt[i], lowerBound, upperBound, lower);
        lowerSet = true;
      }
      if (!upperSet && lowerBound < upper && upperBound > upper) {
        upperRank = interpolate(rank, cnt[i], lowerBound, upperBound, upper);
        upperSet = true;
      }
      if (lowerSet && upperSet) {
        break;
      }
      rank = cnt[i];
    }
    if (!lowerSet || lowerRank > count) {
      lowerRank = count;
    }
    if (!upperSet || upperRank > count) {
      upperRank = count;
    }
    return (upperRank - lowerRank) / count;
  }

  private static double interpolate(double rank, double bucketCount, double lowerBound, double upperBound, double v) {
    if (Double.isInfinite(lowerBound) || Double.isInfinite(upperBound)) {
      return v <= lowerBound ? rank : bucketCount;
    }
    return rank + (bucketCount - rank) * (v - lowerBound) / (upperBound - lowerBound);
  }
}
