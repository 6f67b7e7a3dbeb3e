package io.vigil.rules.template;

/**
 * One lexical item of a template (Go's {@code parse.item}).
 *
 * @param pos char offset of the item's start in the template text
 * @param line 1-based line of the item's start
 */
record Token(Type type, int pos, String val, int line) {
  enum Type {
    ERROR, BOOL, CHAR, CHAR_CONSTANT, COMPLEX, ASSIGN, DECLARE, EOF, FIELD, IDENTIFIER, LEFT_DELIM, LEFT_PAREN,
    NUMBER, PIPE, RAW_STRING, RIGHT_DELIM, RIGHT_PAREN, SPACE, STRING, TEXT, VARIABLE,
    // keywords: printed as <word> in error messages
    BLOCK, BREAK, CONTINUE, DOT, DEFINE, ELSE, END, IF, NIL, RANGE, TEMPLATE, WITH;

    boolean isKeyword() {
      return ordinal() >= BLOCK.ordinal();
    }
  }

  /** How Go prints an item in "unexpected X in Y" messages. */
  @Override
  public String toString() {
    if (type == Type.EOF) {
      return "EOF";
    }
    if (type == Type.ERROR) {
      return val;
    }
    if (type.isKeyword()) {
      return "<" + val + ">";
    }
    if (val.codePointCount(0, val.length()) > 10) {
      int end = val.offsetByCodePoints(0, 10);
      return GoText.quote(val.substring(0, end)) + "...";
    }
    return GoText.quote(val);
  }
}
