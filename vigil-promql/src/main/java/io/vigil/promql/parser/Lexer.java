package io.vigil.promql.parser;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a query into {@link Token}s with Prometheus's lexical rules: keywords are case-insensitive,
 * inside braces every word is an identifier, inside brackets only durations, numbers and duration
 * arithmetic are lexed. Lexing stops at the first error, which becomes an {@link TokenType#ERROR}
 * token whose text is the message. Comments are dropped.
 */
final class Lexer {
  private static final int EOF_CHAR = -1;

  private enum State { STATEMENTS, INSIDE_BRACES, DURATION_EXPR }

  private final String input;
  private final List<Token> out = new ArrayList<>();
  private State state = State.STATEMENTS;
  private int pos;
  private int start;
  private int parenDepth;
  private boolean braceOpen;
  private boolean bracketOpen;
  private boolean gotColon;
  private boolean gotDuration;
  private boolean done;

  private Lexer(String input) {
    this.input = input;
  }

  /** All tokens of the input, ending in EOF or ERROR. */
  static List<Token> lex(String input) {
    Lexer l = new Lexer(input);
    while (!l.done) {
      l.step();
    }
    return l.out;
  }

  private int next() {
    if (pos >= input.length()) {
      pos = input.length() + 1; // so that backup() returns to the end
      return EOF_CHAR;
    }
    return input.charAt(pos++);
  }

  private void backup() {
    pos--;
  }

  private int peek() {
    return pos < input.length() ? input.charAt(pos) : EOF_CHAR;
  }

  private void emit(TokenType t) {
    out.add(new Token(t, start, input.substring(start, Math.min(pos, input.length()))));
    start = pos;
  }

  private void error(String msg) {
    out.add(new Token(TokenType.ERROR, start, msg));
    done = true;
  }

  private static boolean isSpace(int r) {
    return r == ' ' || r == '\t' || r == '\n' || r == '\r';
  }

  static boolean isAlpha(int r) {
    return r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z');
  }

  static boolean isDigit(int r) {
    return r >= '0' && r <= '9';
  }

  static boolean isAlphaNumeric(int r) {
    return isAlpha(r) || isDigit(r);
  }

  private void step() {
    switch (state) {
      case STATEMENTS -> lexStatements();
      case INSIDE_BRACES -> lexInsideBraces();
      case DURATION_EXPR -> lexDurationExpr();
    }
  }

  private void skipComment() {
    while (pos < input.length() && input.charAt(pos) != '\n' && input.charAt(pos) != '\r') {
      pos++;
    }
    start = pos;
  }

  private void lexStatements() {
    if (input.startsWith("#", pos)) {
      skipComment();
      return;
    }
    int r = next();
    if (r == EOF_CHAR) {
      pos = input.length();
      start = pos;
      if (parenDepth != 0) {
        error("unclosed left parenthesis");
      } else if (bracketOpen) {
        error("unclosed left bracket");
      } else {
        emit(TokenType.EOF);
        done = true;
      }
      return;
    }
    switch (r) {
      case ',' -> emit(TokenType.COMMA);
      case '*' -> emit(TokenType.MUL);
      case '/' -> emit(TokenType.DIV);
      case '%' -> emit(TokenType.MOD);
      case '+' -> emit(TokenType.ADD);
      case '-' -> emit(TokenType.SUB);
      case '^' -> emit(TokenType.POW);
      case '@' -> emit(TokenType.AT);
      case '=' -> {
        int t = peek();
        if (t == '=') {
          next();
          emit(TokenType.EQLC);
        } else if (t == '~') {
          error("unexpected character after '=': " + GoQuote.quoteRune(t));
        } else {
          emit(TokenType.EQL);
        }
      }
      case '!' -> {
        int t = next();
        if (t != '=') {
          error("unexpected character after '!': " + GoQuote.quoteRune(t));
        } else {
          emit(TokenType.NEQ);
        }
      }
      case '<' -> {
        if (peek() == '=') {
          next();
          emit(TokenType.LTE);
        } else {
          emit(TokenType.LSS);
        }
      }
      case '>' -> {
        if (peek() == '=') {
          next();
          emit(TokenType.GTE);
        } else {
          emit(TokenType.GTR);
        }
      }
      case '"', '\'' -> lexString((char) r);
      case '`' -> lexRawString();
      case '(' -> {
        emit(TokenType.LEFT_PAREN);
        parenDepth++;
      }
      case ')' -> {
        emit(TokenType.RIGHT_PAREN);
        parenDepth--;
        if (parenDepth < 0) {
          out.removeLast();
          error("unexpected right parenthesis ')'");
        }
      }
      case '{' -> {
        emit(TokenType.LEFT_BRACE);
        braceOpen = true;
        state = State.INSIDE_BRACES;
      }
      case '}' -> error("unexpected right brace '}'");
      case '[' -> {
        if (bracketOpen) {
          error("unexpected left bracket '['");
          return;
        }
        gotColon = false;
        gotDuration = false;
        emit(TokenType.LEFT_BRACKET);
        skipSpaces();
        bracketOpen = true;
        state = State.DURATION_EXPR;
      }
      case ']' -> {
        if (!bracketOpen) {
          error("unexpected right bracket ']'");
          return;
        }
        emit(TokenType.RIGHT_BRACKET);
        bracketOpen = false;
      }
      default -> {
        if (isSpace(r)) {
          skipSpaces();
        } else if (isDigit(r) || (r == '.' && isDigit(peek()))) {
          backup();
          lexNumberOrDuration();
        } else if (isAlpha(r) || r == ':') {
          if (!bracketOpen) {
            backup();
            lexKeywordOrIdentifier();
            return;
          }
          if (r == ':') {
            if (gotColon) {
              error("unexpected colon ':'");
              return;
            }
            if (peek() == ':') {
              next();
              emit(TokenType.DOUBLE_COLON);
            } else {
              emit(TokenType.COLON);
            }
            gotColon = true;
            return;
          }
          if ((r == 's' || r == 'S' || r == 'm' || r == 'M') && scanDurationKeyword()) {
            return;
          }
          error("unexpected character: " + GoQuote.quoteRune(r) + ", expected ':'");
        } else {
          error("unexpected character: " + GoQuote.quoteRune(r));
        }
      }
    }
  }

  private void skipSpaces() {
    while (isSpace(peek())) {
      pos++;
    }
    start = pos;
  }

  private void lexInsideBraces() {
    if (input.startsWith("#", pos)) {
      skipComment();
      return;
    }
    int r = next();
    if (r == EOF_CHAR) {
      pos = input.length();
      error("unexpected end of input inside braces");
      return;
    }
    if (isSpace(r)) {
      skipSpaces();
    } else if (isAlpha(r)) {
      while (isAlphaNumeric(peek())) {
        pos++;
      }
      emit(TokenType.IDENTIFIER);
    } else {
      switch (r) {
        case ',' -> emit(TokenType.COMMA);
        case '"', '\'' -> lexString((char) r);
        case '`' -> lexRawString();
        case '=' -> {
          if (peek() == '~') {
            next();
            emit(TokenType.EQL_REGEX);
          } else {
            emit(TokenType.EQL);
          }
        }
        case '!' -> {
          int nr = next();
          if (nr == '~') {
            emit(TokenType.NEQ_REGEX);
          } else if (nr == '=') {
            emit(TokenType.NEQ);
          } else {
            error("unexpected character after '!' inside braces: " + GoQuote.quoteRune(nr));
          }
        }
        case '{' -> error("unexpected left brace '{'");
        case '}' -> {
          emit(TokenType.RIGHT_BRACE);
          braceOpen = false;
          state = State.STATEMENTS;
        }
        default -> error("unexpected character inside braces: " + GoQuote.quoteRune(r));
      }
    }
  }

  private void lexDurationExpr() {
    int r = next();
    if (r == EOF_CHAR) {
      pos = input.length();
      error("unexpected end of input in duration expression");
      return;
    }
    switch (r) {
      case ']' -> {
        emit(TokenType.RIGHT_BRACKET);
        bracketOpen = false;
        gotColon = false;
        state = State.STATEMENTS;
      }
      case ':' -> {
        if (peek() == ':') {
          next();
          emit(TokenType.DOUBLE_COLON);
        } else {
          emit(TokenType.COLON);
        }
        if (!gotDuration) {
          error("unexpected colon before duration in duration expression");
        } else if (gotColon) {
          error("unexpected repeated colon in duration expression");
        }
        gotColon = true;
      }
      case '(' -> {
        emit(TokenType.LEFT_PAREN);
        parenDepth++;
      }
      case ')' -> {
        emit(TokenType.RIGHT_PAREN);
        parenDepth--;
        if (parenDepth < 0) {
          error("unexpected right parenthesis ')'");
        }
      }
      case '+' -> emit(TokenType.ADD);
      case '-' -> emit(TokenType.SUB);
      case '*' -> emit(TokenType.MUL);
      case '/' -> emit(TokenType.DIV);
      case '%' -> emit(TokenType.MOD);
      case '^' -> emit(TokenType.POW);
      case ',' -> emit(TokenType.COMMA);
      default -> {
        if (isSpace(r)) {
          skipSpaces();
        } else if ("sSmMrR".indexOf(r) >= 0) {
          if (!scanDurationKeyword()) {
            error("unexpected character in duration expression: " + GoQuote.quoteRune(r));
          }
        } else if (isDigit(r) || (r == '.' && isDigit(peek()))) {
          backup();
          gotDuration = true;
          lexNumberOrDuration();
        } else {
          error("unexpected character in duration expression: " + GoQuote.quoteRune(r));
        }
      }
    }
  }

  /** step, range, min, max as words inside brackets. */
  private boolean scanDurationKeyword() {
    while (isAlpha(peek())) {
      pos++;
    }
    String word = input.substring(start, pos).toLowerCase(java.util.Locale.ROOT);
    TokenType t = switch (word) {
      case "step" -> TokenType.STEP;
      case "range" -> TokenType.RANGE;
      case "min" -> TokenType.MIN;
      case "max" -> TokenType.MAX;
      default -> null;
    };
    if (t == null) {
      return false;
    }
    emit(t);
    return true;
  }

  private void lexNumberOrDuration() {
    if (scanNumber()) {
      emit(TokenType.NUMBER);
      state = State.STATEMENTS;
      return;
    }
    if (acceptRemainingDuration()) {
      backup();
      emit(TokenType.DURATION);
      state = State.STATEMENTS;
      return;
    }
    error("bad number or duration syntax: " + GoQuote.quote(input.substring(start, Math.min(pos, input.length()))));
  }

  private boolean accept(String valid) {
    int r = next();
    if (r != EOF_CHAR && valid.indexOf(r) >= 0) {
      return true;
    }
    backup();
    return false;
  }

  private boolean is(String valid) {
    int r = peek();
    return r != EOF_CHAR && valid.indexOf(r) >= 0;
  }

  private boolean acceptRemainingDuration() {
    if (!accept("smhdwy")) {
      return false;
    }
    accept("s");
    while (accept("0123456789")) {
      while (accept("0123456789")) {
        // absorb
      }
      if (!accept("smhdw")) {
        return false;
      }
      accept("s");
    }
    return !isAlphaNumeric(next());
  }

  /** Prometheus's number scan: decimal, hex (0x), exponents, underscores between digits. */
  private boolean scanNumber() {
    int initial = pos;
    String digits = "0123456789";
    if (accept("0") && accept("xX")) {
      accept("_");
      digits = "0123456789abcdefABCDEF";
    }
    accept(".");
    accept(digits);
    boolean dot = false;
    boolean exp = false;
    while (is(digits + "._eE")) {
      if (is(".") && dot) {
        accept(".");
        return false;
      }
      if (is("eE") && exp) {
        accept("eE");
        return false;
      }
      if (accept(".")) {
        dot = true;
        if (accept("_.")) {
          return false;
        }
        if (digits.length() > 10) {
          return false; // no fractional hex literals
        }
        continue;
      }
      if (accept("eE")) {
        exp = true;
        accept("+-");
        if (accept("._eE") || peek() == EOF_CHAR) {
          return false;
        }
        continue;
      }
      if (accept("_")) {
        if (accept("._eE") || peek() == EOF_CHAR) {
          return false;
        }
        continue;
      }
      while (accept(digits)) {
        // absorb
      }
    }
    if (pos == initial) {
      return false;
    }
    return !isAlphaNumeric(peek());
  }

  private void lexString(char quote) {
    while (true) {
      int r = next();
      if (r == '\\') {
        if (!lexEscape(quote)) {
          return;
        }
        continue;
      }
      if (r == EOF_CHAR || r == '\n') {
        if (r == EOF_CHAR) {
          pos = input.length();
        }
        error("unterminated quoted string");
        return;
      }
      if (r == quote) {
        break;
      }
    }
    emit(TokenType.STRING);
  }

  private boolean lexEscape(char quote) {
    int ch = next();
    int n;
    int base;
    int max;
    switch (ch) {
      case 'a', 'b', 'f', 'n', 'r', 't', 'v', '\\' -> {
        return true;
      }
      case '0', '1', '2', '3', '4', '5', '6', '7' -> {
        n = 3;
        base = 8;
        max = 255;
      }
      case 'x' -> {
        ch = next();
        n = 2;
        base = 16;
        max = 255;
      }
      case 'u' -> {
        ch = next();
        n = 4;
        base = 16;
        max = Character.MAX_CODE_POINT;
      }
      case 'U' -> {
        ch = next();
        n = 8;
        base = 16;
        max = Character.MAX_CODE_POINT;
      }
      case EOF_CHAR -> {
        error("escape sequence not terminated");
        return false;
      }
      default -> {
        if (ch == quote) {
          return true;
        }
        error(String.format("unknown escape sequence U+%04X %s", ch, GoQuote.quoteRune(ch)));
        return false;
      }
    }
    long x = 0;
    while (n > 0) {
      int d = ch == EOF_CHAR ? 16 : Character.digit(ch, 16);
      if (d < 0) {
        d = 16;
      }
      if (d >= base) {
        if (ch == EOF_CHAR) {
          error("escape sequence not terminated");
        } else {
          error(String.format("illegal character U+%04X %s in escape sequence", ch, GoQuote.quoteRune(ch)));
        }
        return false;
      }
      x = x * base + d;
      n--;
      if (n > 0) {
        ch = next();
      }
    }
    if (x > max || (x >= 0xD800 && x < 0xE000)) {
      error("escape sequence is an invalid Unicode code point");
      return false;
    }
    return true;
  }

  private void lexRawString() {
    while (true) {
      int r = next();
      if (r == EOF_CHAR) {
        pos = input.length();
        error("unterminated raw string");
        return;
      }
      if (r == '`') {
        break;
      }
    }
    emit(TokenType.STRING);
  }

  private void lexKeywordOrIdentifier() {
    while (isAlphaNumeric(peek()) || peek() == ':') {
      pos++;
    }
    String word = input.substring(start, pos);
    TokenType kw = TokenType.keyword(word);
    if (word.equalsIgnoreCase("inf") || word.equalsIgnoreCase("nan")) {
      emit(TokenType.NUMBER);
    } else if (kw != null) {
      if ((kw == TokenType.FILL || kw == TokenType.FILL_LEFT || kw == TokenType.FILL_RIGHT) && !followedByLeftParen()) {
        emit(TokenType.IDENTIFIER);
      } else {
        emit(kw);
      }
    } else if (word.indexOf(':') < 0) {
      emit(TokenType.IDENTIFIER);
    } else {
      emit(TokenType.METRIC_IDENTIFIER);
    }
  }

  private boolean followedByLeftParen() {
    int p = pos;
    while (p < input.length() && isSpace(input.charAt(p))) {
      p++;
    }
    return p < input.length() && input.charAt(p) == '(';
  }
}
