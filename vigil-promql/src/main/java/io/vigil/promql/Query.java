package io.vigil.promql;

import io.vigil.model.Labels;
import io.vigil.promql.engine.EvalContext;
import io.vigil.promql.engine.Evaluator;
import io.vigil.promql.engine.Evaluator.MatrixVal;
import io.vigil.promql.engine.Evaluator.ScalarVal;
import io.vigil.promql.engine.Evaluator.StringVal;
import io.vigil.promql.engine.Evaluator.Val;
import io.vigil.promql.engine.Evaluator.VectorVal;
import io.vigil.promql.engine.RangeSeries;
import io.vigil.promql.engine.Row;
import io.vigil.promql.engine.StepGrid;
import io.vigil.promql.parser.Expr;
import io.vigil.promql.parser.Printer;
import io.vigil.storage.Queryable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One prepared query. {@link #execute()} evaluates it (once); {@link #cancel()} may be called from
 * any thread, e.g. when the HTTP client disconnects, and makes a running or waiting
 * {@code execute()} fail with a CANCELED {@link QueryException}.
 */
public final class Query {
  private final Engine engine;
  private final Queryable queryable;
  private final String text;
  private final Expr expr;
  private final long startMs;
  private final long endMs;
  private final long stepMs;
  private final long parseNanos;
  private volatile EvalContext ctx;
  private volatile boolean canceled;

  Query(Engine engine, Queryable queryable, String text, Expr expr, long startMs, long endMs, long stepMs,
      long parseNanos) {
    this.engine = engine;
    this.queryable = queryable;
    this.text = text;
    this.expr = expr;
    this.startMs = startMs;
    this.endMs = endMs;
    this.stepMs = stepMs;
    this.parseNanos = parseNanos;
  }

  public Expr expr() {
    return expr;
  }

  /** The query text as given, or the printed expression for pre-parsed queries. */
  public String text() {
    return text != null ? text : Printer.toString(expr);
  }

  public boolean isRange() {
    return stepMs > 0;
  }

  /** Stops the query as soon as possible. Thread-safe; harmless after completion. */
  public void cancel() {
    canceled = true;
    EvalContext c = ctx;
    if (c != null) {
      c.cancel();
    }
  }

  /**
   * Evaluates the query.
   *
   * @throws QueryException on timeout, cancellation, too many samples or an evaluation error
   */
  public Result execute() {
    EngineOptions o = engine.options();
    long t0 = System.nanoTime();
    long timeoutNanos = o.timeout().toNanos();
    long deadline = timeoutNanos > 0 ? t0 + timeoutNanos : 0;
    boolean acquired;
    try {
      acquired = timeoutNanos > 0 ? engine.slots().tryAcquire(timeoutNanos, TimeUnit.NANOSECONDS)
          : acquire(engine);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new QueryException(QueryException.Kind.CANCELED, "query was canceled in query queue");
    }
    if (!acquired) {
      throw new QueryException(QueryException.Kind.TIMEOUT, "query timed out in query queue");
    }
    long queued = System.nanoTime() - t0;
    EvalContext c = new EvalContext(queryable, o.lookbackDelta().toMillis(), o.defaultSubqueryStep().toMillis(),
        o.delayedNameRemoval(), o.maxSamples(), startMs, endMs, stepMs, deadline == 0 ? 0 : deadline | 1,
        "expression evaluation");
    ctx = c;
    if (canceled) {
      c.cancel();
    }
    long evalStart = System.nanoTime();
    Result result = null;
    RuntimeException failure = null;
    try {
      Value v = evaluate(c);
      long evalNanos = System.nanoTime() - evalStart;
      QueryStats stats = new QueryStats(c.totalSamples(), c.peakSamples(), queued, parseNanos, evalNanos);
      result = new Result(v, c.annotations.warnings(), c.annotations.infos(), stats);
      return result;
    } catch (RuntimeException e) {
      failure = e;
      throw e;
    } finally {
      c.close();
      engine.slots().release();
      QueryLog log = engine.queryLog();
      if (log != null) {
        log.write(this, startMs, endMs, stepMs, queued, parseNanos, System.nanoTime() - evalStart,
            result != null ? result.stats() : null, failure);
      }
    }
  }

  private static boolean acquire(Engine engine) throws InterruptedException {
    engine.slots().acquire();
    return true;
  }

  private Value evaluate(EvalContext c) {
    Evaluator ev = new Evaluator(c);
    StepGrid grid = new StepGrid(startMs, endMs, stepMs > 0 ? stepMs : 1);
    Val val = ev.eval(expr, grid);
    c.check();
    if (stepMs == 0) {
      return instantValue(val, c);
    }
    return rangeValue(val, grid);
  }

  private Value instantValue(Val val, EvalContext c) {
    return switch (val) {
      case ScalarVal s -> new Scalar(startMs, s.v()[0]);
      case StringVal s -> new StringValue(startMs, s.s());
      case VectorVal v -> {
        List<Labels> labels = new ArrayList<>();
        double[] values = new double[v.rows().size()];
        Map<Labels, Boolean> seen = new HashMap<>();
        int n = 0;
        for (Row r : v.rows()) {
          if (!r.has(0)) {
            continue;
          }
          Labels l = r.dropName ? r.labels.withoutMetricName() : r.labels;
          if (seen.put(l, Boolean.TRUE) != null) {
            throw new QueryException(QueryException.Kind.EXECUTION, "vector cannot contain metrics with the same labelset");
          }
          labels.add(l);
          values[n++] = r.values[0];
        }
        yield new Vector(startMs, labels, Arrays.copyOf(values, n));
      }
      case MatrixVal m -> {
        long end = m.windowEnds()[0];
        long start = end - m.rangeMs();
        List<Matrix.Series> out = new ArrayList<>();
        for (RangeSeries s : m.series()) {
          int from = s.firstAfter(start);
          int to = s.firstAfter(end);
          if (to > from) {
            Labels l = s.dropName ? s.labels.withoutMetricName() : s.labels;
            out.add(new Matrix.Series(l, Arrays.copyOfRange(s.t, from, to), Arrays.copyOfRange(s.v, from, to)));
          }
        }
        out.sort((a, b) -> a.labels().compareTo(b.labels()));
        for (int i = 1; i < out.size(); i++) {
          if (out.get(i).labels().equals(out.get(i - 1).labels())) {
            throw new QueryException(QueryException.Kind.EXECUTION, "vector cannot contain metrics with the same labelset");
          }
        }
        yield new Matrix(out);
      }
    };
  }

  private Value rangeValue(Val val, StepGrid grid) {
    List<Row> rows;
    if (val instanceof ScalarVal s) {
      Row r = new Row(Labels.EMPTY, grid.steps());
      for (int i = 0; i < grid.steps(); i++) {
        r.set(i, s.v()[i]);
      }
      rows = List.of(r);
    } else {
      rows = ((VectorVal) val).rows();
    }
    Map<Labels, Row> merged = new HashMap<>();
    List<Row> order = new ArrayList<>();
    for (Row r : rows) {
      Labels l = r.dropName ? r.labels.withoutMetricName() : r.labels;
      Row prev = merged.get(l);
      if (prev == null) {
        r.labels = l;
        r.dropName = false;
        merged.put(l, r);
        order.add(r);
      } else {
        if (prev.overlaps(r)) {
          throw new QueryException(QueryException.Kind.EXECUTION, "vector cannot contain metrics with the same labelset");
        }
        prev.merge(r);
      }
    }
    List<Matrix.Series> out = new ArrayList<>(order.size());
    for (Row r : order) {
      int n = r.count();
      if (n == 0) {
        continue;
      }
      long[] t = new long[n];
      double[] v = new double[n];
      int k = 0;
      for (int i = 0; i < grid.steps(); i++) {
        if (r.has(i)) {
          t[k] = grid.time(i);
          v[k++] = r.values[i];
        }
      }
      out.add(new Matrix.Series(r.labels, t, v));
    }
    out.sort((a, b) -> a.labels().compareTo(b.labels()));
    return new Matrix(out);
  }
}
