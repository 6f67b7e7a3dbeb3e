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
 * Parses PromQL into an {@link Expr} and type-checks it, with Prometheus 3's grammar, precedence and
 * error texts. A recursive-descent parser over the tokens of {@link Lexer}; the first error wins and
 * is thrown as a {@link ParseException} carrying its position. Thread-safe (no shared state).
 */
public final class PromqlParser {
  private final String input;
  private final List<Token> tokens;
  private final ParserOptions options;
  private int p;

  private PromqlParser(String input, ParserOptions options) {
    this.input = input;
    this.options = options;
    this.tokens = Lexer.lex(input);
  }

  /** Parses with Prometheus's default options (no experimental syntax). */
  public static Expr parse(String query) {
    return parse(query, ParserOptions.DEFAULT);
  }

  /**
   * Parses and type-checks a query.
   *
   * @throws ParseException with a positioned, Prometheus-worded message
   */
  public static Expr parse(String query, ParserOptions options) {
    PromqlParser parser = new PromqlParser(query, options);
    Expr e = parser.parseTop();
    new TypeChecker(query).check(e);
    return e;
  }

  /**
   * Parses a series selector such as {@code up{job="x"}} (as /api/v1/series match[] does) into its
   * matchers.
   */
  public static List<Matcher> parseMetricSelector(String selector) {
    PromqlParser parser = new PromqlParser(selector, ParserOptions.DEFAULT);
    Token first = parser.peek();
    if (first.type() == TokenType.ERROR) {
      throw parser.error(parser.lexErrorRange(first), first.val());
    }
    Expr e = parser.parseVectorSelectorOnly();
    parser.expectEnd();
    VectorSelector vs = (VectorSelector) e;
    new TypeChecker(selector).check(vs);
    return vs.matchers();
  }

  // ---- token helpers ----

  private Token peek() {
    return tokens.get(p);
  }

  private Token peekAt(int k) {
    return tokens.get(Math.min(p + k, tokens.size() - 1));
  }

  private Token advance() {
    Token t = tokens.get(p);
    if (p < tokens.size() - 1) {
      p++;
    }
    return t;
  }

  private ParseException error(PosRange r, String msg) {
    return new ParseException(input, r, msg);
  }

  private PosRange lexErrorRange(Token t) {
    return new PosRange(t.pos(), input.length());
  }

  /** Prometheus's "unexpected <item>[ in <context>][, expected <what>]" at the current token. */
  private ParseException unexpected(String context, String expected) {
    Token t = peek();
    if (t.type() == TokenType.ERROR) {
      return error(lexErrorRange(t), t.val());
    }
    StringBuilder sb = new StringBuilder("unexpected ").append(t.describe());
    if (!context.isEmpty()) {
      sb.append(" in ").append(context);
    }
    if (!expected.isEmpty()) {
      sb.append(", expected ").append(expected);
    }
    return error(t.range(), sb.toString());
  }

  private boolean at(TokenType t) {
    return peek().type() == t;
  }

  // ---- grammar ----

  private Expr parseTop() {
    if (at(TokenType.EOF)) {
      throw error(PosRange.NONE, "no expression found in input");
    }
    Expr e = parseExpr(0);
    expectEnd();
    return e;
  }

  private void expectEnd() {
    if (!at(TokenType.EOF)) {
      throw unexpected("", "");
    }
  }

  private Expr parseExpr(int minPrec) {
    Expr lhs = parseUnary();
    while (true) {
      Token op = peek();
      int prec = op.type().precedence();
      if (prec == 0 || prec < minPrec) {
        return lhs;
      }
      advance();
      Modifiers mods = parseBinModifiers();
      boolean rightAssoc = op.type() == TokenType.POW;
      Expr rhs = parseExpr(rightAssoc ? prec : prec + 1);
      lhs = newBinary(op, lhs, rhs, mods);
    }
  }

  private record Modifiers(boolean returnBool, VectorMatching matching, PosRange fillPos) {}

