package io.vigil.rules.template;

import io.vigil.promql.parser.GoFloat;
import io.vigil.promql.parser.GoQuote;
import io.vigil.rules.template.Node.NumberNode;
import io.vigil.rules.template.Token.Type;
import java.math.BigInteger;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The Go values templates work with, as Java objects: {@code null} is Go's invalid value ("no
 * value"); {@link String}, {@link Double} (float64), {@link Long} (int), {@link Boolean}; and the
 * records below for maps, query results, samples, the alert data struct, times, typed nils and
 * template.HTML. Holds Go's printing ({@code %v}), truth and type-name rules.
 */
final class GoValues {
  private GoValues() {}

  /** A nil of some type (nil interface, nil pointer, nil slice): prints "<nil>", is false. */
  record GoNil(String typeName) {}

  /** The untyped nil interface value (e.g. a missing key of map[string]interface{}). */
  static final GoNil NIL = new GoNil("<nil>");

  /**
   * A Go map with string keys, iterated in key order (as text/template does).
   *
   * @param zero what a missing key yields under missingkey=zero: "" or {@link #NIL}
   * @param typeName {@code map[string]string} or {@code map[string]interface {}}
   */
  record GoMap(SortedMap<String, Object> entries, Object zero, String typeName) {
    static GoMap ofStrings(Map<String, String> m) {
      return new GoMap(Collections.unmodifiableSortedMap(new TreeMap<>(m)), "", "map[string]string");
    }

    static GoMap ofAny(Map<String, Object> m) {
      return new GoMap(Collections.unmodifiableSortedMap(new TreeMap<>(m)), NIL, "map[string]interface {}");
    }
  }

  /** Prometheus's {@code *template.sample}: one series of a query result. */
  record Sample(GoMap labels, double value) {}

  /** Prometheus's {@code template.queryResult} ([]*sample). */
  record QueryResult(List<Sample> samples) {
    QueryResult {
      samples = List.copyOf(samples);
    }
  }

  /** The data an alert template runs on (Prometheus's AlertTemplateData struct). */
  record AlertData(GoMap labels, GoMap externalLabels, String externalUrl, double value) {
    static final String TYPE = "struct { Labels map[string]string; ExternalLabels map[string]string; "
        + "ExternalURL string; Value interface {} }";
  }

  /** A {@code *time.Time} (toTime's result), UTC. */
  record GoTime(long epochSecond, int nanos) {}

  /** A {@code *time.Duration} (toDuration's result). */
  record GoDuration(long nanos) {}

  /** html/template.HTML (safeHtml's result): a string of its own type. */
  record SafeHtml(String text) {}

  static String typeName(Object v) {
    return switch (v) {
      case null -> "<nil>";
      case String s -> "string";
      case Double d -> "float64";
      case Long l -> "int";
      case Boolean b -> "bool";
      case GoNil n -> n.typeName();
      case GoMap m -> m.typeName();
      case Sample s -> "*template.sample";
      case QueryResult q -> "template.queryResult";
      case AlertData a -> AlertData.TYPE;
      case GoTime t -> "*time.Time";
      case GoDuration d -> "*time.Duration";
      case SafeHtml h -> "template.HTML";
      default -> v.getClass().getSimpleName();
    };
  }

  /** Whether a value is of string kind (string or template.HTML), as fmt and comparisons see it. */
  static boolean isStringKind(Object v) {
    return v instanceof String || v instanceof SafeHtml;
  }

  static String stringOf(Object v) {
    return v instanceof SafeHtml h ? h.text() : (String) v;
  }

  /** Go's truth: false for zero values, empty strings/maps/slices and nil; structs are true. */
  static boolean isTrue(Object v) {
    return switch (v) {
      case null -> false;
      case Boolean b -> b;
      case Long l -> l != 0;
      case Double d -> d != 0;
      case String s -> !s.isEmpty();
      case SafeHtml h -> !h.text().isEmpty();
      case GoMap m -> !m.entries().isEmpty();
      case QueryResult q -> !q.samples().isEmpty();
      case GoNil n -> false;
      default -> true; // pointers and structs
    };
  }

  /** fmt.Sprint of one value (%v). */
  static String print(Object v) {
    StringBuilder sb = new StringBuilder();
    print(sb, v, true);
    return sb.toString();
  }

