package io.vigil.rules.template;

import io.vigil.rules.template.Token.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits a template into {@link Token}s with Go text/template's rules (Go 1.22+): {@code {{ }}}
 * actions, trim markers ("{{- " and " -}}") that drop adjacent white space, comments, newlines inside
 * actions, the keywords (break and continue included), and Go's literal syntax. Lexing stops at the
 * first error, which becomes an ERROR token at the point the parser will meet it, so errors are
 * reported in input order as Go does. Linear in the input; never loops without consuming.
 */
final class Lexer {
  private static final String LEFT = "{{";
  private static final String RIGHT = "}}";
  private static final String LEFT_COMMENT = "/*";
  private static final String RIGHT_COMMENT = "*/";
  private static final int TRIM_MARKER_LEN = 2; // "- " or " -"
  private static final Map<String, Type> KEYWORDS = Map.ofEntries(Map.entry(".", Type.DOT),
      Map.entry("block", Type.BLOCK), Map.entry("break", Type.BREAK), Map.entry("continue", Type.CONTINUE),
      Map.entry("define", Type.DEFINE), Map.entry("else", Type.ELSE), Map.entry("end", Type.END),
      Map.entry("if", Type.IF), Map.entry("range", Type.RANGE), Map.entry("nil", Type.NIL),
      Map.entry("template", Type.TEMPLATE), Map.entry("with", Type.WITH));

  private final String in;
  private final List<Token> out = new ArrayList<>();
  private int pos;
  private int start;
  /** lineOf's cursor: the line at linePos (positions only grow as tokens are emitted). */
  private int linePos;
  private int lineAtPos = 1;
  private int parenDepth;

  private Lexer(String in) {
    this.in = in;
  }

  /** All tokens, ending with EOF or ERROR. */
  static List<Token> lex(String text) {
    Lexer l = new Lexer(text);
    l.run();
    return l.out;
  }

  /** What the lexer does next. */
  private enum State { TEXT, INSIDE, DONE }

  private void run() {
    State s = State.TEXT;
    while (s != State.DONE) {
      s = s == State.TEXT ? text() : insideAction();
    }
  }

  // ---- emitting ----

  private void emit(Type t) {
    out.add(new Token(t, start, in.substring(start, pos), lineOf(start)));
    start = pos;
  }

  /** 1-based line of a position at or after the previous call's. */
  private int lineOf(int p) {
    for (; linePos < p; linePos++) {
      if (in.charAt(linePos) == '\n') {
        lineAtPos++;
      }
    }
    return lineAtPos;
  }

  private State error(String message) {
    out.add(new Token(Type.ERROR, start, message, lineOf(Math.min(start, in.length()))));
    return State.DONE;
  }

  private void ignore() {
    start = pos;
  }

  private int next() {
    if (pos >= in.length()) {
      pos = in.length() + 1; // so that backup() returns to the end
      return -1;
    }
    int c = in.codePointAt(pos);
    pos += Character.charCount(c);
    return c;
  }

  private void backup() {
    if (pos > in.length()) {
      pos = in.length();
      return;
    }
    pos -= Character.charCount(in.codePointBefore(pos));
  }

  private int peek() {
    int c = next();
    backup();
    return c;
  }

  private boolean accept(String valid) {
    int c = next();
    if (c >= 0 && valid.indexOf(c) >= 0) {
      return true;
    }
    backup();
    return false;
  }

  private void acceptRun(String valid) {
    while (true) {
      int c = next();
      if (c < 0 || valid.indexOf(c) < 0) {
        backup();
        return;
      }
    }
  }

