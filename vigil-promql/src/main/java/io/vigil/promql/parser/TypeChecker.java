package io.vigil.promql.parser;

import io.vigil.model.Labels;
import io.vigil.model.Matcher;
import io.vigil.promql.parser.Expr.AggregateExpr;
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
import io.vigil.promql.parser.Expr.VectorSelector;

/** Prometheus's semantic checks (checkAST) with its error texts and positions. */
final class TypeChecker {
  private final String input;

  TypeChecker(String input) {
    this.input = input;
  }

  private ParseException error(PosRange r, String msg) {
    return new ParseException(input, r, msg);
  }

  ValueType check(Expr node) {
    ValueType typ = node.type();
    switch (node) {
      case AggregateExpr a -> {
        expectType(a.expr(), ValueType.VECTOR, "aggregation expression");
        switch (a.op()) {
          case TOPK, BOTTOMK, QUANTILE, LIMITK, LIMIT_RATIO -> expectType(a.param(), ValueType.SCALAR, "aggregation parameter");
          case COUNT_VALUES -> expectType(a.param(), ValueType.STRING, "aggregation parameter");
          default -> { }
        }
      }
      case BinaryExpr b -> checkBinary(b);
      case Call c -> checkCall(c);
      case ParenExpr pe -> check(pe.expr());
      case UnaryExpr u -> {
        ValueType t = check(u.expr());
        if (t != ValueType.SCALAR && t != ValueType.VECTOR) {
          throw error(u.pos(), "unary expression only allowed on expressions of type scalar or instant vector, got "
              + GoQuote.quote(t.documented()));
        }
      }
      case SubqueryExpr sq -> {
        ValueType t = check(sq.expr());
        if (t != ValueType.VECTOR) {
          throw error(sq.pos(), "subquery is only allowed on instant vector, got " + t.apiName() + " instead");
        }
      }
      case MatrixSelector m -> check(m.selector());
      case VectorSelector vs -> checkSelector(vs);
      case NumberLiteral n -> { }
      case StringLiteral s -> { }
      case DurationExpr d -> { }
    }
    return typ;
  }

  private void expectType(Expr e, ValueType want, String context) {
    ValueType t = check(e);
    if (t != want) {
      throw error(e.pos(), "expected type " + want.documented() + " in " + context + ", got " + t.documented());
    }
  }

  private PosRange opRange(BinaryExpr b) {
    int start = b.lhs().pos().end();
    while (start < input.length() && Character.isWhitespace(input.charAt(start))) {
      start++;
    }
    int end = b.rhs().pos().start() - 1;
    while (end > start && Character.isWhitespace(input.charAt(end))) {
      end--;
    }
    return new PosRange(start, end);
  }