  private Modifiers parseBinModifiers() {
    boolean returnBool = false;
    if (at(TokenType.BOOL)) {
      advance();
      returnBool = true;
    }
    Cardinality card = Cardinality.ONE_TO_ONE;
    List<String> matching = List.of();
    boolean on = false;
    List<String> include = List.of();
    if (at(TokenType.ON) || at(TokenType.IGNORING)) {
      on = advance().type() == TokenType.ON;
      matching = parseGroupingLabels();
      if (at(TokenType.GROUP_LEFT) || at(TokenType.GROUP_RIGHT)) {
        card = advance().type() == TokenType.GROUP_LEFT ? Cardinality.MANY_TO_ONE : Cardinality.ONE_TO_MANY;
        if (at(TokenType.LEFT_PAREN)) {
          include = parseGroupingLabels();
        }
      }
    }
    Double fillL = null;
    Double fillR = null;
    PosRange fillPos = null;
    while (at(TokenType.FILL) || at(TokenType.FILL_LEFT) || at(TokenType.FILL_RIGHT)) {
      Token f = advance();
      if (fillPos == null) {
        fillPos = f.range();
      }
      if (!at(TokenType.LEFT_PAREN)) {
        throw unexpected("fill modifier", "\"(\"");
      }
      advance();
      double v = parseSignedNumber("fill modifier");
      if (!at(TokenType.RIGHT_PAREN)) {
        throw unexpected("fill modifier", "\")\"");
      }
      advance();
      switch (f.type()) {
        case FILL -> {
          fillL = v;
          fillR = v;
        }
        case FILL_LEFT -> fillL = v;
        default -> fillR = v;
      }
    }
    return new Modifiers(returnBool, new VectorMatching(card, matching, on, include, fillL, fillR), fillPos);
  }

  private double parseSignedNumber(String context) {
    boolean neg = false;
    if (at(TokenType.SUB) || at(TokenType.ADD)) {
      neg = advance().type() == TokenType.SUB;
    }
    if (!at(TokenType.NUMBER) && !at(TokenType.DURATION)) {
      throw unexpected(context, "number");
    }
    double v = ((NumberLiteral) numberLiteral(advance())).value();
    return neg ? -v : v;
  }

  private Expr newBinary(Token op, Expr lhs, Expr rhs, Modifiers mods) {
    if (mods.fillPos() != null && !options.binopFillModifiers()) {
      throw error(new PosRange(lhs.pos().start(), rhs.pos().end()), "binop fill modifiers are experimental and not enabled");
    }
    VectorMatching vm = mods.matching();
    boolean bothVectors = lhs.type() == ValueType.VECTOR && rhs.type() == ValueType.VECTOR;
    if (!bothVectors && vm.matchingLabels().isEmpty() && vm.fillLhs() == null && vm.fillRhs() == null) {
      vm = null; // scalar operations have no vector matching
    } else if (op.type().isSetOperator() && vm.card() == Cardinality.ONE_TO_ONE) {
      vm = vm.withCard(Cardinality.MANY_TO_MANY);
    }
    return new BinaryExpr(op.type(), lhs, rhs, vm, mods.returnBool());
  }

  private List<String> parseGroupingLabels() {
    if (!at(TokenType.LEFT_PAREN)) {
      throw unexpected("grouping opts", "\"(\"");
    }
    advance();
    List<String> labels = new ArrayList<>();
    if (at(TokenType.RIGHT_PAREN)) {
      advance();
      return labels;
    }
    while (true) {
      Token t = peek();
      String label;
      if (t.type() == TokenType.STRING) {
        label = unquote(t);
      } else if (isMaybeLabel(t.type())) {
        label = t.val();
        if (!isLabel(label)) {
          throw unexpected("grouping opts", "label");
        }
      } else {
        throw unexpected("grouping opts", "label");
      }
      advance();
      labels.add(label);
      if (at(TokenType.COMMA)) {
        advance();
        if (at(TokenType.RIGHT_PAREN)) {
          advance();
          return labels;
        }
        continue;
      }
      if (at(TokenType.RIGHT_PAREN)) {
        advance();
        return labels;
      }
      throw unexpected("grouping opts", "\",\" or \")\"");
    }
  }

