package io.vigil.promql.engine;

import io.vigil.model.LabelNames;
import io.vigil.model.Labels;
import io.vigil.promql.QueryException;
import io.vigil.promql.engine.Evaluator.ScalarVal;
import io.vigil.promql.engine.Evaluator.StringVal;
import io.vigil.promql.engine.Evaluator.Val;
import io.vigil.promql.engine.Evaluator.VectorVal;
import io.vigil.promql.parser.Expr.AggregateExpr;
import io.vigil.promql.parser.GoFloat;
import io.vigil.promql.parser.GoQuote;
import io.vigil.promql.parser.TokenType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The aggregation operators (sum, avg, topk, quantile, count_values, ...) over all steps at once. */
final class Aggregations {
  private Aggregations() {}

  static Val aggregate(Evaluator ev, AggregateExpr a, StepGrid grid) {
    double[] param = null;
    String valueLabel = null;
    if (a.param() != null) {
      Val p = ev.eval(a.param(), grid);
      if (p instanceof ScalarVal s) {
        param = s.v();
      } else {
        valueLabel = ((StringVal) p).s();
      }
    }
    List<Row> rows = ((VectorVal) ev.eval(a.expr(), grid)).rows();
    TokenType op = a.op();
    // With delayed name removal, rows whose name is pending removal still group by it (by (__name__)).
    int steps = grid.steps();
    // Group index per row; groups in order of first appearance.
    Set<String> groupingSet = new HashSet<>(a.grouping());
    Map<Labels, Integer> groupIndex = new LinkedHashMap<>();
    List<Labels> groupLabels = new ArrayList<>();
    int[] groupOf = new int[rows.size()];
    Set<String> without = new HashSet<>(a.grouping());
    without.add(Labels.METRIC_NAME);
    for (int r = 0; r < rows.size(); r++) {
      Labels l = rows.get(r).labels;
      Labels key = a.without() ? l.drop(without) : l.keep(groupingSet);
      Integer g = groupIndex.get(key);
      if (g == null) {
        g = groupLabels.size();
        groupIndex.put(key, g);
        groupLabels.add(key);
      }
      groupOf[r] = g;
    }
    int groups = groupLabels.size();
    return switch (op) {
      case SUM, AVG, COUNT, MIN, MAX, GROUP, STDDEV, STDVAR -> simple(op, rows, groupOf, groupLabels, steps);
      case QUANTILE -> quantile(ev, param, rows, groupOf, groupLabels, steps);
      case TOPK, BOTTOMK, LIMITK -> topk(op, param, rows, groupOf, groups, steps);
      case LIMIT_RATIO -> limitRatio(ev, param, rows, steps);
      case COUNT_VALUES -> countValues(valueLabel, rows, groupOf, groupLabels, steps, a.without());
      default -> throw new IllegalStateException("not an aggregation: " + op);
    };
  }