  private void checkBinary(BinaryExpr b) {
    ValueType lt = check(b.lhs());
    ValueType rt = check(b.rhs());
    TokenType op = b.op();
    if (b.returnBool() && !op.isComparisonOperator()) {
      throw error(opRange(b), "bool modifier can only be used on comparison operators");
    }
    if (op.isComparisonOperator() && !b.returnBool() && lt == ValueType.SCALAR && rt == ValueType.SCALAR) {
      throw error(opRange(b), "comparisons between scalars must use BOOL modifier");
    }
    var vm = b.matching();
    if (vm != null && vm.on()) {
      for (String l : vm.matchingLabels()) {
        if (vm.include().contains(l)) {
          throw error(opRange(b), "label " + GoQuote.quote(l) + " must not occur in ON and GROUP clause at once");
        }
      }
    }
    if (lt != ValueType.SCALAR && lt != ValueType.VECTOR) {
      throw error(b.lhs().pos(), "binary expression must contain only scalar and instant vector types");
    }
    if (rt != ValueType.SCALAR && rt != ValueType.VECTOR) {
      throw error(b.rhs().pos(), "binary expression must contain only scalar and instant vector types");
    }
    if (vm != null && (lt != ValueType.VECTOR || rt != ValueType.VECTOR)) {
      if (!vm.matchingLabels().isEmpty() || vm.on()) {
        if (!vm.matchingLabels().isEmpty()) {
          throw error(b.pos(), "vector matching only allowed between instant vectors");
        }
      }
      if (vm.fillLhs() != null || vm.fillRhs() != null) {
        throw error(b.pos(), "filling in missing series only allowed between instant vectors");
      }
    } else if (vm != null && op.isSetOperator()) {
      if (vm.card() == Cardinality.ONE_TO_MANY || vm.card() == Cardinality.MANY_TO_ONE) {
        throw error(b.pos(), "no grouping allowed for " + GoQuote.quote(op.text()) + " operation");
      }
      if (vm.fillLhs() != null || vm.fillRhs() != null) {
        throw error(b.pos(), "filling in missing series not allowed for set operators");
      }
    }
    if ((lt == ValueType.SCALAR || rt == ValueType.SCALAR) && op.isSetOperator()) {
      throw error(b.pos(), "set operator " + GoQuote.quote(op.text()) + " not allowed in binary scalar expression");
    }
  }

  private void checkCall(Call c) {
    FunctionSignature f = c.func();
    int nargs = f.argTypes().size();
    int n = c.args().size();
    if (f.variadic() == 0) {
      if (nargs != n) {
        throw error(c.pos(), "expected " + nargs + " argument(s) in call to " + GoQuote.quote(f.name()) + ", got " + n);
      }
    } else {
      int na = nargs - 1;
      if (na > n) {
        throw error(c.pos(), "expected at least " + na + " argument(s) in call to " + GoQuote.quote(f.name()) + ", got " + n);
      }
      int max = na + f.variadic();
      if (f.variadic() > 0 && max < n) {
        throw error(c.pos(), "expected at most " + max + " argument(s) in call to " + GoQuote.quote(f.name()) + ", got " + n);
      }
    }
    if (f.name().equals("info") && n > 1) {
      Expr second = c.args().get(1);
      if (second.type() != ValueType.VECTOR) {
        throw error(c.pos(), "expected type instant vector in call to function \"info\", got " + second.type().documented());
      }
      if (second instanceof VectorSelector vs && !vs.name().isEmpty()) {
        throw error(second.pos(), "expected label selectors only, got vector selector instead");
      } else if (!(second instanceof VectorSelector)) {
        throw error(second.pos(), "expected label selectors only");
      }
    }
    for (int i = 0; i < n; i++) {
      int ti = i;
      if (i >= nargs) {
        if (f.variadic() == 0) {
          break;
        }
        ti = nargs - 1;
      }
      Expr arg = c.args().get(i);
      if (f.name().equals("info") && i == 1) {
        continue; // label selectors only; may match the empty string
      }
      ValueType t = check(arg);
      if (t != f.argTypes().get(ti)) {
        throw error(arg.pos(), "expected type " + f.argTypes().get(ti).documented() + " in call to function "
            + GoQuote.quote(f.name()) + ", got " + t.documented());
      }
    }
  }

  private void checkSelector(VectorSelector vs) {
    if (!vs.name().isEmpty()) {
      var ms = vs.matchers();
      for (int i = 0; i < ms.size() - 1; i++) {
        if (ms.get(i).name().equals(Labels.METRIC_NAME)) {
          throw error(vs.pos(), "metric name must not be set twice: " + GoQuote.quote(vs.name()) + " or "
              + GoQuote.quote(ms.get(i).value()));
        }
      }
      return;
    }
    if (vs.bypassEmptyMatcherCheck()) {
      return;
    }
    for (Matcher m : vs.matchers()) {
      if (!m.matchesEmpty()) {
        return;
      }
    }
    throw error(vs.pos(), "vector selector must contain at least one non-empty matcher");
  }
}
