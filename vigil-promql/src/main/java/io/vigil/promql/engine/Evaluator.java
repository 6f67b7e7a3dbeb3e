package io.vigil.promql.engine;

import io.vigil.model.Labels;
import io.vigil.model.Matcher;
import io.vigil.model.StaleNaN;
import io.vigil.promql.QueryException;
import io.vigil.promql.parser.Expr;
import io.vigil.promql.parser.Expr.AggregateExpr;
import io.vigil.promql.parser.Expr.AtModifier;
import io.vigil.promql.parser.Expr.BinaryExpr;
import io.vigil.promql.parser.Expr.Call;
import io.vigil.promql.parser.Expr.DurationExpr;
import io.vigil.promql.parser.Expr.MatrixSelector;
import io.vigil.promql.parser.Expr.NumberLiteral;
import io.vigil.promql.parser.Expr.ParenExpr;
import io.vigil.promql.parser.Expr.StringLiteral;
import io.vigil.promql.parser.Expr.SubqueryExpr;
import io.vigil.promql.parser.Expr.UnaryExpr;
import io.vigil.promql.parser.Expr.VectorSelector;
import io.vigil.promql.parser.TokenType;
import io.vigil.storage.Querier;
import io.vigil.storage.SampleIterator;
import io.vigil.storage.SelectHints;
import io.vigil.storage.Series;
import io.vigil.storage.SeriesSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates an expression over a {@link StepGrid} in one pass: every node produces its values for
 * all steps at once (rows of per-step arrays), selectors load each series once into primitive
 * arrays, and range functions slide index windows across the steps.
 */
public final class Evaluator {
  /** The value of a node over all steps. */
  public sealed interface Val permits ScalarVal, StringVal, VectorVal, MatrixVal {}

  /** One value per step. */
  public record ScalarVal(double[] v) implements Val {}

  public record StringVal(String s) implements Val {}

  public record VectorVal(List<Row> rows) implements Val {}

  /**
   * A range vector: raw series and, per step, the end of its window (start = end - rangeMs,
   * left-open). {@code selector} is the matrix selector's selector, used by absent_over_time.
   */
  public record MatrixVal(List<RangeSeries> series, long rangeMs, long[] windowEnds, VectorSelector selector)
      implements Val {}

  final EvalContext ctx;

  public Evaluator(EvalContext ctx) {
    this.ctx = ctx;
  }

  public Val eval(Expr e, StepGrid grid) {
    ctx.check();
    return switch (e) {
      case NumberLiteral n -> constant(n.value(), grid);
      case StringLiteral s -> new StringVal(s.value());
      case ParenExpr p -> eval(p.expr(), grid);
      case UnaryExpr u -> unary(u, grid);
      case VectorSelector vs -> new VectorVal(selectRows(vs, grid));
      case MatrixSelector m -> evalRange(m, grid);
      case SubqueryExpr sq -> evalRange(sq, grid);
      case Call c -> FunctionCalls.call(this, c, grid);
      case AggregateExpr a -> Aggregations.aggregate(this, a, grid);
      case BinaryExpr b -> BinaryOps.eval(this, b, grid);
      case DurationExpr d -> durationValue(d, grid);
    };
  }

  static ScalarVal constant(double v, StepGrid grid) {
    double[] a = new double[grid.steps()];
    Arrays.fill(a, v);
    return new ScalarVal(a);
  }

  private Val durationValue(DurationExpr d, StepGrid grid) {
    double v = switch (d.op()) {
      case START -> ctx.queryStartMs / 1000.0;
      case END -> ctx.queryEndMs / 1000.0;
      default -> d.evaluate(ctx.queryStepMs / 1000.0, (ctx.queryEndMs - ctx.queryStartMs) / 1000.0);
    };
    return constant(v, grid);
  }

  private Val unary(UnaryExpr u, StepGrid grid) {
    Val v = eval(u.expr(), grid);
    if (u.op() == TokenType.ADD) {
      return v;
    }
    if (v instanceof ScalarVal s) {
      double[] out = new double[s.v().length];
      for (int i = 0; i < out.length; i++) {
        out[i] = -s.v()[i];
      }
      return new ScalarVal(out);
    }
    List<Row> rows = ((VectorVal) v).rows();
    for (Row r : rows) {
      for (int i = 0; i < r.values.length; i++) {
        r.values[i] = -r.values[i];
      }
      dropName(r);
    }
    return new VectorVal(dedupe(rows));
  }

  /** Drops __name__ now, or marks it to be dropped at the end (delayed name removal). */
  void dropName(Row r) {
    if (ctx.delayedNameRemoval) {
      r.dropName = true;
    } else {
      r.labels = r.labels.withoutMetricName();
    }
  }

