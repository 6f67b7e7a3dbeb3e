package io.vigil.web.api;

import io.vigil.model.Matcher;
import io.vigil.promql.Engine;
import io.vigil.promql.Query;
import io.vigil.promql.QueryException;
import io.vigil.promql.Result;
import io.vigil.promql.parser.Expr;
import io.vigil.promql.parser.ParseException;
import io.vigil.promql.parser.Printer;
import io.vigil.storage.Queryable;
import io.vigil.web.HttpExchange;
import io.vigil.web.Tenant;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/** query, query_range, query_exemplars, format_query and parse_query. */
final class QueryApi {
  /** Prometheus's safety limit on points per series of a range query (60 s steps for a week). */
  static final long MAX_POINTS_PER_SERIES = 11_000;
  static final String TRUNCATED = "results truncated due to limit";

  private final Engine engine;
  private final Queryable queryable;
  private final ExemplarSource exemplars;
  private final Clock clock;
  private final ScheduledExecutorService timers;

  QueryApi(Engine engine, Queryable queryable, ExemplarSource exemplars, Clock clock, ScheduledExecutorService timers) {
    this.engine = engine;
    this.queryable = queryable;
    this.exemplars = exemplars;
    this.clock = clock;
    this.timers = timers;
  }

  void query(HttpExchange ex) throws IOException {
    int limit = Params.parseLimit(ex.param("limit"));
    long timeMs = Params.timeParam(ex, "time", clock.millis());
    long timeoutNanos = Params.timeoutParam(ex);
    Query q = prepare(ex, (view, text) -> engine.instantQuery(view, text, timeMs),
        (view, expr) -> engine.instantQuery(view, expr, timeMs));
    respond(ex, QueryExecution.run(ex, q, timeoutNanos, timers), limit);
  }

  void queryRange(HttpExchange ex) throws IOException {
    int limit = Params.parseLimit(ex.param("limit"));
    long start = Params.requiredTimeParam(ex, "start");
    long end = Params.requiredTimeParam(ex, "end");
    if (end < start) {
      throw ApiError.invalidParam("end", "end timestamp must not be before start time");
    }
    long stepNanos;
    try {
      stepNanos = Params.parseDurationNanos(Params.value(ex, "step"));
    } catch (IllegalArgumentException e) {
      throw ApiError.invalidParam("step", e.getMessage());
    }
    // Steps under a millisecond cannot be evaluated on millisecond timestamps (Prometheus's engine
    // truncates them to zero as well).
    long stepMs = stepNanos / 1_000_000;
    if (stepNanos <= 0 || stepMs == 0) {
      throw ApiError.invalidParam("step",
          "zero or negative query resolution step widths are not accepted. Try a positive integer");
    }
    if (rangeNanos(start, end) / stepNanos > MAX_POINTS_PER_SERIES) {
      throw ApiError.badData("exceeded maximum resolution of 11,000 points per timeseries. "
          + "Try decreasing the query resolution (?step=XX)");
    }
    long timeoutNanos = Params.timeoutParam(ex);
    Query q = prepare(ex, (view, text) -> engine.rangeQuery(view, text, start, end, stepMs),
        (view, expr) -> engine.rangeQuery(view, expr, start, end, stepMs));
    respond(ex, QueryExecution.run(ex, q, timeoutNanos, timers), limit);
  }

