package io.vigil.promql.parser;

import io.vigil.model.Matcher;
import java.util.List;

/**
 * A PromQL expression: a closed hierarchy of immutable records carrying their position in the
 * query text. {@link Printer} turns one back into text; the engine evaluates them.
 */
public sealed interface Expr {
  /** Where the expression is in the query (char offsets, end exclusive). */
  PosRange pos();

  ValueType type();

  /** Whether @ is start()/end() or a fixed timestamp. */
  enum AtModifier { NONE, TIMESTAMP, START, END }

  /** A number; {@code duration} when written as a duration (5m is 300). */
  record NumberLiteral(double value, boolean duration, PosRange pos) implements Expr {
    @Override
    public ValueType type() {
      return ValueType.SCALAR;
    }
  }

  record StringLiteral(String value, PosRange pos) implements Expr {
    @Override
    public ValueType type() {
      return ValueType.STRING;
    }
  }

  /**
   * An instant vector selector. {@code matchers} include the name matcher when the name was written
   * before the braces (then it is last, as in Prometheus).
   *
   * @param offsetMs the offset as written (negative allowed)
   * @param offsetExpr a duration expression for the offset (experimental), or null
   * @param atMs the @ timestamp in ms when {@code at} is TIMESTAMP
   */
  record VectorSelector(String name, List<Matcher> matchers, long offsetMs, DurationExpr offsetExpr,
      AtModifier at, long atMs, boolean anchored, boolean smoothed, boolean bypassEmptyMatcherCheck,
      PosRange pos) implements Expr {
    public VectorSelector {
      matchers = List.copyOf(matchers);
    }

    @Override
    public ValueType type() {
      return ValueType.VECTOR;
    }

    VectorSelector withOffset(long ms, DurationExpr expr, int end) {
      return new VectorSelector(name, matchers, ms, expr, at, atMs, anchored, smoothed, bypassEmptyMatcherCheck,
          new PosRange(pos.start(), end));
    }

    VectorSelector withAt(AtModifier a, long ms, int end) {
      return new VectorSelector(name, matchers, offsetMs, offsetExpr, a, ms, anchored, smoothed,
          bypassEmptyMatcherCheck, new PosRange(pos.start(), end));
    }

    VectorSelector withModifiers(boolean anchor, boolean smooth) {
      return new VectorSelector(name, matchers, offsetMs, offsetExpr, at, atMs, anchor, smooth,
          bypassEmptyMatcherCheck, pos);
    }

    VectorSelector withBypass() {
      return new VectorSelector(name, matchers, offsetMs, offsetExpr, at, atMs, anchored, smoothed, true, pos);
    }
  }

  /** A range vector selector {@code selector[range]}; offset and @ live on the selector. */
  record MatrixSelector(VectorSelector selector, long rangeMs, DurationExpr rangeExpr, int endPos) implements Expr {
    @Override
    public PosRange pos() {
      return new PosRange(selector.pos().start(), endPos);
    }

    @Override
    public ValueType type() {
      return ValueType.MATRIX;
    }
  }

  /**
   * {@code expr[range:step]}; {@code stepMs} 0 means the default resolution.
   *
   * @param aligned written with {@code ::} (experimental aligned subquery)
   */
  record SubqueryExpr(Expr expr, long rangeMs, DurationExpr rangeExpr, long stepMs, DurationExpr stepExpr,
      boolean aligned, long offsetMs, DurationExpr offsetExpr, AtModifier at, long atMs, int endPos)
      implements Expr {
    @Override
    public PosRange pos() {
      return new PosRange(expr.pos().start(), endPos);
    }

    @Override
    public ValueType type() {
      return ValueType.MATRIX;
    }

    SubqueryExpr withOffset(long ms, DurationExpr e, int end) {
      return new SubqueryExpr(expr, rangeMs, rangeExpr, stepMs, stepExpr, aligned, ms, e, at, atMs, end);
    }

    SubqueryExpr withAt(AtModifier a, long ms, int end) {
      return new SubqueryExpr(expr, rangeMs, rangeExpr, stepMs, stepExpr, aligned, offsetMs, offsetExpr, a, ms, end);
    }
  }

  record Call(FunctionSignature func, List<Expr> args, PosRange pos) implements Expr {
    public Call {
      args = List.copyOf(args);
    }

    @Override
    public ValueType type() {
      return func.returnType();
    }
  }