  static Labels effectiveLabels(Row r) {
    return r.dropName ? r.labels.withoutMetricName() : r.labels;
  }

  /**
   * Merges rows whose labels became equal (e.g. after the name was dropped) when they never have a
   * point at the same step; fails like Prometheus when they do.
   */
  List<Row> dedupe(List<Row> rows) {
    if (rows.size() < 2) {
      return rows;
    }
    Map<Labels, Row> seen = new HashMap<>(rows.size() * 2);
    List<Row> out = null;
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      // With delayed name removal the name still tells series apart until the query ends.
      Row prev = seen.putIfAbsent(r.labels, r);
      if (prev != null) {
        if (prev.overlaps(r)) {
          throw new QueryException(QueryException.Kind.EXECUTION, "vector cannot contain metrics with the same labelset");
        }
        prev.merge(r);
        if (out == null) {
          out = new ArrayList<>(rows.subList(0, i));
        }
      } else if (out != null) {
        out.add(r);
      }
    }
    return out == null ? rows : out;
  }

  // ---- selectors ----

  private long[] evalTimes(AtModifier at, long atMs, long offsetMs, StepGrid grid) {
    int n = grid.steps();
    long[] t = new long[n];
    for (int i = 0; i < n; i++) {
      long base = switch (at) {
        case NONE -> grid.time(i);
        case TIMESTAMP -> atMs;
        case START -> ctx.queryStartMs;
        case END -> ctx.queryEndMs;
      };
      t[i] = base - offsetMs;
    }
    return t;
  }

  /** Per step, the end of the selector's window: the step time (or @ time) minus the offset. */
  long[] windowEnds(VectorSelector vs, StepGrid grid) {
    return evalTimes(vs.at(), vs.atMs(), offsetOf(vs), grid);
  }

  long offsetOf(VectorSelector vs) {
    if (vs.offsetExpr() != null) {
      return (long) (vs.offsetExpr().evaluate(ctx.queryStepMs / 1000.0, (ctx.queryEndMs - ctx.queryStartMs) / 1000.0)
          * 1000);
    }
    return vs.offsetMs();
  }

  List<Row> selectRows(VectorSelector vs, StepGrid grid) {
    return selectRows(vs, grid, false);
  }

  /**
   * Instant-vector selection: per step, the newest sample in (t - lookback, t] unless it is a
   * staleness marker. Left-open since Prometheus 3.0 (prometheus/prometheus#13904): a sample exactly
   * one lookback delta old is no longer selected. With {@code timestamps}, the value is the sample's timestamp in seconds
   * (what timestamp() of a selector returns).
   */
  List<Row> selectRows(VectorSelector vs, StepGrid grid, boolean timestamps) {
    long[] times = evalTimes(vs.at(), vs.atMs(), offsetOf(vs), grid);
    long mint = times[0] - ctx.lookbackMs;
    long maxt = times[times.length - 1];
    List<Row> rows = new ArrayList<>();
    int steps = times.length;
    long lookback = ctx.lookbackMs;
    scan(vs, mint, maxt, false, "", 0, grid, s -> {
      Row row = null;
      int k = -1; // last index with t <= time
      for (int i = 0; i < steps; i++) {
        long t = times[i];
        while (k + 1 < s.n && s.t[k + 1] <= t) {
          k++;
        }
        if (k >= 0 && s.t[k] > t - lookback && !StaleNaN.is(s.v[k])) {
          if (row == null) {
            row = new Row(s.labels, steps);
          }
          row.set(i, timestamps ? s.t[k] / 1000.0 : s.v[k]);
        }
      }
      if (row != null) {
        ctx.addSamples(row.count());
        rows.add(row);
      }
    });
    return rows;
  }

  /** Loads the selector's series with samples in [mint, maxt] into their own arrays (see {@link #scan}). */
  List<RangeSeries> load(VectorSelector vs, long mint, long maxt, boolean dropStale, String func, long rangeMs,
      StepGrid grid) {
    List<RangeSeries> out = new ArrayList<>();
    scan(vs, mint, maxt, dropStale, func, rangeMs, grid, rs -> {
      ctx.addSamples(rs.n);
      out.add(new RangeSeries(rs.labels, Arrays.copyOf(rs.t, rs.n), Arrays.copyOf(rs.v, rs.n), rs.n));
    });
    return out;
  }

  /**
   * Streams the selector's series with samples in [mint, maxt] to {@code each}, one at a time, in
   * one reused {@link RangeSeries} whose arrays are only valid during the call: the caller computes
   * what it needs (a row of per-step values) and keeps no raw samples. Series without samples in
   * range are skipped; staleness markers are dropped when {@code dropStale}.
   */
  void scan(VectorSelector vs, long mint, long maxt, boolean dropStale, String func, long rangeMs, StepGrid grid,
      java.util.function.Consumer<RangeSeries> each) {
    Querier q = ctx.querier(mint, maxt);
    SelectHints hints = new SelectHints(mint, maxt, grid.intervalMs(), func, rangeMs, 0);
    Matcher[] matchers = vs.matchers().toArray(new Matcher[0]);
    // Unsorted, as Prometheus's engine asks: results are ordered where PromQL defines an order (range
    // results, sort(), topk), and sorting every selected series by labels cost a fifth of the time of
    // queries over tens of thousands of series. Queriers spanning blocks still merge sorted sets.
    SeriesSet set = q.select(false, hints, matchers);
    SampleIterator it = null;
    RangeSeries buf = new RangeSeries(Labels.EMPTY, new long[64], new double[64], 0);
    while (set.next()) {
      ctx.check();
      Series s = set.at();
      it = s.iterator(it);
      int n = 0;
      long[] tb = buf.t;
      double[] vb = buf.v;
      if (it.seek(mint)) {
        do {
          long t = it.atT();
          if (t > maxt) {
            break;
          }
          double v = it.atV();
          if (dropStale && StaleNaN.is(v)) {
            continue;
          }
          if (n == tb.length) {
            tb = Arrays.copyOf(tb, n * 2);
            vb = Arrays.copyOf(vb, n * 2);
          }
          tb[n] = t;
          vb[n] = v;
          n++;
        } while (it.next());
      }
      buf.t = tb;
      buf.v = vb;
      if (n == 0) {
        continue;
      }
      buf.n = n;
      buf.labels = s.labels();
      each.accept(buf);
    }
    for (String w : set.warnings()) {
      ctx.annotations.storageWarning(w);
    }
  }

  // ---- range vectors ----

  long durationMs(long ms, DurationExpr expr) {
    if (expr != null) {
      return (long) (expr.evaluate(ctx.queryStepMs / 1000.0, (ctx.queryEndMs - ctx.queryStartMs) / 1000.0) * 1000);
    }
    return ms;
  }

  /** Evaluates a matrix-typed expression: a range selector, a subquery, or one in parentheses. */
  MatrixVal evalRange(Expr e, StepGrid grid) {
    ctx.check();
    return switch (e) {
      case ParenExpr p -> evalRange(p.expr(), grid);
      case MatrixSelector m -> {
        VectorSelector vs = m.selector();
        long range = durationMs(m.rangeMs(), m.rangeExpr());
        long[] ends = evalTimes(vs.at(), vs.atMs(), offsetOf(vs), grid);
        List<RangeSeries> series = load(vs, ends[0] - range + 1, ends[ends.length - 1], true, "", range, grid);
        yield new MatrixVal(series, range, ends, vs);
      }
      case SubqueryExpr sq -> subquery(sq, grid);
      default -> throw new IllegalStateException("not a range vector: " + e);
    };
  }

  private MatrixVal subquery(SubqueryExpr sq, StepGrid grid) {
    long range = durationMs(sq.rangeMs(), sq.rangeExpr());
    long step = durationMs(sq.stepMs(), sq.stepExpr());
    if (step <= 0) {
      step = ctx.defaultSubqueryStepMs;
    }
    long offset = durationMs(sq.offsetMs(), sq.offsetExpr());
    long[] ends = evalTimes(sq.at(), sq.atMs(), offset, grid);
    long from = ends[0] - range;
    // Aligned to absolute multiples of the step: the first such time at or after from.
    long start = Math.floorDiv(from, step) * step;
    if (start < from) {
      start += step;
    }
    long end = ends[ends.length - 1];
    List<RangeSeries> series = new ArrayList<>();
    if (start <= end) {
      StepGrid inner = new StepGrid(start, end, step);
      Val v = eval(sq.expr(), inner);
      List<Row> rows = ((VectorVal) v).rows();
      for (Row r : rows) {
        int n = r.count();
        long[] t = new long[n];
        double[] vals = new double[n];
        int k = 0;
        for (int i = 0; i < r.values.length; i++) {
          if (r.has(i)) {
            t[k] = inner.time(i);
            vals[k++] = r.values[i];
          }
        }
        RangeSeries rs = new RangeSeries(r.labels, t, vals, n);
        rs.dropName = r.dropName;
        series.add(rs);
      }
    }
    return new MatrixVal(series, range, ends, null);
  }
}
