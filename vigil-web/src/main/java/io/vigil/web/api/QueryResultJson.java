package io.vigil.web.api;

import io.vigil.promql.Matrix;
import io.vigil.promql.QueryStats;
import io.vigil.promql.Result;
import io.vigil.promql.Scalar;
import io.vigil.promql.StringValue;
import io.vigil.promql.Value;
import io.vigil.promql.Vector;
import tools.jackson.core.JsonGenerator;

/**
 * The {@code data} of a query response, streamed: {@code {"resultType":..., "result":...,
 * "stats":...}} in Prometheus's shapes (vector elements {@code {"metric":{...},"value":[t,"v"]}},
 * matrix series {@code {"metric":{...},"values":[[t,"v"],...]}}, scalars and strings {@code [t,"v"]}).
 */
final class QueryResultJson {
  private QueryResultJson() {}

  /**
   * @param limit the most series to write, 0 for all
   * @param withStats whether to add "stats" (the request asked for stats)
   */
  static void write(JsonGenerator g, Result result, int limit, boolean withStats) {
    Value v = result.value();
    g.writeStartObject();
    g.writeStringProperty("resultType", v.typeName());
    g.writeName("result");
    switch (v) {
      case Scalar s -> {
        g.writeStartArray();
        ApiResponses.timestamp(g, s.timestampMs());
        ApiResponses.sampleValue(g, s.value());
        g.writeEndArray();
      }
      case StringValue s -> {
        g.writeStartArray();
        ApiResponses.timestamp(g, s.timestampMs());
        g.writeString(s.value());
        g.writeEndArray();
      }
      case Vector vec -> vector(g, vec, limited(vec.size(), limit));
      case Matrix m -> matrix(g, m, limited(m.series().size(), limit));
    }
    if (withStats) {
      g.writeName("stats");
      stats(g, result.stats());
    }
    g.writeEndObject();
  }

  /** How many series a result has, and whether a limit cut it. */
  static boolean truncated(Value v, int limit) {
    int n = switch (v) {
      case Vector vec -> vec.size();
      case Matrix m -> m.series().size();
      default -> 0;
    };
    return limit > 0 && n > limit;
  }

  private static int limited(int n, int limit) {
    return limit > 0 ? Math.min(n, limit) : n;
  }

  private static void vector(JsonGenerator g, Vector vec, int n) {
    char[] scratch = new char[PromFormat.MAX_TIMESTAMP_CHARS];
    g.writeStartArray();
    for (int i = 0; i < n; i++) {
      g.writeStartObject();
      g.writeName("metric");
      ApiResponses.labels(g, vec.labels().get(i));
      g.writeName("value");
      ApiResponses.point(g, vec.timestampMs(), vec.values()[i], scratch);
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  private static void matrix(JsonGenerator g, Matrix m, int n) {
    char[] scratch = new char[PromFormat.MAX_TIMESTAMP_CHARS];
    g.writeStartArray();
    for (int i = 0; i < n; i++) {
      Matrix.Series s = m.series().get(i);
      g.writeStartObject();
      g.writeName("metric");
      ApiResponses.labels(g, s.labels());
      g.writeName("values");
      g.writeStartArray();
      long[] ts = s.timestamps();
      double[] vs = s.values();
      for (int j = 0; j < ts.length; j++) {
        ApiResponses.point(g, ts[j], vs[j], scratch);
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  /**
   * Prometheus's stats shape. The engine measures queueing, parsing and evaluation; parsing stands in
   * for Prometheus's "query preparation" (0 for confined queries, parsed before the engine saw them)
   * and the result needs no separate sort step.
   */
  private static void stats(JsonGenerator g, QueryStats s) {
    double queue = s.queueTimeNanos() / 1e9;
    double prepare = s.parseTimeNanos() / 1e9;
    double inner = s.evalTimeNanos() / 1e9;
    g.writeStartObject();
    g.writeName("timings");
    g.writeStartObject();
    g.writeName("evalTotalTime");
    ApiResponses.goNumber(g, prepare + inner);
    g.writeName("resultSortTime");
    ApiResponses.goNumber(g, 0);
    g.writeName("queryPreparationTime");
    ApiResponses.goNumber(g, prepare);
    g.writeName("innerEvalTime");
    ApiResponses.goNumber(g, inner);
    g.writeName("execQueueTime");
    ApiResponses.goNumber(g, queue);
    g.writeName("execTotalTime");
    ApiResponses.goNumber(g, queue + prepare + inner);
    g.writeEndObject();
    g.writeName("samples");
    g.writeStartObject();
    g.writeNumberProperty("totalQueryableSamples", s.totalQueryableSamples());
    g.writeNumberProperty("peakSamples", s.peakSamples());
    g.writeEndObject();
    g.writeEndObject();
  }
}