  private static boolean isMaybeLabel(TokenType t) {
    return t == TokenType.IDENTIFIER || t == TokenType.METRIC_IDENTIFIER || t.isKeyword() || t.isAggregator()
        || t == TokenType.LAND || t == TokenType.LOR || t == TokenType.LUNLESS || t == TokenType.ATAN2
        || t == TokenType.START || t == TokenType.END || t == TokenType.STEP || t == TokenType.RANGE;
  }

  private static boolean isLabel(String s) {
    return LabelNames.isValidLabelName(s);
  }

  private Expr parseUnary() {
    if (at(TokenType.ADD) || at(TokenType.SUB)) {
      Token op = advance();
      // Unary operators bind like '*': only '^' (and postfix modifiers) reach into the operand.
      Expr operand = parseExpr(TokenType.POW.precedence());
      if (operand instanceof NumberLiteral n) {
        double v = op.type() == TokenType.SUB ? -n.value() : n.value();
        return new NumberLiteral(v, n.duration(), new PosRange(op.pos(), n.pos().end()));
      }
      return new UnaryExpr(op.type(), operand, op.pos());
    }
    return parsePostfix(parsePrimary());
  }

  private Expr parsePrimary() {
    Token t = peek();
    switch (t.type()) {
      case LEFT_PAREN -> {
        advance();
        Expr e = parseExpr(0);
        if (!at(TokenType.RIGHT_PAREN)) {
          throw unexpected("", "");
        }
        Token close = advance();
        return new ParenExpr(e, new PosRange(t.pos(), close.end()));
      }
      case NUMBER, DURATION -> {
        advance();
        return numberLiteral(t);
      }
      case STRING -> {
        advance();
        return new StringLiteral(unquote(t), t.range());
      }
      case LEFT_BRACE -> {
        return parseLabelMatchers(null);
      }
      case IDENTIFIER -> {
        if (peekAt(1).type() == TokenType.LEFT_PAREN) {
          return parseCall();
        }
        return parseSelectorAfterName();
      }
      case METRIC_IDENTIFIER, BY, WITHOUT, OFFSET, LAND, LOR, LUNLESS, ATAN2 -> {
        return parseSelectorAfterName();
      }
      case START, END, STEP, RANGE -> {
        if (peekAt(1).type() == TokenType.LEFT_PAREN && peekAt(2).type() == TokenType.RIGHT_PAREN) {
          if (!options.durationExpressions() && !options.experimentalFunctions()) {
            throw error(t.range(), "function " + GoQuote.quote(t.val()) + " is not enabled");
          }
          advance();
          advance();
          Token close = advance();
          return new DurationExpr(t.type(), null, null, false, new PosRange(t.pos(), close.end()));
        }
        return parseSelectorAfterName();
      }
      default -> {
        if (t.type().isAggregator()) {
          TokenType next = peekAt(1).type();
          if (next == TokenType.LEFT_PAREN || next == TokenType.BY || next == TokenType.WITHOUT) {
            return parseAggregate();
          }
          return parseSelectorAfterName();
        }
        throw unexpected("", "");
      }
    }
  }

  private Expr numberLiteral(Token t) {
    if (t.type() == TokenType.DURATION) {
      long ms;
      try {
        ms = Durations.parseMs(t.val());
      } catch (IllegalArgumentException e) {
        throw error(t.range(), e.getMessage());
      }
      return new NumberLiteral(ms / 1000.0, true, t.range());
    }
    try {
      return new NumberLiteral(GoFloat.parse(t.val()), false, t.range());
    } catch (NumberFormatException e) {
      throw error(t.range(), "error parsing number: " + e.getMessage());
    }
  }

