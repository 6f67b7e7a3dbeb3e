package io.vigil.promql.parser;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Lexical item types of PromQL (Prometheus's ItemType), grouped into operators, aggregators and keywords. */
public enum TokenType {
  EOF(Kind.OTHER, null),
  ERROR(Kind.OTHER, null),
  COMMENT(Kind.OTHER, null),
  IDENTIFIER(Kind.OTHER, null),
  METRIC_IDENTIFIER(Kind.OTHER, null),
  NUMBER(Kind.OTHER, null),
  DURATION(Kind.OTHER, null),
  STRING(Kind.OTHER, null),
  LEFT_PAREN(Kind.OTHER, "("),
  RIGHT_PAREN(Kind.OTHER, ")"),
  LEFT_BRACE(Kind.OTHER, "{"),
  RIGHT_BRACE(Kind.OTHER, "}"),
  LEFT_BRACKET(Kind.OTHER, "["),
  RIGHT_BRACKET(Kind.OTHER, "]"),
  COMMA(Kind.OTHER, ","),
  EQL(Kind.OTHER, "="),
  COLON(Kind.OTHER, ":"),
  DOUBLE_COLON(Kind.OTHER, "::"),

  // Operators.
  ADD(Kind.OPERATOR, "+"),
  DIV(Kind.OPERATOR, "/"),
  EQLC(Kind.OPERATOR, "=="),
  EQL_REGEX(Kind.OPERATOR, "=~"),
  GTE(Kind.OPERATOR, ">="),
  GTR(Kind.OPERATOR, ">"),
  LAND(Kind.OPERATOR, "and"),
  LOR(Kind.OPERATOR, "or"),
  LSS(Kind.OPERATOR, "<"),
  LTE(Kind.OPERATOR, "<="),
  LUNLESS(Kind.OPERATOR, "unless"),
  MOD(Kind.OPERATOR, "%"),
  MUL(Kind.OPERATOR, "*"),
  NEQ(Kind.OPERATOR, "!="),
  NEQ_REGEX(Kind.OPERATOR, "!~"),
  POW(Kind.OPERATOR, "^"),
  SUB(Kind.OPERATOR, "-"),
  AT(Kind.OPERATOR, "@"),
  ATAN2(Kind.OPERATOR, "atan2"),

  // Aggregators.
  AVG(Kind.AGGREGATOR, "avg"),
  BOTTOMK(Kind.AGGREGATOR, "bottomk"),
  COUNT(Kind.AGGREGATOR, "count"),
  COUNT_VALUES(Kind.AGGREGATOR, "count_values"),
  GROUP(Kind.AGGREGATOR, "group"),
  MAX(Kind.AGGREGATOR, "max"),
  MIN(Kind.AGGREGATOR, "min"),
  QUANTILE(Kind.AGGREGATOR, "quantile"),
  STDDEV(Kind.AGGREGATOR, "stddev"),
  STDVAR(Kind.AGGREGATOR, "stdvar"),
  SUM(Kind.AGGREGATOR, "sum"),
  TOPK(Kind.AGGREGATOR, "topk"),
  LIMITK(Kind.AGGREGATOR, "limitk"),
  LIMIT_RATIO(Kind.AGGREGATOR, "limit_ratio"),

  // Keywords.
  BOOL(Kind.KEYWORD, "bool"),
  BY(Kind.KEYWORD, "by"),
  GROUP_LEFT(Kind.KEYWORD, "group_left"),
  GROUP_RIGHT(Kind.KEYWORD, "group_right"),
  IGNORING(Kind.KEYWORD, "ignoring"),
  OFFSET(Kind.KEYWORD, "offset"),
  SMOOTHED(Kind.KEYWORD, "smoothed"),
  ANCHORED(Kind.KEYWORD, "anchored"),
  ON(Kind.KEYWORD, "on"),
  WITHOUT(Kind.KEYWORD, "without"),
  FILL(Kind.KEYWORD, "fill"),
  FILL_LEFT(Kind.KEYWORD, "fill_left"),
  FILL_RIGHT(Kind.KEYWORD, "fill_right"),

  // Preprocessors (@ start()/end(), duration-expression functions).
  START(Kind.PREPROCESSOR, "start"),
  END(Kind.PREPROCESSOR, "end"),
  STEP(Kind.PREPROCESSOR, "step"),
  RANGE(Kind.PREPROCESSOR, "range");

  enum Kind { OTHER, OPERATOR, AGGREGATOR, KEYWORD, PREPROCESSOR }

  private static final Map<String, TokenType> WORDS = new HashMap<>();

  static {
    for (TokenType t : values()) {
      if (t.kind != Kind.OTHER && t.text != null && Character.isLetter(t.text.charAt(0))) {
        WORDS.put(t.text, t);
      }
    }
  }

  private final Kind kind;
  private final String text;

  TokenType(Kind kind, String text) {
    this.kind = kind;
    this.text = text;
  }

  /** The keyword/operator/aggregator for a word (case-insensitive), or null. */
  static TokenType keyword(String word) {
    return WORDS.get(word.toLowerCase(Locale.ROOT));
  }

  /** The canonical text ("sum", "+", "by"), or null for value-carrying items. */
  public String text() {
    return text;
  }

  public boolean isOperator() {
    return kind == Kind.OPERATOR;
  }

  public boolean isAggregator() {
    return kind == Kind.AGGREGATOR;
  }

  public boolean isKeyword() {
    return kind == Kind.KEYWORD;
  }

  public boolean isAggregatorWithParam() {
    return this == TOPK || this == BOTTOMK || this == COUNT_VALUES || this == QUANTILE || this == LIMITK || this == LIMIT_RATIO;
  }

  public boolean isExperimentalAggregator() {
    return this == LIMITK || this == LIMIT_RATIO;
  }

  public boolean isComparisonOperator() {
    return this == EQLC || this == NEQ || this == LTE || this == LSS || this == GTE || this == GTR;
  }

  public boolean isSetOperator() {
    return this == LAND || this == LOR || this == LUNLESS;
  }

  /** Binding strength of a binary operator, higher binds tighter; 0 if not a binary operator. */
  int precedence() {
    return switch (this) {
      case LOR -> 1;
      case LAND, LUNLESS -> 2;
      case EQLC, NEQ, LTE, LSS, GTE, GTR -> 3;
      case ADD, SUB -> 4;
      case MUL, DIV, MOD, ATAN2 -> 5;
      case POW -> 6;
      default -> 0;
    };
  }

  /** How the item is named in "unexpected ..." parse errors (Prometheus's ItemType.desc). */
  String describe() {
    return switch (this) {
      case ERROR -> "error";
      case EOF -> "end of input";
      case COMMENT -> "comment";
      case IDENTIFIER -> "identifier";
      case METRIC_IDENTIFIER -> "metric identifier";
      case STRING -> "string";
      case NUMBER -> "number";
      case DURATION -> "duration";
      default -> GoQuote.quote(text);
    };
  }

  @Override
  public String toString() {
    return text != null ? text : name();
  }
}
