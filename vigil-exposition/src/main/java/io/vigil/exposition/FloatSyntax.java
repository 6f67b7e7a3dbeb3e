package io.vigil.exposition;

import ch.randelshofer.fastdoubleparser.JavaDoubleParser;

/**
 * Sample values as Prometheus reads them: Go's {@code strconv.ParseFloat} without hex floats and
 * underscores (Prometheus's {@code parseFloat} rejects any 'p', 'P' or '_'). Accepted: decimal
 * numbers with optional sign, fraction and exponent ({@code 1}, {@code -0.5}, {@code .5},
 * {@code 5.}, {@code 1e+06}); {@code Inf}/{@code Infinity} with optional sign and {@code NaN}
 * without sign, both in any letter case. A finite spelling that overflows to infinity is an error,
 * as in Go (ErrRange); underflow gives 0 or a subnormal.
 *
 * <p>Parses straight from the bytes: integers and short decimals on an exact fast path, everything
 * else through fastdoubleparser, which rounds correctly.
 */
final class FloatSyntax {
  /** Thrown (preallocated, no stack) for a spelling outside the grammar. */
  static final IllegalArgumentException INVALID = new IllegalArgumentException("invalid float", null) {
    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  };
  /** Thrown for a finite spelling beyond the double range. */
  static final ArithmeticException OUT_OF_RANGE = new ArithmeticException("float out of range") {
    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  };

  /** 10^0 .. 10^22: every one is exactly a double, which makes the fast path exact (Clinger). */
  private static final double[] POW10 = new double[23];

  static {
    double p = 1;
    for (int i = 0; i < POW10.length; i++) {
      POW10[i] = p;
      p *= 10;
    }
  }

  private FloatSyntax() {}

  static double parse(byte[] b, int from, int to) {
    if (from >= to) {
      throw INVALID;
    }
    int i = from;
    boolean negative = false;
    byte c = b[i];
    if (c == '+' || c == '-') {
      negative = c == '-';
      if (++i == to) {
        throw INVALID;
      }
      c = b[i];
    }
    if (c >= '0' && c <= '9' || c == '.') {
      return parseDecimal(b, from, i, to, negative);
    }
    int lower = c | 0x20;
    if (lower == 'i' && (matchesIgnoreCase(b, i, to, "inf") || matchesIgnoreCase(b, i, to, "infinity"))) {
      return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (lower == 'n' && i == from && matchesIgnoreCase(b, i, to, "nan")) {
      return Double.NaN;
    }
    throw INVALID;
  }

  private static double parseDecimal(byte[] b, int from, int start, int to, boolean negative) {
    long mantissa = 0;
    int digits = 0; // significant digits accumulated in mantissa (leading zeros not counted)
    int dropped = 0; // digits beyond 19 before the point: the value is larger than mantissa
    int fractionDigits = 0;
    boolean anyDigit = false;
    boolean point = false;
    int i = start;
    for (; i < to; i++) {
      int d = b[i] - '0';
      if (d >= 0 && d <= 9) {
        anyDigit = true;
        if (digits < 19) {
          if (mantissa != 0 || d != 0) {
            digits++;
          }
          mantissa = mantissa * 10 + d;
          if (point) {
            fractionDigits++;
          }
        } else if (!point) {
          dropped++;
        }
      } else if (b[i] == '.' && !point) {
        point = true;
      } else {
        break;
      }
    }
    if (!anyDigit) {
      throw INVALID;
    }
    int exponent = 0;
    if (i < to) {
      if ((b[i] | 0x20) != 'e' || ++i == to) {
        throw INVALID;
      }
      boolean negExp = false;
      if (b[i] == '+' || b[i] == '-') {
        negExp = b[i] == '-';
        if (++i == to) {
          throw INVALID;
        }
      }
      for (; i < to; i++) {
        int d = b[i] - '0';
        if (d < 0 || d > 9) {
          throw INVALID;
        }
        if (exponent < 100_000) { // beyond any double; keep the sum from overflowing
          exponent = exponent * 10 + d;
        }
      }
      if (negExp) {
        exponent = -exponent;
      }
    }
    double v;
    int scale = exponent - fractionDigits;
    if (dropped == 0 && digits < 19 && mantissa < (1L << 53) && scale >= -22 && scale <= 22) {
      // Both operands are exact doubles, so one correctly rounded operation gives the
      // correctly rounded result.
      v = scale >= 0 ? mantissa * POW10[scale] : mantissa / POW10[-scale];
      if (negative) {
        v = -v;
      }
    } else {
      v = JavaDoubleParser.parseDouble(b, from, to - from);
    }
    if (Double.isInfinite(v)) {
      throw OUT_OF_RANGE;
    }
    return v;
  }

  private static boolean matchesIgnoreCase(byte[] b, int from, int to, String word) {
    if (to - from != word.length()) {
      return false;
    }
    for (int k = 0; k < word.length(); k++) {
      if ((b[from + k] | 0x20) != word.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  /**
   * A 0.0.4 timestamp: decimal digits with an optional '-', an int64.
   * Returns the value; throws {@link #INVALID} or {@link #OUT_OF_RANGE}.
   */
  static long parseMillis(byte[] b, int from, int to) {
    if (from >= to) {
      throw INVALID;
    }
    boolean negative = b[from] == '-';
    if (negative && ++from == to) {
      throw INVALID;
    }
    long v = 0;
    for (int i = from; i < to; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) {
        throw INVALID;
      }
      if (v > (Long.MAX_VALUE - d) / 10) {
        throw OUT_OF_RANGE;
      }
      v = v * 10 + d;
    }
    return negative ? -v : v;
  }

  /** Largest |seconds| whose milliseconds fit an int64 (with margin for rounding). */
  private static final double MAX_SECONDS = 9.2e15;

  /**
   * An OpenMetrics timestamp: float seconds, converted to milliseconds by rounding. Prometheus
   * truncates ({@code int64(ts*1000)}), which turns 1.001 into 1000 ms; rounding keeps what a
   * writer of milliseconds meant. NaN and infinities are invalid, as in Prometheus.
   */
  static long parseSecondsAsMillis(byte[] b, int from, int to) {
    double seconds = parse(b, from, to);
    if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
      throw INVALID;
    }
    if (Math.abs(seconds) > MAX_SECONDS) {
      throw OUT_OF_RANGE;
    }
    return Math.round(seconds * 1000.0);
  }
}