  static void print(StringBuilder sb, Object v, boolean top) {
    switch (v) {
      case null -> sb.append("<no value>");
      case String s -> sb.append(s);
      case SafeHtml h -> sb.append(h.text());
      case Double d -> sb.append(GoFloat.formatG(d));
      case Long l -> sb.append(l);
      case Boolean b -> sb.append(b);
      case GoNil n -> sb.append("<nil>");
      case GoMap m -> {
        sb.append("map[");
        boolean first = true;
        for (var e : m.entries().entrySet()) {
          if (!first) {
            sb.append(' ');
          }
          first = false;
          sb.append(e.getKey()).append(':');
          print(sb, e.getValue(), false);
        }
        sb.append(']');
      }
      case Sample s -> {
        sb.append("&{");
        print(sb, s.labels(), false);
        sb.append(' ').append(GoFloat.formatG(s.value())).append('}');
      }
      case QueryResult q -> {
        sb.append('[');
        for (int i = 0; i < q.samples().size(); i++) {
          if (i > 0) {
            sb.append(' ');
          }
          print(sb, q.samples().get(i), false);
        }
        sb.append(']');
      }
      case AlertData a -> {
        sb.append('{');
        print(sb, a.labels(), false);
        sb.append(' ');
        print(sb, a.externalLabels(), false);
        sb.append(' ').append(a.externalUrl()).append(' ').append(GoFloat.formatG(a.value())).append('}');
      }
      case GoTime t -> sb.append(timeString(t));
      case GoDuration d -> sb.append(durationString(d.nanos()));
      default -> sb.append(v);
    }
  }

  /** Go's Time.String() in UTC: {@code 2015-06-23 13:19:44.128 +0000 UTC} (fraction trimmed). */
  static String timeString(GoTime t) {
    ZonedDateTime z = Instant.ofEpochSecond(t.epochSecond(), t.nanos()).atZone(ZoneOffset.UTC);
    StringBuilder sb = new StringBuilder(40);
    int year = z.getYear();
    if (year < 0) {
      sb.append('-');
    }
    String y = Integer.toString(Math.abs(year));
    sb.append("0".repeat(Math.max(0, 4 - y.length()))).append(y);
    sb.append(String.format("-%02d-%02d %02d:%02d:%02d", z.getMonthValue(), z.getDayOfMonth(), z.getHour(),
        z.getMinute(), z.getSecond()));
    if (t.nanos() != 0) {
      String frac = String.format("%09d", t.nanos());
      int end = frac.length();
      while (frac.charAt(end - 1) == '0') {
        end--;
      }
      sb.append('.').append(frac, 0, end);
    }
    return sb.append(" +0000 UTC").toString();
  }

  /** Go's Duration.String(): {@code 1h2m3.5s}, {@code 1.5ms}, {@code 0s}. */
  static String durationString(long d) {
    if (d == 0) {
      return "0s";
    }
    boolean neg = d < 0;
    BigInteger u = BigInteger.valueOf(d).abs();
    long nanos = u.min(BigInteger.valueOf(Long.MAX_VALUE)).longValue();
    StringBuilder sb = new StringBuilder();
    if (nanos < 1_000_000_000L) {
      // below a second: the largest unit that fits, with a fraction
      String unit;
      long scale;
      if (nanos < 1_000) {
        unit = "ns";
        scale = 1;
      } else if (nanos < 1_000_000) {
        unit = "µs";
        scale = 1_000;
      } else {
        unit = "ms";
        scale = 1_000_000;
      }
      sb.append(fraction(nanos, scale)).append(unit);
    } else {
      long seconds = nanos / 1_000_000_000L;
      long frac = nanos % 1_000_000_000L;
      long h = seconds / 3600;
      long m = seconds / 60 % 60;
      long s = seconds % 60;
      if (h > 0) {
        sb.append(h).append('h');
      }
      if (h > 0 || m > 0) {
        sb.append(m).append('m');
      }
      sb.append(fraction(s * 1_000_000_000L + frac, 1_000_000_000L)).append('s');
    }
    return (neg ? "-" : "") + sb;
  }