  private String unquote(Token t) {
    try {
      return GoQuote.unquote(t.val());
    } catch (IllegalArgumentException e) {
      throw error(t.range(), "error unquoting string " + GoQuote.quote(t.val()) + ": " + e.getMessage());
    }
  }

  private Expr parseCall() {
    Token name = advance();
    FunctionSignature fn = Functions.get(name.val());
    if (fn == null) {
      throw error(name.range(), "unknown function with name " + GoQuote.quote(name.val()));
    }
    if (fn.experimental() && !options.experimentalFunctions()) {
      throw error(name.range(), "function " + GoQuote.quote(name.val()) + " is not enabled");
    }
    List<Expr> args = new ArrayList<>();
    int end = parseCallBody(args);
    return new Call(fn, args, new PosRange(name.pos(), end));
  }

  /** Parses "(a, b, ...)" into args; returns the end offset of the closing parenthesis. */
  private int parseCallBody(List<Expr> args) {
    if (!at(TokenType.LEFT_PAREN)) {
      throw unexpected("", "");
    }
    advance();
    if (at(TokenType.RIGHT_PAREN)) {
      return advance().end();
    }
    while (true) {
      args.add(parseExpr(0));
      if (at(TokenType.COMMA)) {
        Token comma = advance();
        if (at(TokenType.RIGHT_PAREN)) {
          throw error(comma.range(), "trailing commas not allowed in function call args");
        }
        continue;
      }
      if (at(TokenType.RIGHT_PAREN)) {
        return advance().end();
      }
      throw unexpected("", "");
    }
  }

  private Expr parseAggregate() {
    Token op = advance();
    List<String> grouping = List.of();
    boolean without = false;
    boolean modifierSeen = false;
    if (at(TokenType.BY) || at(TokenType.WITHOUT)) {
      without = advance().type() == TokenType.WITHOUT;
      grouping = parseGroupingLabels();
      modifierSeen = true;
    }
    List<Expr> args = new ArrayList<>();
    if (!at(TokenType.LEFT_PAREN)) {
      throw unexpected("aggregation", "");
    }
    int end = parseCallBody(args);
    if (!modifierSeen && (at(TokenType.BY) || at(TokenType.WITHOUT))) {
      without = advance().type() == TokenType.WITHOUT;
      grouping = parseGroupingLabels();
      end = tokens.get(p - 1).end();
    }
    PosRange pos = new PosRange(op.pos(), end);
    if (args.isEmpty()) {
      throw error(pos, "no arguments for aggregate expression provided");
    }
    int desired = 1;
    Expr param = null;
    if (op.type().isAggregatorWithParam()) {
      if (!options.experimentalFunctions() && op.type().isExperimentalAggregator()) {
        throw error(pos, op.type().text()
            + "() is experimental and must be enabled with --enable-feature=promql-experimental-functions");
      }
      desired = 2;
      param = args.get(0);
    }
    if (args.size() != desired) {
      throw error(pos, "wrong number of arguments for aggregate expression provided, expected " + desired
          + ", got " + args.size());
    }
    return new AggregateExpr(op.type(), args.get(desired - 1), param, grouping, without, pos);
  }

  private Expr parseSelectorAfterName() {
    Token name = advance();
    if (at(TokenType.LEFT_BRACE)) {
      return parseLabelMatchers(name);
    }
    List<Matcher> ms = List.of(Matcher.equal(Labels.METRIC_NAME, name.val()));
    return new VectorSelector(name.val(), ms, 0, null, AtModifier.NONE, 0, false, false, false, name.range());
  }

  private Expr parseVectorSelectorOnly() {
    Token t = peek();
    if (t.type() == TokenType.LEFT_BRACE) {
      return parseLabelMatchers(null);
    }
    if (t.type() == TokenType.IDENTIFIER || t.type() == TokenType.METRIC_IDENTIFIER || t.type().isAggregator()
        || t.type().isKeyword() || t.type().isSetOperator()) {
      return parseSelectorAfterName();
    }
    throw unexpected("", "");
  }

