package io.vigil.web.api;

import io.vigil.model.Matcher;
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
import io.vigil.promql.parser.Expr.VectorMatching;
import io.vigil.promql.parser.Expr.VectorSelector;
import io.vigil.promql.parser.ValueType;
import java.util.List;
import tools.jackson.core.JsonGenerator;

/**
 * The JSON tree of {@code /api/v1/parse_query}, in the shape of Prometheus's translateAST (what the
 * Prometheus 3 UI's tree view reads). Go marshals those maps with sorted keys, so every object here
 * lists its fields alphabetically.
 */
final class AstJson {
  private AstJson() {}

  static void write(JsonGenerator g, Expr e) {
    g.writeStartObject();
    switch (e) {
      case AggregateExpr a -> {
        g.writeName("expr");
        write(g, a.expr());
        g.writeName("grouping");
        ApiResponses.stringArray(g, a.grouping());
        g.writeStringProperty("op", a.op().text());
        g.writeName("param");
        writeOrNull(g, a.param());
        g.writeStringProperty("type", "aggregation");
        g.writeBooleanProperty("without", a.without());
      }
      case BinaryExpr b -> {
        g.writeBooleanProperty("bool", b.returnBool());
        g.writeName("lhs");
        write(g, b.lhs());
        g.writeName("matching");
        matching(g, b.matching());
        g.writeStringProperty("op", b.op().text());
        g.writeName("rhs");
        write(g, b.rhs());
        g.writeStringProperty("type", "binaryExpr");
      }
      case Call c -> {
        g.writeName("args");
        g.writeStartArray();
        for (Expr a : c.args()) {
          write(g, a);
        }
        g.writeEndArray();
        g.writeName("func");
        g.writeStartObject();
        g.writeName("argTypes");
        g.writeStartArray();
        for (ValueType t : c.func().argTypes()) {
          g.writeString(t.apiName());
        }
        g.writeEndArray();
        g.writeStringProperty("name", c.func().name());
        g.writeStringProperty("returnType", c.func().returnType().apiName());
        g.writeNumberProperty("variadic", c.func().variadic());
        g.writeEndObject();
        g.writeStringProperty("type", "call");
      }
      case MatrixSelector m -> {
        VectorSelector vs = m.selector();
        g.writeBooleanProperty("anchored", vs.anchored());
        matchers(g, vs.matchers());
        g.writeStringProperty("name", vs.name());
        g.writeNumberProperty("offset", vs.offsetMs());
        g.writeNumberProperty("range", m.rangeMs());
        g.writeBooleanProperty("smoothed", vs.smoothed());
        at(g, vs.at(), vs.atMs());
        g.writeStringProperty("type", "matrixSelector");
      }
      case SubqueryExpr sq -> {
        g.writeBooleanProperty("alignEvalTime", sq.aligned());
        g.writeName("expr");
        write(g, sq.expr());
        g.writeNumberProperty("offset", sq.offsetMs());
        g.writeNumberProperty("range", sq.rangeMs());
        at(g, sq.at(), sq.atMs(), "step", sq.stepMs());
        g.writeStringProperty("type", "subquery");
      }
      case NumberLiteral n -> {
        g.writeStringProperty("type", "numberLiteral");
        g.writeStringProperty("val", PromFormat.plain(n.value()));
      }
      case ParenExpr p -> {
        g.writeName("expr");
        write(g, p.expr());
        g.writeStringProperty("type", "parenExpr");
      }
      case StringLiteral s -> {
        g.writeStringProperty("type", "stringLiteral");
        g.writeStringProperty("val", s.value());
      }
      case UnaryExpr u -> {
        g.writeName("expr");
        write(g, u.expr());
        g.writeStringProperty("op", u.op().text());
        g.writeStringProperty("type", "unaryExpr");
      }
      case VectorSelector vs -> {
        g.writeBooleanProperty("anchored", vs.anchored());
        matchers(g, vs.matchers());
        g.writeStringProperty("name", vs.name());
        g.writeNumberProperty("offset", vs.offsetMs());
        g.writeBooleanProperty("smoothed", vs.smoothed());
        at(g, vs.at(), vs.atMs());
        g.writeStringProperty("type", "vectorSelector");
      }
      case DurationExpr d -> {
        // Only with --enable-feature=promql-duration-expr; newer Prometheus versions print these so.
        g.writeName("lhs");
        writeOrNull(g, d.lhs());
        g.writeStringProperty("op", d.op().text());
        g.writeName("rhs");
        writeOrNull(g, d.rhs());
        g.writeStringProperty("type", "durationExpr");
        g.writeBooleanProperty("wrapped", d.wrapped());
      }
    }
    g.writeEndObject();
  }

  private static void writeOrNull(JsonGenerator g, Expr e) {
    if (e == null) {
      g.writeNull();
    } else {
      write(g, e);
    }
  }

  private static void matching(JsonGenerator g, VectorMatching m) {
    if (m == null) {
      g.writeNull();
      return;
    }
    g.writeStartObject();
    g.writeStringProperty("card", switch (m.card()) {
      case ONE_TO_ONE -> "one-to-one";
      case MANY_TO_ONE -> "many-to-one";
      case ONE_TO_MANY -> "one-to-many";
      case MANY_TO_MANY -> "many-to-many";
    });
    g.writeName("fillValues");
    g.writeStartObject();
    g.writeName("lhs");
    nullableNumber(g, m.fillLhs());
    g.writeName("rhs");
    nullableNumber(g, m.fillRhs());
    g.writeEndObject();
    g.writeName("include");
    ApiResponses.stringArray(g, m.include());
    g.writeName("labels");
    ApiResponses.stringArray(g, m.matchingLabels());
    g.writeBooleanProperty("on", m.on());
    g.writeEndObject();
  }

  private static void nullableNumber(JsonGenerator g, Double v) {
    if (v == null) {
      g.writeNull();
    } else {
      ApiResponses.goNumber(g, v);
    }
  }

  private static void matchers(JsonGenerator g, List<Matcher> matchers) {
    g.writeName("matchers");
    g.writeStartArray();
    for (Matcher m : matchers) {
      g.writeStartObject();
      g.writeStringProperty("name", m.name());
      g.writeStringProperty("type", m.type().operator());
      g.writeStringProperty("value", m.value());
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  /** "startOrEnd" and "timestamp" (alphabetically after "smoothed"/"range"). */
  private static void at(JsonGenerator g, AtModifier at, long atMs) {
    g.writeName("startOrEnd");
    startOrEnd(g, at);
    g.writeName("timestamp");
    timestamp(g, at, atMs);
  }

  /** For subqueries, "step" sorts between "startOrEnd" and "timestamp". */
  private static void at(JsonGenerator g, AtModifier at, long atMs, String stepName, long stepMs) {
    g.writeName("startOrEnd");
    startOrEnd(g, at);
    g.writeNumberProperty(stepName, stepMs);
    g.writeName("timestamp");
    timestamp(g, at, atMs);
  }

  private static void startOrEnd(JsonGenerator g, AtModifier at) {
    switch (at) {
      case START -> g.writeString("start");
      case END -> g.writeString("end");
      default -> g.writeNull();
    }
  }

  private static void timestamp(JsonGenerator g, AtModifier at, long atMs) {
    if (at == AtModifier.TIMESTAMP) {
      g.writeNumber(atMs);
    } else {
      g.writeNull();
    }
  }
}