  private static String fraction(long v, long scale) {
    long whole = v / scale;
    long rest = v % scale;
    if (rest == 0) {
      return Long.toString(whole);
    }
    int digits = Long.toString(scale).length() - 1;
    String f = String.format("%0" + digits + "d", rest);
    int end = f.length();
    while (f.charAt(end - 1) == '0') {
      end--;
    }
    return whole + "." + f.substring(0, end);
  }

  /** Go's {@code %#U}: {@code U+0023 '#'}. */
  static String runeDescription(int c) {
    if (c < 0) {
      return "U+FFFFFFFFFFFFFFFF";
    }
    String hex = String.format("U+%04X", c);
    return isPrint(c) ? hex + " '" + new String(Character.toChars(c)) + "'" : hex;
  }

  /** Go's strconv.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
  static boolean isPrint(int c) {
    if (c < 0x20 || c == 0x7f) {
      return false;
    }
    if (c < 0x7f) {
      return true;
    }
    return switch (Character.getType(c)) {
      case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED,
          Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
      default -> true;
    };
  }

  /** Go's strconv.Unquote for "...", `...` and '...' literals. */
  static String unquote(String quoted) {
    try {
      return GoQuote.unquote(quoted);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid syntax");
    }
  }

  /**
   * A number literal with Go's rules (parse.newNumber): integers with base prefixes and
   * underscores, floats, character constants; complex numbers are not supported.
   */
  static NumberNode number(int pos, String text, Type type) {
    if (type == Type.CHAR_CONSTANT) {
      String s;
      try {
        s = GoQuote.unquote(text);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("malformed character constant: " + text);
      }
      if (s.codePointCount(0, s.length()) != 1) {
        throw new IllegalArgumentException("malformed character constant: " + text);
      }
      int cp = s.codePointAt(0);
      return new NumberNode(pos, text, true, cp, true, cp);
    }
    if (type == Type.COMPLEX || text.endsWith("i")) {
      throw new IllegalArgumentException("complex constants are not supported: " + GoText.quote(text));
    }
    Long i = parseInt(text);
    if (i != null) {
      return new NumberNode(pos, text, true, i, true, i.doubleValue());
    }
    double f;
    try {
      f = GoFloat.parse(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("illegal number syntax: " + GoText.quote(text));
    }
    boolean floatSyntax = text.chars().anyMatch(c -> ".eEpP".indexOf(c) >= 0) && !isHexInt(text);
    if (!floatSyntax) {
      // an integer literal too large for int64; Go accepts it as an unsigned or float constant
      return new NumberNode(pos, text, false, 0, true, f);
    }
    boolean integral = !Double.isInfinite(f) && f == Math.rint(f) && Math.abs(f) < 9.2e18;
    return new NumberNode(pos, text, integral, integral ? (long) f : 0, true, f);
  }

  private static boolean isHexInt(String s) {
    String t = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
    return t.length() > 2 && t.charAt(0) == '0' && (t.charAt(1) == 'x' || t.charAt(1) == 'X')
        && t.indexOf('p') < 0 && t.indexOf('P') < 0;
  }

  /** strconv.ParseInt(s, 0, 64), or null when it is not an int64 literal. */
  static Long parseInt(String s) {
    int sign = s.startsWith("-") ? -1 : 1;
    String digits = s.startsWith("-") || s.startsWith("+") ? s.substring(1) : s;
    int radix = 10;
    String lower = digits.toLowerCase(java.util.Locale.ROOT);
    for (String[] prefix : new String[][] {{"0x", "16"}, {"0o", "8"}, {"0b", "2"}, {"0", "8"}}) {
      if (lower.length() > prefix[0].length() && lower.startsWith(prefix[0])) {
        radix = Integer.parseInt(prefix[1]);
        digits = digits.substring(prefix[0].length());
        digits = digits.startsWith("_") ? digits.substring(1) : digits; // 0x_1f
        break;
      }
    }
    // underscores only between digits
    if (digits.isEmpty() || !digits.matches("[0-9a-zA-Z]+(_[0-9a-zA-Z]+)*")) {
      return null;
    }
    try {
      BigInteger v = new BigInteger(digits.replace("_", ""), radix).multiply(BigInteger.valueOf(sign));
      return v.bitLength() < 64 ? v.longValue() : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

}