  private static Val simple(TokenType op, List<Row> rows, int[] groupOf, List<Labels> groupLabels, int steps) {
    int groups = groupLabels.size();
    Row[] out = new Row[groups];
    for (int g = 0; g < groups; g++) {
      out[g] = new Row(groupLabels.get(g), steps);
    }
    double[][] comp = null;
    double[][] count = null;
    double[][] mean = null;
    boolean[][] incremental = null;
    if (op == TokenType.SUM || op == TokenType.AVG) {
      comp = new double[groups][steps];
    }
    if (op == TokenType.AVG || op == TokenType.STDDEV || op == TokenType.STDVAR) {
      count = new double[groups][steps];
      mean = new double[groups][steps];
    }
    if (op == TokenType.AVG) {
      incremental = new boolean[groups][steps];
    }
    double[] c1 = new double[1];
    for (int r = 0; r < rows.size(); r++) {
      Row row = rows.get(r);
      int g = groupOf[r];
      Row o = out[g];
      // Delayed name removal: a group keyed by __name__ drops it if any member's name was to be dropped.
      o.dropName |= row.dropName && o.labels.has(Labels.METRIC_NAME);
      for (int w = 0; w < row.present.length; w++) {
        long bits = row.present[w];
        while (bits != 0) {
          int i = (w << 6) + Long.numberOfTrailingZeros(bits);
          bits &= bits - 1;
          double f = row.values[i];
          boolean first = !o.has(i);
          switch (op) {
            case SUM -> {
              if (first) {
                o.set(i, f);
              } else {
                c1[0] = comp[g][i];
                o.values[i] = Kahan.inc(f, o.values[i], c1);
                comp[g][i] = c1[0];
              }
            }
            case AVG -> {
              if (first) {
                o.set(i, f);
                count[g][i] = 1;
                continue;
              }
              double n = ++count[g][i];
              if (!incremental[g][i]) {
                c1[0] = comp[g][i];
                double newSum = Kahan.inc(f, o.values[i], c1);
                if (!Double.isInfinite(newSum)) {
                  o.values[i] = newSum;
                  comp[g][i] = c1[0];
                  continue;
                }
                // The sum overflows: continue with an incremental mean.
                incremental[g][i] = true;
                mean[g][i] = o.values[i] / (n - 1);
                comp[g][i] /= (n - 1);
              }
              double q = (n - 1) / n;
              c1[0] = q * comp[g][i];
              mean[g][i] = Kahan.inc(f / n, q * mean[g][i], c1);
              comp[g][i] = c1[0];
            }
            case COUNT -> o.set(i, first ? 1 : o.values[i] + 1);
            case GROUP -> o.set(i, 1);
            case MIN -> {
              if (first || o.values[i] > f || Double.isNaN(o.values[i])) {
                o.set(i, f);
              }
            }
            case MAX -> {
              if (first || o.values[i] < f || Double.isNaN(o.values[i])) {
                o.set(i, f);
              }
            }
            case STDDEV, STDVAR -> {
              if (first) {
                o.set(i, 0);
                count[g][i] = 1;
                mean[g][i] = f;
              } else {
                double n = ++count[g][i];
                double delta = f - mean[g][i];
                mean[g][i] += delta / n;
                o.values[i] += delta * (f - mean[g][i]);
              }
            }
            default -> throw new IllegalStateException();
          }
        }
      }
    }
    for (int g = 0; g < groups; g++) {
      Row o = out[g];
      for (int i = 0; i < steps; i++) {
        if (!o.has(i)) {
          continue;
        }
        switch (op) {
          case SUM -> o.values[i] += comp[g][i];
          case AVG -> o.values[i] = incremental[g][i] ? mean[g][i] + comp[g][i]
              : o.values[i] / count[g][i] + comp[g][i] / count[g][i];
          case STDVAR -> o.values[i] = o.values[i] / count[g][i];
          case STDDEV -> o.values[i] = Math.sqrt(o.values[i] / count[g][i]);
          default -> { }
        }
      }
    }
    return new VectorVal(new ArrayList<>(Arrays.asList(out)));
  }

  /**
   * Prometheus's quantile: NaN for no values or NaN q, -Inf/+Inf below 0/above 1, else linear
   * interpolation between the two closest ranks. Sorts {@code values[0..n)} in place (NaN first).
   */
  static double quantile(double q, double[] values, int n) {
    if (n == 0 || Double.isNaN(q)) {
      return Double.NaN;
    }
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    Arrays.sort(values, 0, n); // Java sorts NaN last; Prometheus sorts it first
    int nans = 0;
    while (nans < n && Double.isNaN(values[n - 1 - nans])) {
      nans++;
    }
    if (nans > 0) {
      System.arraycopy(values, 0, values, nans, n - nans);
      Arrays.fill(values, 0, nans, Double.NaN);
    }
    double rank = q * (n - 1);
    double lower = Math.max(0, Math.floor(rank));
    double upper = Math.min(n - 1, lower + 1);
    double weight = rank - Math.floor(rank);
    return values[(int) lower] * (1 - weight) + values[(int) upper] * weight;
  }

