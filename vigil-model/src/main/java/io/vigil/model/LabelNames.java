package io.vigil.model;

/**
 * Prometheus's legacy name rules and quoting. Metric names match {@code [a-zA-Z_:][a-zA-Z0-9_:]*},
 * label names {@code [a-zA-Z_][a-zA-Z0-9_]*}; names starting with {@code __} are reserved for
 * internal use. UTF-8 names (Prometheus 3's opt-in) are not accepted yet.
 */
public final class LabelNames {
  private LabelNames() {}

  public static boolean isValidMetricName(CharSequence s) {
    int n = s.length();
    if (n == 0) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':'
          || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  public static boolean isValidLabelName(CharSequence s) {
    int n = s.length();
    if (n == 0) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'
          || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Names starting with "__" belong to Prometheus/Vigil (e.g. __name__, __address__). */
  public static boolean isReserved(String name) {
    return name.startsWith("__");
  }

  /** Appends {@code value} as a Go-quoted string ("a\"b\n"), as Prometheus prints label values. */
  public static void appendQuoted(StringBuilder sb, String value) {
    sb.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            sb.append(String.format("\\x%02x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  public static String quote(String value) {
    StringBuilder sb = new StringBuilder(value.length() + 2);
    appendQuoted(sb, value);
    return sb.toString();
  }
}
