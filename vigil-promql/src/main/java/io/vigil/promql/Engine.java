package io.vigil.promql;

import io.vigil.promql.parser.Expr;
import io.vigil.promql.parser.ParseException;
import io.vigil.promql.parser.PromqlParser;
import io.vigil.promql.parser.ValueType;
import io.vigil.storage.Queryable;
import java.util.concurrent.Semaphore;

/**
 * The PromQL engine: turns query text into {@link Query} objects that evaluate against a
 * {@link Queryable}. Thread-safe; one engine serves all queries of a process (two engines with
 * different options may coexist). At most {@code maxConcurrency} queries evaluate at once; the others
 * wait in a fair queue (counted against their timeout).
 */
public final class Engine {
  private final EngineOptions options;
  private final Semaphore slots;
  private final QueryLog queryLog;

  public Engine(EngineOptions options) {
    this.options = options;
    this.slots = new Semaphore(options.maxConcurrency(), true);
    this.queryLog = options.queryLogFile() == null ? null : new QueryLog(options.queryLogFile());
  }

  public EngineOptions options() {
    return options;
  }

  /**
   * Parses with this engine's parser options.
   *
   * @throws ParseException when the query is malformed
   */
  public Expr parse(String query) {
    return PromqlParser.parse(query, options.parserOptions());
  }

  /**
   * An instant query at {@code timeMs}; nothing runs until {@link Query#execute()}.
   *
   * @throws ParseException when the query is malformed
   */
  public Query instantQuery(Queryable queryable, String query, long timeMs) {
    long t0 = System.nanoTime();
    Expr e = parse(query);
    return new Query(this, queryable, query, e, timeMs, timeMs, 0, System.nanoTime() - t0);
  }

  /** An instant query of an already parsed expression (e.g. a rule evaluated every interval). */
  public Query instantQuery(Queryable queryable, Expr expr, long timeMs) {
    return new Query(this, queryable, null, expr, timeMs, timeMs, 0, 0);
  }

  /**
   * A range query evaluated at start, start+step, ... up to end (inclusive).
   *
   * @throws ParseException when the query is malformed
   * @throws QueryException (BAD_DATA) when step is not positive, end is before start, or the
   *     expression is not a scalar or instant vector
   */
  public Query rangeQuery(Queryable queryable, String query, long startMs, long endMs, long stepMs) {
    long t0 = System.nanoTime();
    Expr e = parse(query);
    return rangeQuery(queryable, query, e, startMs, endMs, stepMs, System.nanoTime() - t0);
  }

  /** A range query of an already parsed expression. */
  public Query rangeQuery(Queryable queryable, Expr expr, long startMs, long endMs, long stepMs) {
    return rangeQuery(queryable, null, expr, startMs, endMs, stepMs, 0);
  }

  private Query rangeQuery(Queryable queryable, String text, Expr e, long startMs, long endMs, long stepMs,
      long parseNanos) {
    if (stepMs <= 0) {
      throw new QueryException(QueryException.Kind.BAD_DATA, "zero or negative query resolution step widths are not accepted. Try a positive integer");
    }
    if (endMs < startMs) {
      throw new QueryException(QueryException.Kind.BAD_DATA, "end timestamp must not be before start time");
    }
    if (e.type() != ValueType.VECTOR && e.type() != ValueType.SCALAR) {
      throw new QueryException(QueryException.Kind.BAD_DATA, "invalid expression type \"" + e.type().documented()
          + "\" for range query, must be Scalar or instant Vector");
    }
    return new Query(this, queryable, text, e, startMs, endMs, stepMs, parseNanos);
  }

  Semaphore slots() {
    return slots;
  }

  QueryLog queryLog() {
    return queryLog;
  }
}