  private Expr parseLabelMatchers(Token name) {
    Token open = advance(); // {
    List<Matcher> matchers = new ArrayList<>();
    if (!at(TokenType.RIGHT_BRACE)) {
      while (true) {
        matchers.add(parseLabelMatcher());
        if (at(TokenType.COMMA)) {
          advance();
          if (at(TokenType.RIGHT_BRACE)) {
            break;
          }
          continue;
        }
        if (at(TokenType.RIGHT_BRACE)) {
          break;
        }
        throw unexpected("label matching", "\",\" or \"}\"");
      }
    }
    Token close = advance();
    String metric = "";
    if (name != null) {
      metric = name.val();
      matchers.add(Matcher.equal(Labels.METRIC_NAME, metric));
    }
    int start = name != null ? name.pos() : open.pos();
    return new VectorSelector(metric, matchers, 0, null, AtModifier.NONE, 0, false, false, false,
        new PosRange(start, close.end()));
  }

  private Matcher parseLabelMatcher() {
    Token label = peek();
    if (label.type() != TokenType.IDENTIFIER && label.type() != TokenType.STRING) {
      throw unexpected("label matching", "identifier or \"}\"");
    }
    advance();
    String labelName = label.type() == TokenType.STRING ? unquote(label) : label.val();
    Token op = peek();
    MatchType type = switch (op.type()) {
      case EQL -> MatchType.EQUAL;
      case NEQ -> MatchType.NOT_EQUAL;
      case EQL_REGEX -> MatchType.REGEX;
      case NEQ_REGEX -> MatchType.NOT_REGEX;
      default -> null;
    };
    if (type == null) {
      if (label.type() == TokenType.STRING) {
        return Matcher.equal(Labels.METRIC_NAME, labelName); // {"metric.name"}
      }
      throw unexpected("label matching", "label matching operator");
    }
    advance();
    Token value = peek();
    if (value.type() != TokenType.STRING) {
      throw unexpected("label matching", "string");
    }
    advance();
    String v = unquote(value);
    try {
      return Matcher.of(type, labelName, v);
    } catch (IllegalArgumentException e) {
      throw error(new PosRange(label.pos(), value.end()), e.getMessage());
    }
  }

  // ---- postfix: [range], [range:step], offset, @, anchored/smoothed ----

  private Expr parsePostfix(Expr e) {
    while (true) {
      switch (peek().type()) {
        case LEFT_BRACKET -> e = parseRangeOrSubquery(e);
        case OFFSET -> e = parseOffset(e);
        case AT -> e = parseAt(e);
        case ANCHORED, SMOOTHED -> e = parseExtendedModifier(e);
        default -> {
          return e;
        }
      }
    }
  }

  private Expr parseExtendedModifier(Expr e) {
    Token t = advance();
    boolean anchored = t.type() == TokenType.ANCHORED;
    String name = anchored ? "anchored" : "smoothed";
    if (!options.extendedRangeSelectors()) {
      throw error(e.pos(), name + " modifier is experimental and not enabled");
    }
    switch (e) {
      case VectorSelector vs -> {
        checkAnchorSmooth(e, anchored ? vs.smoothed() : vs.anchored());
        return vs.withModifiers(anchored || vs.anchored(), !anchored || vs.smoothed());
      }
      case MatrixSelector ms -> {
        VectorSelector vs = ms.selector();
        checkAnchorSmooth(e, anchored ? vs.smoothed() : vs.anchored());
        return new MatrixSelector(vs.withModifiers(anchored || vs.anchored(), !anchored || vs.smoothed()),
            ms.rangeMs(), ms.rangeExpr(), t.end());
      }
      case SubqueryExpr sq -> throw error(e.pos(), name + " modifier is not supported for subqueries");
      default -> throw error(e.pos(), name + " modifier not implemented");
    }
  }

