package io.vigil.web.api;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * Number and time texts exactly as Prometheus's JSON has them:
 *
 * <ul>
 *   <li>{@link #sampleValue}: util/jsonutil MarshalFloat, i.e. Go's {@code strconv.FormatFloat(v,
 *       'f', -1, 64)} for 1e-6 <= |v| < 1e21 (and 0), {@code 'e'} otherwise; "+Inf", "-Inf", "NaN".
 *   <li>{@link #timestamp}: MarshalTimestamp, seconds with a three-digit millisecond fraction that
 *       is left out when zero ({@code 1435781451.781}, {@code 1435781451.100}, {@code 1435781451}).
 *   <li>{@link #goJsonNumber}: Go's encoding/json for float64 fields (durations in seconds).
 *   <li>{@link #exponent}: {@code strconv.FormatFloat(v, 'e', -1, 64)} (alert values).
 *   <li>{@link #rfc3339Nano}: Go's time.Time in JSON.
 * </ul>
 *
 * All use the shortest decimal digits that read back as the same double, as Go does.
 */
final class PromFormat {
  /** Every integer up to 2^53 is exactly a double, so its digits are its shortest form. */
  private static final double EXACT_INTEGERS = 9007199254740992.0;

  private PromFormat() {}

  static String sampleValue(double v) {
    if (v == Math.rint(v) && Math.abs(v) < EXACT_INTEGERS) {
      // The common case (counters, gauges holding integers): no digit extraction needed.
      return v == 0 && Double.doubleToRawLongBits(v) != 0 ? "-0" : Long.toString((long) v);
    }
    double abs = Math.abs(v);
    if (abs >= 1e-3 && abs < 1e7) {
      // In this range Java prints the same shortest digits in plain notation, which is Go's 'f'
      // form of a non-integer: no digit shuffling needed.
      return Double.toString(v);
    }
    return format(v, useExponent(v));
  }

  static String goJsonNumber(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      throw new IllegalArgumentException("JSON has no " + v); // Go's encoder fails likewise
    }
    String s = format(v, useExponent(v));
    int n = s.length();
    // encoding/json shortens a two-digit negative exponent: 1e-07 becomes 1e-7.
    if (n >= 4 && s.charAt(n - 4) == 'e' && s.charAt(n - 3) == '-' && s.charAt(n - 2) == '0') {
      s = s.substring(0, n - 2) + s.charAt(n - 1);
    }
    return s;
  }

  /** Go's {@code strconv.FormatFloat(v, 'f', -1, 64)}: never an exponent. */
  static String plain(double v) {
    return format(v, false);
  }

  static String exponent(double v) {
    return format(v, true);
  }

  private static boolean useExponent(double v) {
    double abs = Math.abs(v);
    return abs != 0 && (abs < 1e-6 || abs >= 1e21);
  }

  static String timestamp(long ms) {
    char[] buf = new char[MAX_TIMESTAMP_CHARS];
    return new String(buf, 0, timestamp(ms, buf));
  }

  /** Room for any timestamp: sign, 16 digits of seconds, point, three digits. */
  static final int MAX_TIMESTAMP_CHARS = 24;

  /**
   * Writes the timestamp text into {@code buf} (at least {@link #MAX_TIMESTAMP_CHARS} long) and
   * returns its length; the allocation-free form for writing many points.
   */
  static int timestamp(long ms, char[] buf) {
    int n = 0;
    long t = ms;
    if (t < 0) {
      buf[n++] = '-';
      t = -t; // Long.MIN_VALUE stays negative; no timestamp in range is that small
    }
    n = digits(t / 1000, buf, n);
    int fraction = (int) (t % 1000);
    if (fraction != 0) {
      buf[n++] = '.';
      buf[n++] = (char) ('0' + fraction / 100);
      buf[n++] = (char) ('0' + fraction / 10 % 10);
      buf[n++] = (char) ('0' + fraction % 10);
    }
    return n;
  }

  /** Appends the decimal digits of a non-negative long at {@code at}; returns the new length. */
  private static int digits(long v, char[] buf, int at) {
    if (v == 0) {
      buf[at] = '0';
      return at + 1;
    }
    int len = 0;
    for (long x = v; x != 0; x /= 10) {
      len++;
    }
    int end = at + len;
    for (int i = end - 1; i >= at; i--) {
      buf[i] = (char) ('0' + v % 10);
      v /= 10;
    }
    return end;
  }

  /**
   * Writes a sample value's text into {@code buf} (at least {@link #MAX_TIMESTAMP_CHARS} long) when
   * it is an integer that needs no digit extraction and returns its length; -1 for other values
   * (format those with {@link #sampleValue(double)}).
   */
  static int integerSampleValue(double v, char[] buf) {
    if (v != Math.rint(v) || Math.abs(v) >= EXACT_INTEGERS || (v == 0 && Double.doubleToRawLongBits(v) != 0)) {
      return -1;
    }
    long l = (long) v;
    int n = 0;
    if (l < 0) {
      buf[n++] = '-';
      l = -l;
    }
    return digits(l, buf, n);
  }

  /** Go's RFC 3339 with nanoseconds, trailing zeros of the fraction dropped; null is Go's zero time. */
  static String rfc3339Nano(Instant t) {
    if (t == null) {
      return "0001-01-01T00:00:00Z";
    }
    ZonedDateTime z = t.atZone(ZoneOffset.UTC);
    StringBuilder sb = new StringBuilder(32);
    int year = z.getYear();
    if (year < 0) {
      sb.append('-');
      year = -year;
    }
    pad(sb, year, 4).append('-');
    pad(sb, z.getMonthValue(), 2).append('-');
    pad(sb, z.getDayOfMonth(), 2).append('T');
    pad(sb, z.getHour(), 2).append(':');
    pad(sb, z.getMinute(), 2).append(':');
    pad(sb, z.getSecond(), 2);
    int nanos = z.getNano();
    if (nanos != 0) {
      int len = 9;
      while (nanos % 10 == 0) {
        nanos /= 10;
        len--;
      }
      sb.append('.');
      pad(sb, nanos, len);
    }
    return sb.append('Z').toString();
  }

  private static StringBuilder pad(StringBuilder sb, int v, int width) {
    String s = Integer.toString(v);
    for (int i = s.length(); i < width; i++) {
      sb.append('0');
    }
    return sb.append(s);
  }

  /** Go's FormatFloat(v, 'e' or 'f', -1, 64). */
  private static String format(double v, boolean exponent) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    StringBuilder sb = new StringBuilder(24);
    if (v < 0 || (v == 0 && Double.doubleToRawLongBits(v) != 0)) {
      sb.append('-');
      v = -v;
    }
    if (v == 0) {
      return sb.append(exponent ? "0e+00" : "0").toString();
    }
    Decimal d = Decimal.shortest(v);
    String digits = d.digits;
    int n = digits.length();
    if (exponent) {
      int x = n - 1 + d.exp10;
      sb.append(digits.charAt(0));
      if (n > 1) {
        sb.append('.').append(digits, 1, n);
      }
      sb.append('e').append(x < 0 ? '-' : '+');
      int ax = Math.abs(x);
      if (ax < 10) {
        sb.append('0');
      }
      return sb.append(ax).toString();
    }
    if (d.exp10 >= 0) {
      sb.append(digits);
      for (int i = 0; i < d.exp10; i++) {
        sb.append('0');
      }
    } else if (n + d.exp10 > 0) {
      int point = n + d.exp10;
      sb.append(digits, 0, point).append('.').append(digits, point, n);
    } else {
      sb.append("0.");
      for (int i = 0; i < -(n + d.exp10); i++) {
        sb.append('0');
      }
      sb.append(digits);
    }
    return sb.toString();
  }

  /** A positive double as {@code digits × 10^exp10}, digits the shortest that round-trip. */
  private record Decimal(String digits, int exp10) {
    static Decimal shortest(double v) {
      // Double.toString gives the shortest round-tripping digits since JDK 19 (Raffaello Giulietti's
      // algorithm), in either plain ("123.45") or computerized scientific ("1.2345E-7") notation.
      String s = Double.toString(v);
      int e = s.indexOf('E');
      int exp = e < 0 ? 0 : Integer.parseInt(s.substring(e + 1));
      String mantissa = e < 0 ? s : s.substring(0, e);
      int dot = mantissa.indexOf('.');
      String digits = mantissa.substring(0, dot) + mantissa.substring(dot + 1);
      int exp10 = exp - (mantissa.length() - dot - 1);
      int start = 0;
      while (start < digits.length() - 1 && digits.charAt(start) == '0') {
        start++;
      }
      int end = digits.length();
      while (end > start + 1 && digits.charAt(end - 1) == '0') {
        end--;
        exp10++;
      }
      Decimal d = new Decimal(digits.substring(start, end), exp10);
      return v < Double.MIN_NORMAL ? d.shorterSubnormal(v) : d;
    }

    /**
     * Java may render a subnormal with two digits where one also reads back (4.9E-324 for the
     * smallest double); Go takes the one-digit decimal closest to the exact value (5e-324).
     */
    private Decimal shorterSubnormal(double v) {
      if (digits.length() != 2) {
        return this;
      }
      java.math.BigDecimal exact = new java.math.BigDecimal(v);
      int first = digits.charAt(0) - '0';
      Decimal best = null;
      java.math.BigDecimal bestDistance = null;
      for (Decimal c : new Decimal[] {new Decimal(Integer.toString(first), exp10 + 1),
          first == 9 ? new Decimal("1", exp10 + 2) : new Decimal(Integer.toString(first + 1), exp10 + 1)}) {
        java.math.BigDecimal value = new java.math.BigDecimal(c.digits).scaleByPowerOfTen(c.exp10);
        if (value.doubleValue() != v) {
          continue;
        }
        java.math.BigDecimal distance = value.subtract(exact).abs();
        if (best == null || distance.compareTo(bestDistance) < 0) {
          best = c;
          bestDistance = distance;
        }
      }
      return best == null ? this : best;
    }
  }
}
