package io.vigil.promql.parser;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Go's number parsing and printing rules where Prometheus exposes them: {@code strconv.ParseInt(s, 0,
 * 64)} then {@code ParseFloat} for PromQL literals, {@code FormatFloat(v, 'f', -1, 64)} for sample
 * values and label values, and {@code %v} for number literals in printed queries.
 */
public final class GoFloat {
  private GoFloat() {}

  /**
   * Parses a PromQL number literal like Prometheus: as an integer with Go base prefixes (0x, 0o, 0b, a
   * leading 0 for octal, underscores between digits) if possible, else as a Go float (decimal or hex
   * with p exponent, Inf, NaN).
   *
   * @throws NumberFormatException with Go's wording, e.g. {@code strconv.ParseFloat: parsing "x": invalid syntax}
   */
  public static double parse(String s) {
    Long l = parseInt(s);
    if (l != null) {
      return l;
    }
    return parseFloat(s);
  }

  private static Long parseInt(String s) {
    String t = s;
    boolean neg = false;
    if (t.startsWith("+") || t.startsWith("-")) {
      neg = t.charAt(0) == '-';
      t = t.substring(1);
    }
    int base = 10;
    boolean prefixed = false;
    if (t.length() > 1 && t.charAt(0) == '0') {
      char c = Character.toLowerCase(t.charAt(1));
      if (c == 'x') {
        base = 16;
        t = t.substring(2);
        prefixed = true;
      } else if (c == 'o') {
        base = 8;
        t = t.substring(2);
        prefixed = true;
      } else if (c == 'b') {
        base = 2;
        t = t.substring(2);
        prefixed = true;
      } else {
        base = 8;
        t = t.substring(1);
        prefixed = true;
      }
    }
    if (!underscoreOk(prefixed ? "0" + t : t)) {
      return null;
    }
    t = t.replace("_", "");
    if (t.isEmpty()) {
      return null;
    }
    try {
      BigInteger v = new BigInteger(t, base);
      if (neg) {
        v = v.negate();
      }
      if (v.bitLength() > 63) {
        return null; // out of range: Prometheus falls back to ParseFloat
      }
      return v.longValue();
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Go's rule: underscores only between digits (or after a base prefix). */
  private static boolean underscoreOk(String s) {
    if (s.indexOf('_') < 0) {
      return true;
    }
    char saw = '^';
    int i = 0;
    boolean hex = false;
    if (s.length() >= 2 && s.charAt(0) == '0') {
      char c = Character.toLowerCase(s.charAt(1));
      if (c == 'x' || c == 'o' || c == 'b') {
        hex = c == 'x';
        i = 2;
        saw = '0';
      }
    }
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c >= '0' && c <= '9') || (hex && Character.digit(c, 16) >= 0)) {
        saw = '0';
        continue;
      }
      if (c == '_') {
        if (saw != '0') {
          return false;
        }
        saw = '_';
        continue;
      }
      if (saw == '_') {
        return false;
      }
      saw = '!';
    }
    return saw != '_';
  }

  /** Go's strconv.ParseFloat(s, 64). */
  public static double parseFloat(String s) {
    String t = s;
    boolean neg = false;
    if (t.startsWith("+") || t.startsWith("-")) {
      neg = t.charAt(0) == '-';
      t = t.substring(1);
    }
    String lower = t.toLowerCase(java.util.Locale.ROOT);
    if (lower.equals("inf") || lower.equals("infinity")) {
      return neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (lower.equals("nan")) {
      return Double.NaN;
    }
    if (lower.startsWith("0x")) {
      if (!underscoreOk(t) || lower.indexOf('p') < 0) {
        throw syntax(s);
      }
      try {
        double v = Double.parseDouble(t.replace("_", ""));
        return neg ? -v : v;
      } catch (NumberFormatException e) {
        throw syntax(s);
      }
    }
    if (t.indexOf('_') >= 0 || !t.matches("(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
      throw syntax(s);
    }
    double v = Double.parseDouble(t);
    if (Double.isInfinite(v)) {
      throw new NumberFormatException("strconv.ParseFloat: parsing " + GoQuote.quote(s) + ": value out of range");
    }
    return neg ? -v : v;
  }

  private static NumberFormatException syntax(String s) {
    return new NumberFormatException("strconv.ParseFloat: parsing " + GoQuote.quote(s) + ": invalid syntax");
  }

  /** {@code strconv.FormatFloat(v, 'f', -1, 64)}: shortest digits, never an exponent; +Inf, -Inf, NaN. */
  public static String formatF(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return (1 / v) < 0 ? "-0" : "0";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
  }

  /** Go's {@code %v} for a float64 (shortest digits): exponent form when exp < -4 or exp >= 6. */
  public static String formatG(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return (1 / v) < 0 ? "-0" : "0";
    }
    BigDecimal d = new BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
    String digits = d.unscaledValue().toString();
    int exp = digits.length() - 1 - d.scale(); // decimal exponent of the first digit
    StringBuilder sb = new StringBuilder();
    if (v < 0) {
      sb.append('-');
    }
    if (exp < -4 || exp >= 6) {
      sb.append(digits.charAt(0));
      if (digits.length() > 1) {
        sb.append('.').append(digits, 1, digits.length());
      }
      sb.append('e').append(exp < 0 ? '-' : '+');
      int a = Math.abs(exp);
      if (a < 10) {
        sb.append('0');
      }
      sb.append(a);
    } else {
      sb.append(d.toPlainString());
    }
    return sb.toString();
  }
}