  /** Go's end.Sub(start): nanoseconds, saturating instead of overflowing. */
  private static long rangeNanos(long startMs, long endMs) {
    long ms;
    try {
      ms = Math.subtractExact(endMs, startMs);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
    return ms > Long.MAX_VALUE / 1_000_000 ? Long.MAX_VALUE : ms * 1_000_000;
  }

  /**
   * The request's query, ready to run. Without a tenant the engine parses the text itself (so its
   * query log and stats see the query as sent); with one, the parsed expression is confined first
   * and evaluated over a confined view of the storage.
   */
  private Query prepare(HttpExchange ex, QueryFromText fromText, QueryFromExpr fromExpr) {
    String text = Params.value(ex, "query");
    Tenant tenant = ex.attribute(Tenant.class);
    try {
      if (tenant == null) {
        return fromText.create(queryable, text);
      }
      Expr confined = TenantEnforcer.enforce(parse(text, "query"), tenant);
      return fromExpr.create(new TenantQueryable(queryable, TenantEnforcer.matcher(tenant)), confined);
    } catch (ParseException | QueryException e) {
      throw ApiError.invalidParam("query", e.getMessage());
    } catch (StackOverflowError e) {
      // The parser recurses per nesting level; Go's growable stacks take more than a Java thread's.
      throw ApiError.invalidParam("query", TOO_DEEP);
    }
  }

  static final String TOO_DEEP = "expression nested too deeply";

  @FunctionalInterface
  private interface QueryFromText {
    Query create(Queryable queryable, String text);
  }

  @FunctionalInterface
  private interface QueryFromExpr {
    Query create(Queryable queryable, Expr expr);
  }

  private Expr parse(String text, String param) {
    try {
      return engine.parse(text);
    } catch (ParseException e) {
      throw ApiError.invalidParam(param, e.getMessage());
    } catch (StackOverflowError e) {
      throw ApiError.invalidParam(param, TOO_DEEP);
    }
  }

  private static void respond(HttpExchange ex, Result r, int limit) throws IOException {
    boolean withStats = !Params.value(ex, "stats").isEmpty();
    List<String> warnings = r.warnings();
    if (QueryResultJson.truncated(r.value(), limit)) {
      warnings = new ArrayList<>(warnings);
      warnings.add(TRUNCATED);
    }
    ApiResponses.success(ex, g -> QueryResultJson.write(g, r, limit, withStats), warnings, r.infos());
  }

  void formatQuery(HttpExchange ex) throws IOException {
    Expr e = parse(Params.value(ex, "query"), "query");
    String pretty = Printer.prettify(e);
    ApiResponses.success(ex, g -> g.writeString(pretty));
  }

  void parseQuery(HttpExchange ex) throws IOException {
    Expr e = parse(Params.value(ex, "query"), "query");
    ApiResponses.success(ex, g -> AstJson.write(g, e));
  }

  void queryExemplars(HttpExchange ex) throws IOException {
    long start = Params.timeParam(ex, "start", Params.MIN_TIME_MS);
    long end = Params.timeParam(ex, "end", Params.MAX_TIME_MS);
    if (end < start) {
      throw ApiError.badData("end timestamp must not be before start timestamp");
    }
    Expr e;
    try {
      e = engine.parse(Params.value(ex, "query"));
    } catch (ParseException pe) {
      throw ApiError.badData(pe.getMessage());
    }
    Tenant tenant = ex.attribute(Tenant.class);
    if (tenant != null) {
      e = TenantEnforcer.enforce(e, tenant);
    }
    List<List<Matcher>> selectors = new ArrayList<>();
    Selectors.collect(e, selectors);
    if (selectors.isEmpty()) {
      ApiResponses.noContent(ex); // Prometheus returns no data at all when there is nothing to select
      return;
    }
    List<ExemplarSource.ExemplarSeries> found = new ArrayList<>(exemplars.select(start, end, selectors));
    if (tenant != null) {
      found.removeIf(s -> !s.seriesLabels().get(tenant.label()).equals(tenant.value()));
    }
    ApiResponses.success(ex, g -> {
      g.writeStartArray();
      for (ExemplarSource.ExemplarSeries s : found) {
        g.writeStartObject();
        g.writeName("seriesLabels");
        ApiResponses.labels(g, s.seriesLabels());
        g.writeName("exemplars");
        g.writeStartArray();
        for (ExemplarSource.Exemplar x : s.exemplars()) {
          g.writeStartObject();
          g.writeName("labels");
          ApiResponses.labels(g, x.labels());
          g.writeName("value");
          ApiResponses.sampleValue(g, x.value());
          g.writeName("timestamp");
          ApiResponses.timestamp(g, x.timestampMs());
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
    });
  }
}