  private void checkAnchorSmooth(Expr e, boolean other) {
    if (other) {
      throw error(e.pos(), "anchored and smoothed modifiers cannot be used together");
    }
  }

  /** A range, step or offset value: a number or duration, or (experimental) a duration expression. */
  private record DurationValue(long ms, DurationExpr expr) {}

  private DurationValue parseDurationValue(String context, String expected, boolean inBrackets) {
    Token t = peek();
    boolean simple = (t.type() == TokenType.NUMBER || t.type() == TokenType.DURATION)
        && (inBrackets ? isBracketEnd(peekAt(1).type()) : true);
    if (simple) {
      advance();
      return new DurationValue(toMs(((NumberLiteral) numberLiteral(t)).value()), null);
    }
    if (!options.durationExpressions() || !startsDurationExpr(t.type())) {
      throw unexpected(context, expected);
    }
    Expr e = inBrackets ? parseDurationExpr(0) : parseOffsetDurationExpr();
    DurationExpr d = e instanceof DurationExpr de ? de : new DurationExpr(TokenType.ADD, null, e, false, e.pos());
    if (!d.dependsOnQuery()) {
      return new DurationValue(toMs(d.evaluate(0, 0)), d);
    }
    return new DurationValue(0, d);
  }

  private static boolean isBracketEnd(TokenType t) {
    return t == TokenType.RIGHT_BRACKET || t == TokenType.COLON || t == TokenType.DOUBLE_COLON;
  }

  private static boolean startsDurationExpr(TokenType t) {
    return t == TokenType.NUMBER || t == TokenType.DURATION || t == TokenType.LEFT_PAREN || t == TokenType.SUB
        || t == TokenType.ADD || t == TokenType.STEP || t == TokenType.RANGE || t == TokenType.MIN
        || t == TokenType.MAX;
  }

  /** Seconds to whole milliseconds; rounding keeps 1001ms (1.001 s, not exact in binary) at 1001. */
  private static long toMs(double seconds) {
    return Math.round(seconds * 1000);
  }

  /** Duration arithmetic inside brackets: + - * / % ^, unary signs, parentheses, step(), min/max(a, b). */
  private Expr parseDurationExpr(int minPrec) {
    Expr lhs = parseDurationUnary();
    while (true) {
      TokenType op = peek().type();
      int prec = switch (op) {
        case ADD, SUB -> 4;
        case MUL, DIV, MOD -> 5;
        case POW -> 6;
        default -> 0;
      };
      if (prec == 0 || prec < minPrec) {
        return lhs;
      }
      advance();
      Expr rhs = parseDurationExpr(op == TokenType.POW ? prec : prec + 1);
      lhs = new DurationExpr(op, lhs, rhs, false, new PosRange(lhs.pos().start(), rhs.pos().end()));
    }
  }

  private Expr parseDurationUnary() {
    if (at(TokenType.SUB) || at(TokenType.ADD)) {
      Token op = advance();
      Expr operand = parseDurationExpr(6);
      if (operand instanceof NumberLiteral n) {
        return new NumberLiteral(op.type() == TokenType.SUB ? -n.value() : n.value(), n.duration(),
            new PosRange(op.pos(), n.pos().end()));
      }
      return new DurationExpr(op.type(), null, operand, false, new PosRange(op.pos(), operand.pos().end()));
    }
    return parseDurationPrimary();
  }

