package io.vigil.web.api;

import io.vigil.model.Labels;
import io.vigil.model.Matcher;
import io.vigil.promql.parser.Expr;
import io.vigil.promql.parser.Expr.AggregateExpr;
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
import io.vigil.web.Tenant;
import java.util.ArrayList;
import java.util.List;

/**
 * Confines a read to one tenant the way prom-label-proxy does: every selector gets the matcher
 * {@code label="value"}, replacing whatever the query said about that label (so neither a regex nor
 * a negative matcher can reach another tenant's series).
 */
final class TenantEnforcer {
  private TenantEnforcer() {}

  static Matcher matcher(Tenant tenant) {
    return Matcher.equal(tenant.label(), tenant.value());
  }

  /** The matchers with every matcher on the tenant label replaced by the tenant's equality matcher. */
  static List<Matcher> enforce(List<Matcher> matchers, Tenant tenant) {
    List<Matcher> out = new ArrayList<>(matchers.size() + 1);
    for (Matcher m : matchers) {
      if (!m.name().equals(tenant.label())) {
        out.add(m);
      }
    }
    // Before the name matcher, which the parser keeps last when the name came before the braces.
    int at = !out.isEmpty() && out.getLast().name().equals(Labels.METRIC_NAME) ? out.size() - 1 : out.size();
    out.add(at, matcher(tenant));
    return out;
  }

  /** The expression with every vector selector (also inside range selectors and subqueries) confined. */
  static Expr enforce(Expr e, Tenant t) {
    return switch (e) {
      case NumberLiteral n -> n;
      case StringLiteral s -> s;
      case DurationExpr d -> d;
      case VectorSelector vs -> selector(vs, t);
      case MatrixSelector m -> new MatrixSelector(selector(m.selector(), t), m.rangeMs(), m.rangeExpr(), m.endPos());
      case SubqueryExpr sq -> new SubqueryExpr(enforce(sq.expr(), t), sq.rangeMs(), sq.rangeExpr(), sq.stepMs(),
          sq.stepExpr(), sq.aligned(), sq.offsetMs(), sq.offsetExpr(), sq.at(), sq.atMs(), sq.endPos());
      case Call c -> new Call(c.func(), c.args().stream().map(a -> enforce(a, t)).toList(), c.pos());
      case AggregateExpr a -> new AggregateExpr(a.op(), enforce(a.expr(), t), a.param() == null ? null : enforce(a.param(), t),
          a.grouping(), a.without(), a.pos());
      case BinaryExpr b -> new BinaryExpr(b.op(), enforce(b.lhs(), t), enforce(b.rhs(), t), b.matching(), b.returnBool());
      case UnaryExpr u -> new UnaryExpr(u.op(), enforce(u.expr(), t), u.startPos());
      case ParenExpr p -> new ParenExpr(enforce(p.expr(), t), p.pos());
    };
  }

  private static VectorSelector selector(VectorSelector vs, Tenant t) {
    String name = t.label().equals(Labels.METRIC_NAME) ? t.value() : vs.name();
    return new VectorSelector(name, enforce(vs.matchers(), t), vs.offsetMs(), vs.offsetExpr(), vs.at(), vs.atMs(),
        vs.anchored(), vs.smoothed(), vs.bypassEmptyMatcherCheck(), vs.pos());
  }
}