  static boolean isSpace(int c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  static boolean isAlphaNumeric(int c) {
    return c == '_' || Character.isLetter(c) || Character.isDigit(c);
  }

  private static boolean hasLeftTrimMarker(String s, int at) {
    return at + 1 < s.length() && s.charAt(at) == '-' && isSpace(s.charAt(at + 1));
  }

  private static boolean hasRightTrimMarker(String s, int at) {
    return at + 1 < s.length() && isSpace(s.charAt(at)) && s.charAt(at + 1) == '-';
  }

  /** Whether a right delimiter (possibly trim-marked) starts at pos; [delim, trim]. */
  private boolean[] atRightDelim() {
    if (hasRightTrimMarker(in, pos) && in.startsWith(RIGHT, pos + TRIM_MARKER_LEN)) {
      return new boolean[] {true, true};
    }
    return new boolean[] {in.startsWith(RIGHT, pos), false};
  }

  private int leftTrimLength(int at) {
    int i = at;
    while (i < in.length() && isSpace(in.charAt(i))) {
      i++;
    }
    return i - at;
  }

  // ---- states ----

  /** Text up to the next "{{" (trailing space trimmed before "{{- "), then the delimiter. */
  private State text() {
    int x = in.indexOf(LEFT, pos);
    if (x < 0) {
      pos = in.length();
      if (pos > start) {
        emit(Type.TEXT);
      }
      out.add(new Token(Type.EOF, pos, "", lineOf(pos)));
      return State.DONE;
    }
    if (x > pos) {
      pos = x;
      int trimLength = 0;
      if (hasLeftTrimMarker(in, x + LEFT.length())) {
        int end = x;
        while (end > start && isSpace(in.charAt(end - 1))) {
          end--;
        }
        trimLength = x - end;
      }
      pos -= trimLength;
      if (pos > start) {
        emit(Type.TEXT);
      }
      pos += trimLength;
      ignore();
    }
    return leftDelim();
  }

  private State leftDelim() {
    pos += LEFT.length();
    boolean trim = hasLeftTrimMarker(in, pos);
    int afterMarker = trim ? TRIM_MARKER_LEN : 0;
    if (in.startsWith(LEFT_COMMENT, pos + afterMarker)) {
      pos += afterMarker;
      ignore();
      return comment();
    }
    emit(Type.LEFT_DELIM);
    pos += afterMarker;
    ignore();
    parenDepth = 0;
    return State.INSIDE;
  }

  private State comment() {
    pos += LEFT_COMMENT.length();
    int x = in.indexOf(RIGHT_COMMENT, pos);
    if (x < 0) {
      return error("unclosed comment");
    }
    pos = x + RIGHT_COMMENT.length();
    boolean[] delim = atRightDelim();
    if (!delim[0]) {
      return error("comment ends before closing delimiter");
    }
    if (delim[1]) {
      pos += TRIM_MARKER_LEN;
    }
    pos += RIGHT.length();
    if (delim[1]) {
      pos += leftTrimLength(pos);
    }
    ignore();
    return State.TEXT;
  }

  private State rightDelim(boolean trim) {
    if (trim) {
      pos += TRIM_MARKER_LEN;
      ignore();
    }
    pos += RIGHT.length();
    emit(Type.RIGHT_DELIM);
    if (trim) {
      pos += leftTrimLength(pos);
      ignore();
    }
    return State.TEXT;
  }

  /** One item inside an action. */
  private State insideAction() {
    boolean[] delim = atRightDelim();
    if (delim[0]) {
      if (parenDepth == 0) {
        return rightDelim(delim[1]);
      }
      return error("unclosed left paren");
    }
    int c = next();
    if (c < 0) {
      return error("unclosed action");
    }
    if (isSpace(c)) {
      backup();
      return space();
    }
    switch (c) {
      case '=' -> emit(Type.ASSIGN);
      case ':' -> {
        if (next() != '=') {
          return error("expected :=");
        }
        emit(Type.DECLARE);
      }
      case '|' -> emit(Type.PIPE);
      case '"' -> {
        return quote();
      }
      case '`' -> {
        return rawQuote();
      }
      case '$' -> {
        return variable();
      }
      case '\'' -> {
        return charConstant();
      }
      case '(' -> {
        parenDepth++;
        emit(Type.LEFT_PAREN);
      }
      case ')' -> {
        parenDepth--;
        if (parenDepth < 0) {
          return error("unexpected right paren");
        }
        emit(Type.RIGHT_PAREN);
      }
      default -> {
        if (c == '.' && pos < in.length() && (in.charAt(pos) < '0' || in.charAt(pos) > '9')) {
          return fieldOrVariable(Type.FIELD);
        }
        if (c == '.' || c == '+' || c == '-' || (c >= '0' && c <= '9')) {
          backup();
          return number();
        }
        if (isAlphaNumeric(c)) {
          backup();
          return identifier();
        }
        if (c <= 0x7f && c >= 0x20 && c != 0x7f) {
          emit(Type.CHAR);
        } else {
          return error("unrecognized character in action: " + GoValues.runeDescription(c));
        }
      }
    }
    return State.INSIDE;
  }

  private State space() {
    int n = 0;
    while (isSpace(peek())) {
      next();
      n++;
    }
    // A space followed by "-}}" belongs to the trim marker.
    if (hasRightTrimMarker(in, pos - 1) && in.startsWith(RIGHT, pos - 1 + TRIM_MARKER_LEN)) {
      backup();
      if (n == 1) {
        return State.INSIDE;
      }
    }
    emit(Type.SPACE);
    return State.INSIDE;
  }

  private State identifier() {
    while (true) {
      int c = next();
      if (!isAlphaNumeric(c)) {
        backup();
        String word = in.substring(start, pos);
        if (!atTerminator()) {
          return error("bad character " + GoValues.runeDescription(c));
        }
        Type k = KEYWORDS.get(word);
        if (k != null && k != Type.DOT) {
          emit(k);
        } else if (word.equals("true") || word.equals("false")) {
          emit(Type.BOOL);
        } else {
          emit(Type.IDENTIFIER);
        }
        return State.INSIDE;
      }
    }
  }

  private State variable() {
    if (atTerminator()) {
      emit(Type.VARIABLE);
      return State.INSIDE;
    }
    return fieldOrVariable(Type.VARIABLE);
  }

  private State fieldOrVariable(Type t) {
    if (atTerminator()) {
      emit(t == Type.VARIABLE ? Type.VARIABLE : Type.DOT);
      return State.INSIDE;
    }
    int c;
    while (true) {
      c = next();
      if (!isAlphaNumeric(c)) {
        backup();
        break;
      }
    }
    if (!atTerminator()) {
      return error("bad character " + GoValues.runeDescription(c));
    }
    emit(t);
    return State.INSIDE;
  }

  /** Whether what follows may end an identifier: space, punctuation, or the right delimiter. */
  private boolean atTerminator() {
    int c = peek();
    if (isSpace(c)) {
      return true;
    }
    return switch (c) {
      case -1, '.', ',', '|', ':', ')', '(', '}' -> true;
      default -> false;
    };
  }

  private State charConstant() {
    return quoted('\'', Type.CHAR_CONSTANT, "unterminated character constant");
  }

  private State number() {
    if (!scanNumber()) {
      return error("bad number syntax: " + GoText.quote(in.substring(start, Math.min(pos, in.length()))));
    }
    int sign = peek();
    if (sign == '+' || sign == '-') {
      if (!scanNumber() || in.charAt(pos - 1) != 'i') {
        return error("bad number syntax: " + GoText.quote(in.substring(start, Math.min(pos, in.length()))));
      }
      emit(Type.COMPLEX);
    } else {
      emit(Type.NUMBER);
    }
    return State.INSIDE;
  }

  private boolean scanNumber() {
    accept("+-");
    String digits = "0123456789_";
    if (accept("0")) {
      if (accept("xX")) {
        digits = "0123456789abcdefABCDEF_";
      } else if (accept("oO")) {
        digits = "01234567_";
      } else if (accept("bB")) {
        digits = "01_";
      }
    }
    acceptRun(digits);
    if (accept(".")) {
      acceptRun(digits);
    }
    if (digits.length() == 11 && accept("eE")) {
      accept("+-");
      acceptRun("0123456789_");
    }
    if (digits.length() == 23 && accept("pP")) {
      accept("+-");
      acceptRun("0123456789_");
    }
    accept("i");
    if (isAlphaNumeric(peek())) {
      next();
      return false;
    }
    return true;
  }

  private State quote() {
    return quoted('"', Type.STRING, "unterminated quoted string");
  }

  /** A quoted literal with backslash escapes, which must close before the end of its line. */
  private State quoted(char close, Type type, String unterminated) {
    while (true) {
      int c = next();
      if (c == '\\') {
        c = next();
        if (c != -1 && c != '\n') {
          continue;
        }
      }
      if (c == -1 || c == '\n') {
        return error(unterminated);
      }
      if (c == close) {
        emit(type);
        return State.INSIDE;
      }
    }
  }

  private State rawQuote() {
    while (true) {
      int c = next();
      if (c == -1) {
        return error("unterminated raw quoted string");
      }
      if (c == '`') {
        emit(Type.RAW_STRING);
        return State.INSIDE;
      }
    }
  }
}