  /** An aggregation; {@code param} is null unless the operator takes one (topk, quantile, ...). */
  record AggregateExpr(TokenType op, Expr expr, Expr param, List<String> grouping, boolean without, PosRange pos)
      implements Expr {
    public AggregateExpr {
      grouping = List.copyOf(grouping);
    }

    @Override
    public ValueType type() {
      return ValueType.VECTOR;
    }
  }

  /**
   * A binary operation. {@code matching} is null when at least one side is a scalar.
   */
  record BinaryExpr(TokenType op, Expr lhs, Expr rhs, VectorMatching matching, boolean returnBool) implements Expr {
    @Override
    public PosRange pos() {
      return new PosRange(lhs.pos().start(), rhs.pos().end());
    }

    @Override
    public ValueType type() {
      return lhs.type() == ValueType.SCALAR && rhs.type() == ValueType.SCALAR ? ValueType.SCALAR : ValueType.VECTOR;
    }
  }

  record UnaryExpr(TokenType op, Expr expr, int startPos) implements Expr {
    @Override
    public PosRange pos() {
      return new PosRange(startPos, expr.pos().end());
    }

    @Override
    public ValueType type() {
      return expr.type();
    }
  }

  record ParenExpr(Expr expr, PosRange pos) implements Expr {
    @Override
    public ValueType type() {
      return expr.type();
    }
  }

  /**
   * An arithmetic duration expression (experimental): numbers in seconds combined with + - * / % ^,
   * unary minus ({@code lhs} null), {@code step()}/{@code range()} ({@code op} STEP/RANGE, no operands)
   * and {@code min(a, b)}/{@code max(a, b)}. {@code wrapped} when written in parentheses.
   */
  record DurationExpr(TokenType op, Expr lhs, Expr rhs, boolean wrapped, PosRange pos) implements Expr {
    @Override
    public ValueType type() {
      return ValueType.SCALAR;
    }

    /** Whether the value depends on the query (step() or range()). */
    public boolean dependsOnQuery() {
      if (op == TokenType.STEP || op == TokenType.RANGE) {
        return true;
      }
      return (lhs instanceof DurationExpr l && l.dependsOnQuery()) || (rhs instanceof DurationExpr r && r.dependsOnQuery());
    }

    /** The value in seconds, given the query's step and range in seconds. */
    public double evaluate(double stepSeconds, double rangeSeconds) {
      return switch (op) {
        case STEP -> stepSeconds;
        case RANGE -> rangeSeconds;
        default -> {
          double r = eval(rhs, stepSeconds, rangeSeconds);
          if (lhs == null) {
            yield op == TokenType.SUB ? -r : r;
          }
          double l = eval(lhs, stepSeconds, rangeSeconds);
          yield switch (op) {
            case ADD -> l + r;
            case SUB -> l - r;
            case MUL -> l * r;
            case DIV -> l / r;
            case MOD -> l % r;
            case POW -> Math.pow(l, r);
            case MIN -> Math.min(l, r);
            case MAX -> Math.max(l, r);
            default -> throw new IllegalStateException("bad duration operator " + op);
          };
        }
      };
    }

    private static double eval(Expr e, double step, double range) {
      return switch (e) {
        case NumberLiteral n -> n.value();
        case DurationExpr d -> d.evaluate(step, range);
        case ParenExpr p -> eval(p.expr(), step, range);
        default -> throw new IllegalStateException("not a duration: " + e);
      };
    }
  }

  /** How a binary operation between two vectors matches series. */
  enum Cardinality { ONE_TO_ONE, MANY_TO_ONE, ONE_TO_MANY, MANY_TO_MANY }

  /**
   * @param on whether {@code on(...)} (true) or {@code ignoring(...)} was given
   * @param include the labels of group_left/group_right
   * @param fillLhs value for missing left-hand series (experimental fill modifiers), or null
   * @param fillRhs value for missing right-hand series, or null
   */
  record VectorMatching(Cardinality card, List<String> matchingLabels, boolean on, List<String> include,
      Double fillLhs, Double fillRhs) {
    public VectorMatching {
      matchingLabels = List.copyOf(matchingLabels);
      include = List.copyOf(include);
    }

    VectorMatching withCard(Cardinality c) {
      return new VectorMatching(c, matchingLabels, on, include, fillLhs, fillRhs);
    }
  }
}
