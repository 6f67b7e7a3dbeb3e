package io.vigil.promql.parser;

import io.vigil.model.LabelNames;
import io.vigil.model.Labels;
import io.vigil.model.MatchType;
import io.vigil.model.Matcher;
import io.vigil.promql.parser.Expr.AggregateExpr;
import io.vigil.promql.parser.Expr.AtModifier;
import io.vigil.promql.parser.Expr.BinaryExpr;
import io.vigil.promql.parser.Expr.Call;
import io.vigil.promql.parser.Expr.Cardinality;
import io.vigil.promql.parser.Expr.DurationExpr;
import io.vigil.promql.parser.Expr.MatrixSelector;
import io.vigil.promql.parser.Expr.NumberLiteral;
import io.vigil.promql.parser.Expr.ParenExpr;
import io.vigil.promql.parser.Expr.StringLiteral;
import io.vigil.promql.parser.Expr.SubqueryExpr;
import io.vigil.promql.parser.Expr.UnaryExpr;
import io.vigil.promql.parser.Expr.VectorMatching;
import io.vigil.promql.parser.Expr.VectorSelector;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns an {@link Expr} back into PromQL: {@link #toString(Expr)} is Prometheus's one-line String()
 * form, {@link #prettify(Expr)} its multi-line form for /api/v1/format_query (lines longer than 100
 * characters are split, two spaces of indent per level). Parsing the output gives the same tree.
 */
public final class Printer {
  /** Prometheus's prettier splits expressions whose one-line form is longer than this. */
  static final int MAX_LINE = 100;

  private Printer() {}

  public static String toString(Expr e) {
    return switch (e) {
      case NumberLiteral n -> number(n);
      case StringLiteral s -> GoQuote.quote(s.value());
      case VectorSelector vs -> selector(vs) + at(vs.at(), vs.atMs()) + offset(vs.offsetMs(), vs.offsetExpr())
          + extended(vs);
      case MatrixSelector m -> selector(m.selector()) + "[" + duration(m.rangeMs(), m.rangeExpr()) + "]"
          + at(m.selector().at(), m.selector().atMs()) + offset(m.selector().offsetMs(), m.selector().offsetExpr())
          + extended(m.selector());
      case SubqueryExpr sq -> toString(sq.expr()) + subquerySuffix(sq);
      case Call c -> {
        List<String> args = new ArrayList<>();
        for (Expr a : c.args()) {
          args.add(toString(a));
        }
        yield c.func().name() + "(" + String.join(", ", args) + ")";
      }
      case AggregateExpr a -> aggregateOp(a) + "(" + (a.param() != null ? toString(a.param()) + ", " : "")
          + toString(a.expr()) + ")";
      case BinaryExpr b -> toString(b.lhs()) + " " + binaryOp(b) + " " + toString(b.rhs());
      case UnaryExpr u -> u.op().text() + toString(u.expr());
      case ParenExpr p -> "(" + toString(p.expr()) + ")";
      case DurationExpr d -> durationExpr(d);
    };
  }

  /** The multi-line form used by /api/v1/format_query. */
  public static String prettify(Expr e) {
    return pretty(e, 0);
  }

  private static String indent(int level) {
    return "  ".repeat(level);
  }

  private static String pretty(Expr e, int level) {
    String flat = toString(e);
    if (flat.length() <= MAX_LINE) {
      return indent(level) + flat;
    }
    String ind = indent(level);
    return switch (e) {
      case AggregateExpr a -> ind + aggregateOp(a) + "(\n"
          + (a.param() != null ? pretty(a.param(), level + 1) + ",\n" : "")
          + pretty(a.expr(), level + 1) + "\n" + ind + ")";
      case BinaryExpr b -> pretty(b.lhs(), level + 1) + "\n" + ind + binaryOp(b) + "\n" + pretty(b.rhs(), level + 1);
      case Call c -> {
        List<String> args = new ArrayList<>();
        for (Expr a : c.args()) {
          args.add(pretty(a, level + 1));
        }
        yield ind + c.func().name() + "(\n" + String.join(",\n", args) + "\n" + ind + ")";
      }
      case ParenExpr p -> ind + "(\n" + pretty(p.expr(), level + 1) + "\n" + ind + ")";
      case SubqueryExpr sq -> pretty(sq.expr(), level) + subquerySuffix(sq);
      case UnaryExpr u -> ind + u.op().text() + pretty(u.expr(), level).stripLeading();
      default -> ind + flat;
    };
  }

  private static String number(NumberLiteral n) {
    if (n.duration() && !Double.isNaN(n.value()) && !Double.isInfinite(n.value())) {
      long ms = Math.round(n.value() * 1000);
      return ms < 0 ? "-" + Durations.format(-ms) : Durations.format(ms);
    }
    return GoFloat.formatG(n.value());
  }

  private static String selector(VectorSelector vs) {
    List<String> parts = new ArrayList<>();
    String name = vs.name();
    boolean quotedName = !name.isEmpty() && !LabelNames.isValidMetricName(name);
    for (Matcher m : vs.matchers()) {
      if (m.name().equals(Labels.METRIC_NAME) && m.type() == MatchType.EQUAL && m.value().equals(name)
          && !m.value().isEmpty() && !quotedName) {
        continue;
      }
      parts.add(matcher(m));
    }
    if (quotedName) {
      parts.removeIf(s -> s.equals(matcher(Matcher.equal(Labels.METRIC_NAME, name))));
      java.util.Collections.sort(parts);
      parts.addFirst(GoQuote.quote(name));
      return "{" + String.join(",", parts) + "}";
    }
    if (parts.isEmpty()) {
      return name;
    }
    java.util.Collections.sort(parts);
    return name + "{" + String.join(",", parts) + "}";
  }

  private static String matcher(Matcher m) {
    String label = LabelNames.isValidLabelName(m.name()) ? m.name() : GoQuote.quote(m.name());
    return label + m.type().operator() + GoQuote.quote(m.value());
  }

  private static String at(AtModifier at, long atMs) {
    return switch (at) {
      case NONE -> "";
      case TIMESTAMP -> String.format(java.util.Locale.ROOT, " @ %.3f", atMs / 1000.0);
      case START -> " @ start()";
      case END -> " @ end()";
    };
  }

  private static String offset(long ms, DurationExpr expr) {
    if (expr != null) {
      return " offset " + durationExpr(expr);
    }
    if (ms > 0) {
      return " offset " + Durations.format(ms);
    }
    if (ms < 0) {
      return " offset -" + Durations.format(-ms);
    }
    return "";
  }

  private static String extended(VectorSelector vs) {
    return (vs.anchored() ? " anchored" : "") + (vs.smoothed() ? " smoothed" : "");
  }

  private static String duration(long ms, DurationExpr expr) {
    return expr != null ? durationExpr(expr) : Durations.format(ms);
  }

  private static String subquerySuffix(SubqueryExpr sq) {
    String step = sq.stepExpr() != null || sq.stepMs() != 0 ? duration(sq.stepMs(), sq.stepExpr()) : "";
    return "[" + duration(sq.rangeMs(), sq.rangeExpr()) + (sq.aligned() ? "::" : ":") + step + "]"
        + at(sq.at(), sq.atMs()) + offset(sq.offsetMs(), sq.offsetExpr());
  }

  private static String durationExpr(DurationExpr d) {
    String s = switch (d.op()) {
      case STEP -> "step()";
      case RANGE -> "range()";
      case START -> "start()";
      case END -> "end()";
      case MIN, MAX -> d.op().text() + "(" + toString(d.lhs()) + ", " + toString(d.rhs()) + ")";
      default -> d.lhs() == null ? (d.op() == TokenType.SUB ? "-" : "") + toString(d.rhs())
          : toString(d.lhs()) + " " + d.op().text() + " " + toString(d.rhs());
    };
    return d.wrapped() ? "(" + s + ")" : s;
  }

  private static String aggregateOp(AggregateExpr a) {
    String s = a.op().text();
    List<String> labels = new ArrayList<>();
    for (String l : a.grouping()) {
      labels.add(LabelNames.isValidLabelName(l) ? l : GoQuote.quote(l));
    }
    if (a.without()) {
      s += " without (" + String.join(", ", labels) + ") ";
    } else if (!a.grouping().isEmpty()) {
      s += " by (" + String.join(", ", labels) + ") ";
    }
    return s;
  }

  private static String binaryOp(BinaryExpr b) {
    StringBuilder sb = new StringBuilder(b.op().text());
    if (b.returnBool()) {
      sb.append(" bool");
    }
    VectorMatching vm = b.matching();
    if (vm != null && (!vm.matchingLabels().isEmpty() || vm.on())) {
      sb.append(vm.on() ? " on (" : " ignoring (").append(String.join(", ", vm.matchingLabels())).append(")");
      if (vm.card() == Cardinality.MANY_TO_ONE || vm.card() == Cardinality.ONE_TO_MANY) {
        sb.append(vm.card() == Cardinality.MANY_TO_ONE ? " group_left (" : " group_right (")
            .append(String.join(", ", vm.include())).append(")");
      }
    }
    if (vm != null && (vm.fillLhs() != null || vm.fillRhs() != null)) {
      if (vm.fillLhs() != null && vm.fillLhs().equals(vm.fillRhs())) {
        sb.append(" fill (").append(GoFloat.formatG(vm.fillLhs())).append(")");
      } else {
        if (vm.fillLhs() != null) {
          sb.append(" fill_left (").append(GoFloat.formatG(vm.fillLhs())).append(")");
        }
        if (vm.fillRhs() != null) {
          sb.append(" fill_right (").append(GoFloat.formatG(vm.fillRhs())).append(")");
        }
      }
    }
    return sb.toString();
  }
}