  private Expr parseDurationPrimary() {
    Token t = peek();
    switch (t.type()) {
      case NUMBER, DURATION -> {
        advance();
        return numberLiteral(t);
      }
      case LEFT_PAREN -> {
        advance();
        Expr e = parseDurationExpr(0);
        if (!at(TokenType.RIGHT_PAREN)) {
          throw unexpected("duration expression", "\")\"");
        }
        Token close = advance();
        PosRange pr = new PosRange(t.pos(), close.end());
        if (e instanceof DurationExpr d) {
          return new DurationExpr(d.op(), d.lhs(), d.rhs(), true, pr);
        }
        return new DurationExpr(TokenType.ADD, null, e, true, pr);
      }
      case STEP, RANGE -> {
        advance();
        expect(TokenType.LEFT_PAREN, "duration expression");
        Token close = expect(TokenType.RIGHT_PAREN, "duration expression");
        return new DurationExpr(t.type(), null, null, false, new PosRange(t.pos(), close.end()));
      }
      case MIN, MAX -> {
        advance();
        expect(TokenType.LEFT_PAREN, "duration expression");
        Expr a = parseDurationExpr(0);
        expect(TokenType.COMMA, "duration expression");
        Expr b = parseDurationExpr(0);
        Token close = expect(TokenType.RIGHT_PAREN, "duration expression");
        return new DurationExpr(t.type(), a, b, false, new PosRange(t.pos(), close.end()));
      }
      default -> throw unexpected("duration expression", "number or duration");
    }
  }

  private Token expect(TokenType type, String context) {
    if (!at(type)) {
      throw unexpected(context, GoQuote.quote(type.text()));
    }
    return advance();
  }

  /** After "offset": a signed number/duration, or a parenthesised expression / step() term. */
  private Expr parseOffsetDurationExpr() {
    Token t = peek();
    if (t.type() == TokenType.SUB || t.type() == TokenType.ADD) {
      advance();
      Expr operand = parseOffsetDurationTerm();
      return new DurationExpr(t.type(), null, operand, false, new PosRange(t.pos(), operand.pos().end()));
    }
    return parseOffsetDurationTerm();
  }

  /** One term after "offset": a number or duration, a parenthesised expression, or step()/range(). */
  private Expr parseOffsetDurationTerm() {
    return parseDurationPrimary();
  }

  private Expr parseRangeOrSubquery(Expr e) {
    Token open = advance(); // [
    if (at(TokenType.ERROR)) {
      throw unexpected("", "");
    }
    DurationValue range = parseDurationValue("subquery selector", "number or duration", true);
    if (at(TokenType.RIGHT_BRACKET)) {
      Token close = advance();
      String msg = null;
      if (!(e instanceof VectorSelector vs)) {
        msg = "ranges only allowed for vector selectors";
      } else if (vs.offsetMs() != 0 || vs.offsetExpr() != null) {
        msg = "no offset modifiers allowed before range";
      } else if (vs.at() != AtModifier.NONE) {
        msg = "no @ modifiers allowed before range";
      }
      if (msg != null) {
        throw error(new PosRange(open.pos(), close.end()), msg);
      }
      return new MatrixSelector((VectorSelector) e, range.ms(), range.expr(), close.end());
    }
    if (!at(TokenType.COLON) && !at(TokenType.DOUBLE_COLON)) {
      throw unexpected("subquery or range", "\":\" or \"]\"");
    }
    boolean aligned = advance().type() == TokenType.DOUBLE_COLON;
    DurationValue step = new DurationValue(0, null);
    if (!at(TokenType.RIGHT_BRACKET)) {
      step = parseDurationValue("subquery selector", "number or duration or \"]\"", true);
      if (!at(TokenType.RIGHT_BRACKET)) {
        throw unexpected("subquery selector", "\"]\"");
      }
    }
    Token close = advance();
    return new SubqueryExpr(e, range.ms(), range.expr(), step.ms(), step.expr(), aligned, 0, null, AtModifier.NONE, 0,
        close.end());
  }

