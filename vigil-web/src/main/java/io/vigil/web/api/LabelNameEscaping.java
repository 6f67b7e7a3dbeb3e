package io.vigil.web.api;

/**
 * Prometheus 3's "U__" escaping of label names in URL paths ({@code /api/v1/label/U__a_2e_b/values}
 * for {@code a.b}): after the prefix, {@code __} is an underscore and {@code _<hex>_} a code point.
 */
final class LabelNameEscaping {
  private LabelNameEscaping() {}

  /** The unescaped name; names without the prefix, or with a broken escape, come back unchanged. */
  static String unescape(String name) {
    if (!name.startsWith("U__")) {
      return name;
    }
    String s = name.substring(3);
    StringBuilder sb = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c != '_') {
        sb.append(c);
        i++;
        continue;
      }
      if (i + 1 < s.length() && s.charAt(i + 1) == '_') {
        sb.append('_');
        i += 2;
        continue;
      }
      int close = s.indexOf('_', i + 1);
      if (close < 0 || close == i + 1) {
        return name;
      }
      try {
        int cp = Integer.parseInt(s.substring(i + 1, close), 16);
        if (!Character.isValidCodePoint(cp)) {
          return name;
        }
        sb.appendCodePoint(cp);
      } catch (NumberFormatException e) {
        return name;
      }
      i = close + 1;
    }
    return sb.toString();
  }
}