  private static Val quantile(Evaluator ev, double[] q, List<Row> rows, int[] groupOf, List<Labels> groupLabels,
      int steps) {
    for (double x : q) {
      if (Double.isNaN(x) || x < 0 || x > 1) {
        ev.ctx.annotations.warn("quantile value should be between 0 and 1, got " + GoFloat.formatG(x));
        break;
      }
    }
    int groups = groupLabels.size();
    List<Row> out = new ArrayList<>(groups);
    double[] buf = new double[rows.size()];
    int[][] members = membersByGroup(groupOf, groups);
    for (int g = 0; g < groups; g++) {
      Row o = new Row(groupLabels.get(g), steps);
      for (int i = 0; i < steps; i++) {
        int n = 0;
        for (int r : members[g]) {
          if (rows.get(r).has(i)) {
            buf[n++] = rows.get(r).values[i];
          }
        }
        if (n > 0) {
          o.set(i, quantile(q[i], buf, n));
        }
      }
      out.add(o);
    }
    return new VectorVal(out);
  }

  private static long kAt(double f) {
    if (Double.isNaN(f) || f >= 9.223372036854776E18 || f < -9.223372036854776E18) {
      throw new QueryException(QueryException.Kind.EXECUTION, "Scalar value " + GoFloat.formatG(f) + " overflows int64");
    }
    return (long) f;
  }

  private static Val topk(TokenType op, double[] param, List<Row> rows, int[] groupOf, int groups, int steps) {
    Row[] out = new Row[rows.size()];
    int[][] members = membersByGroup(groupOf, groups);
    int[] heap = new int[16];
    // For instant queries the output order is by group, then by value (desc for topk, asc for bottomk).
    List<Integer> instantOrder = new ArrayList<>();
    boolean top = op == TokenType.TOPK;
    for (int i = 0; i < steps; i++) {
      long k = kAt(param[i]);
      if (k < 1) {
        continue;
      }
      for (int g = 0; g < groups; g++) {
        int kk = (int) Math.min(k, members[g].length);
        if (heap.length < kk) {
          heap = new int[kk];
        }
        int n = 0;
        for (int r : members[g]) {
          if (!rows.get(r).has(i)) {
            continue;
          }
          if (op == TokenType.LIMITK) {
            if (n < kk) {
              heap[n++] = r;
            }
            continue;
          }
          // A bounded heap whose root is the worst kept series: O(n log k), no boxing.
          if (n < kk) {
            heap[n] = r;
            siftUp(heap, n++, rows, i, top);
          } else if (better(rows.get(r).values[i], rows.get(heap[0]).values[i], top)) {
            heap[0] = r;
            siftDown(heap, n, rows, i, top);
          }
        }
        if (op != TokenType.LIMITK) {
          // Heap-sort the kept series best first.
          for (int end = n - 1; end > 0; end--) {
            int t = heap[0];
            heap[0] = heap[end];
            heap[end] = t;
            siftDown(heap, end, rows, i, top);
          }
        }
        for (int m = 0; m < n; m++) {
          int r = heap[m];
          if (out[r] == null) {
            out[r] = rows.get(r).emptyLike();
          }
          out[r].set(i, rows.get(r).values[i]);
          if (steps == 1) {
            instantOrder.add(r);
          }
        }
      }
    }
    List<Row> result = new ArrayList<>();
    if (steps == 1) {
      for (int r : instantOrder) {
        result.add(out[r]);
      }
    } else {
      for (Row r : out) {
        if (r != null) {
          result.add(r);
        }
      }
    }
    return new VectorVal(result);
  }

  static int[][] membersByGroup(int[] groupOf, int groups) {
    int[] counts = new int[groups];
    for (int g : groupOf) {
      counts[g]++;
    }
    int[][] members = new int[groups][];
    for (int g = 0; g < groups; g++) {
      members[g] = new int[counts[g]];
      counts[g] = 0;
    }
    for (int r = 0; r < groupOf.length; r++) {
      int g = groupOf[r];
      members[g][counts[g]++] = r;
    }
    return members;
  }

