package io.vigil.promql.parser;

/** One lexical item: its type, start offset (in chars of the query) and text. */
public record Token(TokenType type, int pos, String val) {
  public int end() {
    return pos + val.length();
  }

  PosRange range() {
    return new PosRange(pos, pos + val.length());
  }

  /** The item as named in "unexpected ..." errors, e.g. {@code "]"}, {@code identifier "foo"}, {@code <op:*>}. */
  String describe() {
    if (type == TokenType.EOF) {
      return "end of input";
    }
    if (type.text() != null) {
      return itemString();
    }
    return type.describe() + " " + itemString();
  }

  private String itemString() {
    if (type == TokenType.ERROR) {
      return val;
    }
    if (type == TokenType.IDENTIFIER || type == TokenType.METRIC_IDENTIFIER) {
      return GoQuote.quote(val);
    }
    if (type.isKeyword()) {
      return "<" + val + ">";
    }
    if (type.isOperator()) {
      return "<op:" + val + ">";
    }
    if (type.isAggregator()) {
      return "<aggr:" + val + ">";
    }
    if (val.codePointCount(0, val.length()) > 10) {
      return GoQuote.quote(val.substring(0, val.offsetByCodePoints(0, 10))) + "...";
    }
    return GoQuote.quote(val);
  }
}