  private Expr parseOffset(Expr e) {
    advance(); // offset
    DurationValue v;
    Token t = peek();
    if (t.type() == TokenType.SUB && (peekAt(1).type() == TokenType.NUMBER || peekAt(1).type() == TokenType.DURATION)) {
      advance();
      DurationValue d = parseDurationValue("offset", "number or duration", false);
      v = new DurationValue(-d.ms(), null);
    } else if (t.type() == TokenType.NUMBER || t.type() == TokenType.DURATION) {
      v = parseDurationValue("offset", "number or duration", false);
    } else if (options.durationExpressions() && startsDurationExpr(t.type())) {
      Expr d = parseOffsetDurationExpr();
      DurationExpr de = d instanceof DurationExpr x ? x : new DurationExpr(TokenType.ADD, null, d, false, d.pos());
      v = new DurationValue(de.dependsOnQuery() ? 0 : toMs(de.evaluate(0, 0)), de);
    } else {
      throw unexpected("offset", "number or duration");
    }
    int end = tokens.get(p - 1).end();
    return switch (e) {
      case VectorSelector vs -> {
        checkOffsetOnce(e, vs.offsetMs(), vs.offsetExpr());
        yield vs.withOffset(v.ms(), v.expr(), end);
      }
      case MatrixSelector ms -> {
        VectorSelector vs = ms.selector();
        checkOffsetOnce(e, vs.offsetMs(), vs.offsetExpr());
        yield new MatrixSelector(vs.withOffset(v.ms(), v.expr(), vs.pos().end()), ms.rangeMs(), ms.rangeExpr(), end);
      }
      case SubqueryExpr sq -> {
        checkOffsetOnce(e, sq.offsetMs(), sq.offsetExpr());
        yield sq.withOffset(v.ms(), v.expr(), end);
      }
      default -> throw error(e.pos(),
          "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery");
    };
  }

  private void checkOffsetOnce(Expr e, long offsetMs, DurationExpr offsetExpr) {
    if (offsetMs != 0 || offsetExpr != null) {
      throw error(e.pos(), "offset may not be set multiple times");
    }
  }

  private Expr parseAt(Expr e) {
    advance(); // @
    AtModifier mod;
    long ms = 0;
    Token t = peek();
    if ((t.type() == TokenType.START || t.type() == TokenType.END) && peekAt(1).type() == TokenType.LEFT_PAREN
        && peekAt(2).type() == TokenType.RIGHT_PAREN) {
      advance();
      advance();
      advance();
      mod = t.type() == TokenType.START ? AtModifier.START : AtModifier.END;
    } else {
      boolean neg = false;
      if (at(TokenType.ADD) || at(TokenType.SUB)) {
        neg = advance().type() == TokenType.SUB;
      }
      if (!at(TokenType.NUMBER) && !at(TokenType.DURATION)) {
        throw unexpected("@", "timestamp");
      }
      double ts = ((NumberLiteral) numberLiteral(advance())).value();
      if (neg) {
        ts = -ts;
      }
      if (Double.isInfinite(ts) || Double.isNaN(ts) || ts >= (double) Long.MAX_VALUE || ts <= (double) Long.MIN_VALUE) {
        throw error(e.pos(), "timestamp out of bounds for @ modifier: " + (Double.isNaN(ts) ? "NaN"
            : Double.isInfinite(ts) ? (ts > 0 ? "+Inf" : "-Inf") : String.format(java.util.Locale.ROOT, "%f", ts)));
      }
      ms = Math.round(ts * 1000.0);
      mod = AtModifier.TIMESTAMP;
    }
    int end = tokens.get(p - 1).end();
    return switch (e) {
      case VectorSelector vs -> {
        checkAtOnce(e, vs.at());
        yield vs.withAt(mod, ms, end);
      }
      case MatrixSelector m -> {
        VectorSelector vs = m.selector();
        checkAtOnce(e, vs.at());
        yield new MatrixSelector(vs.withAt(mod, ms, vs.pos().end()), m.rangeMs(), m.rangeExpr(), end);
      }
      case SubqueryExpr sq -> {
        checkAtOnce(e, sq.at());
        yield sq.withAt(mod, ms, end);
      }
      default -> throw error(e.pos(),
          "@ modifier must be preceded by an instant vector selector or range vector selector or a subquery");
    };
  }

  private void checkAtOnce(Expr e, AtModifier existing) {
    if (existing != AtModifier.NONE) {
      throw error(e.pos(), "@ <timestamp> may not be set multiple times");
    }
  }
}