  /** Whether a ranks before b: larger for topk, smaller for bottomk; NaN always last. */
  private static boolean better(double a, double b, boolean top) {
    if (Double.isNaN(a)) {
      return false;
    }
    if (Double.isNaN(b)) {
      return true;
    }
    return top ? a > b : a < b;
  }

  /** Heap order: the root is the worst element (a parent is never better than its children). */
  private static void siftUp(int[] h, int i, List<Row> rows, int step, boolean top) {
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!better(rows.get(h[parent]).values[step], rows.get(h[i]).values[step], top)) {
        return;
      }
      int t = h[parent];
      h[parent] = h[i];
      h[i] = t;
      i = parent;
    }
  }

  private static void siftDown(int[] h, int n, List<Row> rows, int step, boolean top) {
    int i = 0;
    while (true) {
      int l = 2 * i + 1;
      if (l >= n) {
        return;
      }
      int worst = l;
      int r = l + 1;
      if (r < n && better(rows.get(h[l]).values[step], rows.get(h[r]).values[step], top)) {
        worst = r;
      }
      if (!better(rows.get(h[i]).values[step], rows.get(h[worst]).values[step], top)) {
        return;
      }
      int t = h[i];
      h[i] = h[worst];
      h[worst] = t;
      i = worst;
    }
  }

  /**
   * limit_ratio(r, v): the series whose position (Prometheus's label hash scaled to [0, 1]) is below r,
   * or for negative r at or above 1 + r, so r and r - 1 pick complementary sets. The position is fixed
   * per series, so the result does not flap between steps, and it is Prometheus's own hash, so the
   * same series are picked as by Prometheus. r outside [-1, 1] is capped, with a warning.
   */
  private static Val limitRatio(Evaluator ev, double[] param, List<Row> rows, int steps) {
    double max = Double.NEGATIVE_INFINITY;
    double min = Double.POSITIVE_INFINITY;
    for (int i = 0; i < steps; i++) {
      max = Math.max(max, param[i]);
      min = Math.min(min, param[i]);
    }
    if (max > 1) {
      ev.ctx.annotations.warn("ratio value should be between -1 and 1, got " + GoFloat.formatG(max) + ", capping to 1");
    }
    if (min < -1) {
      ev.ctx.annotations.warn("ratio value should be between -1 and 1, got " + GoFloat.formatG(min)
          + ", capping to -1");
    }
    List<Row> result = new ArrayList<>();
    for (Row row : rows) {
      double pos = PrometheusLabelsHash.ratioOffset(row.labels);
      Row o = row.emptyLike();
      for (int i = 0; i < steps; i++) {
        if (!row.has(i)) {
          continue;
        }
        double ratio = Math.max(-1, Math.min(1, param[i]));
        boolean in = ratio >= 0 ? pos < ratio : pos >= 1 + ratio;
        if (in) {
          o.set(i, row.values[i]);
        }
      }
      if (!o.isEmpty()) {
        result.add(o);
      }
    }
    return new VectorVal(result);
  }

  private static Val countValues(String valueLabel, List<Row> rows, int[] groupOf, List<Labels> groupLabels, int steps,
      boolean without) {
    if (!LabelNames.isValidLabelName(valueLabel)) {
      throw new QueryException(QueryException.Kind.EXECUTION, "invalid label name " + GoQuote.quote(valueLabel));
    }
    Map<Labels, Row> out = new LinkedHashMap<>();
    Map<Labels, Row> cache = new HashMap<>();
    for (int r = 0; r < rows.size(); r++) {
      Row row = rows.get(r);
      Labels base = groupLabels.get(groupOf[r]);
      for (int i = 0; i < steps; i++) {
        if (!row.has(i)) {
          continue;
        }
        Labels l = base.toBuilder().set(valueLabel, GoFloat.formatF(row.values[i])).build();
        Row o = out.computeIfAbsent(l, x -> new Row(x, steps));
        o.set(i, o.has(i) ? o.values[i] + 1 : 1);
      }
    }
    cache.clear();
    return new VectorVal(new ArrayList<>(out.values()));
  }
}
