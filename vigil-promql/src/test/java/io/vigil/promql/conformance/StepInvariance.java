package io.vigil.promql.conformance;

import io.vigil.promql.parser.Expr;
import io.vigil.promql.parser.Expr.AggregateExpr;
import io.vigil.promql.parser.Expr.AtModifier;
import io.vigil.promql.parser.Expr.BinaryExpr;
import io.vigil.promql.parser.Expr.Call;
import io.vigil.promql.parser.Expr.MatrixSelector;
import io.vigil.promql.parser.Expr.ParenExpr;
import io.vigil.promql.parser.Expr.SubqueryExpr;
import io.vigil.promql.parser.Expr.UnaryExpr;
import io.vigil.promql.parser.Expr.VectorSelector;
import io.vigil.promql.parser.ParserOptions;
import io.vigil.promql.parser.Printer;
import io.vigil.promql.parser.PromqlParser;

/**
 * FORMAT.md §7.1: the query with every selector and subquery that has no @ pinned to the eval time;
 * it must give the same answer at any evaluation time. Selectors inside a subquery are left alone
 * (the subquery itself is pinned). Returns null when nothing was pinned.
 */
final class StepInvariance {
  private StepInvariance() {}

  static String pin(String query, long atMs) {
    Expr e = PromqlParser.parse(query, ParserOptions.ALL_EXPERIMENTAL);
    boolean[] changed = {false};
    Expr pinned = pin(e, atMs, changed);
    return changed[0] ? Printer.toString(pinned) : null;
  }

  private static Expr pin(Expr e, long at, boolean[] changed) {
    return switch (e) {
      case VectorSelector vs -> {
        if (vs.at() != AtModifier.NONE) {
          yield vs;
        }
        changed[0] = true;
        yield new VectorSelector(vs.name(), vs.matchers(), vs.offsetMs(), vs.offsetExpr(), AtModifier.TIMESTAMP, at,
            vs.anchored(), vs.smoothed(), vs.bypassEmptyMatcherCheck(), vs.pos());
      }
      case MatrixSelector m -> new MatrixSelector((VectorSelector) pin(m.selector(), at, changed), m.rangeMs(),
          m.rangeExpr(), m.endPos());
      case SubqueryExpr sq -> {
        if (sq.at() != AtModifier.NONE) {
          yield sq;
        }
        changed[0] = true;
        yield new SubqueryExpr(sq.expr(), sq.rangeMs(), sq.rangeExpr(), sq.stepMs(), sq.stepExpr(), sq.aligned(),
            sq.offsetMs(), sq.offsetExpr(), AtModifier.TIMESTAMP, at, sq.endPos());
      }
      case Call c -> new Call(c.func(), c.args().stream().map(a -> pin(a, at, changed)).toList(), c.pos());
      case AggregateExpr a -> new AggregateExpr(a.op(), pin(a.expr(), at, changed),
          a.param() == null ? null : pin(a.param(), at, changed), a.grouping(), a.without(), a.pos());
      case BinaryExpr b -> new BinaryExpr(b.op(), pin(b.lhs(), at, changed), pin(b.rhs(), at, changed), b.matching(),
          b.returnBool());
      case UnaryExpr u -> new UnaryExpr(u.op(), pin(u.expr(), at, changed), u.startPos());
      case ParenExpr p -> new ParenExpr(pin(p.expr(), at, changed), p.pos());
      default -> e;
    };
  }
}
