package io.vigil.promql.parser;

/**
 * Go's string quoting and unquoting rules as PromQL uses them: {@code "..."} and {@code '...'} with
 * Go escapes, {@code `...`} raw. Error texts follow Go's strconv where Prometheus shows them.
 */
public final class GoQuote {
  private GoQuote() {}

  /** Go's strconv.Quote: double quotes, escapes for quotes, backslash and non-printable characters. */
  public static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    appendEscaped(sb, s, '"');
    return sb.append('"').toString();
  }

  /** Go's %q of a rune: {@code 'x'}. */
  public static String quoteRune(int cp) {
    if (cp < 0) {
      return "'\\ufffd'"; // Go prints eof (-1) as the replacement character
    }
    StringBuilder sb = new StringBuilder("'");
    appendEscaped(sb, new String(Character.toChars(cp)), '\'');
    return sb.append('\'').toString();
  }

  private static void appendEscaped(StringBuilder sb, String s, char quote) {
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == quote || cp == '\\') {
        sb.append('\\').appendCodePoint(cp);
        continue;
      }
      switch (cp) {
        case 7 -> sb.append("\\a");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case 11 -> sb.append("\\v");
        default -> {
          if (isPrintable(cp)) {
            sb.appendCodePoint(cp);
          } else if (cp < 0x80) {
            sb.append(String.format("\\x%02x", cp));
          } else if (cp < 0x10000) {
            sb.append(String.format("\\u%04x", cp));
          } else {
            sb.append(String.format("\\U%08x", cp));
          }
        }
      }
    }
  }

  private static boolean isPrintable(int cp) {
    if (cp < 0x20 || cp == 0x7f) {
      return false;
    }
    if (cp < 0x7f) {
      return true;
    }
    int t = Character.getType(cp);
    return !(t == Character.CONTROL || t == Character.FORMAT || t == Character.SURROGATE
        || t == Character.PRIVATE_USE || t == Character.UNASSIGNED || t == Character.LINE_SEPARATOR
        || t == Character.PARAGRAPH_SEPARATOR || (t == Character.SPACE_SEPARATOR && cp != ' '));
  }

  /**
   * Unquotes a PromQL string literal including its quotes.
   *
   * @throws IllegalArgumentException with Go's message ("invalid syntax") when malformed
   */
  public static String unquote(String s) {
    int n = s.length();
    if (n < 2) {
      throw new IllegalArgumentException("invalid syntax");
    }
    char q = s.charAt(0);
    if (q != s.charAt(n - 1)) {
      throw new IllegalArgumentException("invalid syntax");
    }
    String body = s.substring(1, n - 1);
    if (q == '`') {
      if (body.indexOf('`') >= 0) {
        throw new IllegalArgumentException("invalid syntax");
      }
      return body.replace("\r", "");
    }
    if (q != '"' && q != '\'') {
      throw new IllegalArgumentException("invalid syntax");
    }
    if (body.indexOf('\\') < 0 && body.indexOf(q) < 0 && body.indexOf('\n') < 0) {
      return body; // fast path: nothing to unescape
    }
    StringBuilder sb = new StringBuilder(body.length());
    // Go decodes \x and octal escapes to bytes; collect them and decode as UTF-8 at the end of a run.
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    int i = 0;
    while (i < body.length()) {
      char c = body.charAt(i);
      if (c == q || c == '\n') {
        throw new IllegalArgumentException("invalid syntax");
      }
      if (c != '\\') {
        flush(bytes, sb);
        sb.append(c);
        i++;
        continue;
      }
      if (i + 1 >= body.length()) {
        throw new IllegalArgumentException("invalid syntax");
      }
      char e = body.charAt(i + 1);
      i += 2;
      switch (e) {
        case 'a' -> append(bytes, sb, 7);
        case 'b' -> append(bytes, sb, '\b');
        case 'f' -> append(bytes, sb, '\f');
        case 'n' -> append(bytes, sb, '\n');
        case 'r' -> append(bytes, sb, '\r');
        case 't' -> append(bytes, sb, '\t');
        case 'v' -> append(bytes, sb, 11);
        case '\\' -> append(bytes, sb, '\\');
        case '\'', '"' -> {
          if (e != q) {
            throw new IllegalArgumentException("invalid syntax");
          }
          append(bytes, sb, e);
        }
        case 'x' -> {
          bytes.write(hex(body, i, 2));
          i += 2;
        }
        case 'u', 'U' -> {
          int len = e == 'u' ? 4 : 8;
          int cp = hex(body, i, len);
          i += len;
          if (cp > 0x10FFFF || (cp >= 0xD800 && cp < 0xE000)) {
            throw new IllegalArgumentException("invalid syntax");
          }
          flush(bytes, sb);
          sb.appendCodePoint(cp);
        }
        default -> {
          if (e >= '0' && e <= '7') {
            if (i + 2 > body.length()) {
              throw new IllegalArgumentException("invalid syntax");
            }
            int v = 0;
            for (int k = i - 1; k < i + 2; k++) {
              char d = body.charAt(k);
              if (d < '0' || d > '7') {
                throw new IllegalArgumentException("invalid syntax");
              }
              v = v * 8 + (d - '0');
            }
            if (v > 255) {
              throw new IllegalArgumentException("invalid syntax");
            }
            bytes.write(v);
            i += 2;
          } else {
            throw new IllegalArgumentException("invalid syntax");
          }
        }
      }
    }
    flush(bytes, sb);
    return sb.toString();
  }

  private static void append(java.io.ByteArrayOutputStream bytes, StringBuilder sb, int c) {
    flush(bytes, sb);
    sb.append((char) c);
  }

  private static void flush(java.io.ByteArrayOutputStream bytes, StringBuilder sb) {
    if (bytes.size() > 0) {
      sb.append(new String(bytes.toByteArray(), java.nio.charset.StandardCharsets.UTF_8));
      bytes.reset();
    }
  }

  private static int hex(String s, int from, int len) {
    if (from + len > s.length()) {
      throw new IllegalArgumentException("invalid syntax");
    }
    int v = 0;
    for (int k = from; k < from + len; k++) {
      int d = Character.digit(s.charAt(k), 16);
      if (d < 0) {
        throw new IllegalArgumentException("invalid syntax");
      }
      v = v * 16 + d;
    }
    return v;
  }
}
