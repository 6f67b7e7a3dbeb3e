package io.vigil.rules.template;

import io.vigil.promql.parser.GoQuote;
import java.nio.charset.StandardCharsets;

/** Go string helpers the template engine needs: quoting, byte lengths, escapers of text/template. */
public final class GoText {
  private GoText() {}

  /** Go's {@code %q} / strconv.Quote. */
  static String quote(String s) {
    return GoQuote.quote(s);
  }

  /** Go's len(s): UTF-8 bytes. */
  static int byteLength(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  /** text/template's {@code html}: {@code <>&'"} as entities, NUL as U+FFFD. */
  static String htmlEscape(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("&#34;");
        case '\'' -> sb.append("&#39;");
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '\0' -> sb.append('\uFFFD');
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  /** text/template's {@code js}: quotes, backslash and {@code <>&=} escaped; control characters as \\uXXXX. */
  static String jsEscape(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      switch (cp) {
        case '\\' -> sb.append("\\\\");
        case '\'' -> sb.append("\\'");
        case '"' -> sb.append("\\\"");
        case '<' -> sb.append("\\u003C");
        case '>' -> sb.append("\\u003E");
        case '&' -> sb.append("\\u0026");
        case '=' -> sb.append("\\u003D");
        default -> {
          if (cp < ' ' || (cp >= 0x7f && !isPrint(cp))) {
            if (cp > 0xFFFF) {
              sb.append(String.format("\\u%04X\\u%04X", (int) Character.highSurrogate(cp),
                  (int) Character.lowSurrogate(cp)));
            } else {
              sb.append(String.format("\\u%04X", cp));
            }
          } else {
            sb.appendCodePoint(cp);
          }
        }
      }
    }
    return sb.toString();
  }

  private static boolean isPrint(int cp) {
    int t = Character.getType(cp);
    return t != Character.CONTROL && t != Character.FORMAT && t != Character.UNASSIGNED && t != Character.SURROGATE
        && t != Character.PRIVATE_USE && t != Character.LINE_SEPARATOR && t != Character.PARAGRAPH_SEPARATOR;
  }

  /** Go's url.QueryEscape: space as '+', everything but {@code A-Za-z0-9-_.~} percent-encoded (UTF-8). */
  public static String queryEscape(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
          || c == '.' || c == '~') {
        sb.append((char) c);
      } else if (c == ' ') {
        sb.append('+');
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      }
    }
    return sb.toString();
  }
}
