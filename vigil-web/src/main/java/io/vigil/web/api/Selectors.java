package io.vigil.web.api;

import io.vigil.model.Matcher;
import io.vigil.promql.parser.Expr;
import io.vigil.promql.parser.Expr.AggregateExpr;
import io.vigil.promql.parser.Expr.BinaryExpr;
import io.vigil.promql.parser.Expr.Call;
import io.vigil.promql.parser.Expr.MatrixSelector;
import io.vigil.promql.parser.Expr.ParenExpr;
import io.vigil.promql.parser.Expr.SubqueryExpr;
import io.vigil.promql.parser.Expr.UnaryExpr;
import io.vigil.promql.parser.Expr.VectorSelector;
import java.util.List;

/** Prometheus's parser.ExtractSelectors: the matchers of every selector in an expression. */
final class Selectors {
  private Selectors() {}

  static void collect(Expr e, List<List<Matcher>> out) {
    switch (e) {
      case VectorSelector vs -> out.add(vs.matchers());
      case MatrixSelector m -> out.add(m.selector().matchers());
      case SubqueryExpr sq -> collect(sq.expr(), out);
      case Call c -> c.args().forEach(a -> collect(a, out));
      case AggregateExpr a -> {
        collect(a.expr(), out);
        if (a.param() != null) {
          collect(a.param(), out);
        }
      }
      case BinaryExpr b -> {
        collect(b.lhs(), out);
        collect(b.rhs(), out);
      }
      case UnaryExpr u -> collect(u.expr(), out);
      case ParenExpr p -> collect(p.expr(), out);
      default -> {
        // literals and duration expressions select nothing
      }
    }
  }
}
