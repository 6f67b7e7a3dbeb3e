package io.vigil.exposition;

import java.math.BigDecimal;

/**
 * Formats doubles exactly as Go's {@code strconv.FormatFloat(v, 'g', -1, 64)}, which is how
 * Prometheus, client_golang and the Pushgateway write sample values: the shortest decimal that
 * reads back to the same double, in plain notation when the decimal exponent is in [-4, 6) and
 * in exponent notation otherwise ({@code 1e+06}, {@code 1.5e-07}, {@code 0.001}, {@code 123456});
 * {@code NaN}, {@code +Inf}, {@code -Inf} as Prometheus's writers spell them; {@code -0} for
 * negative zero.
 *
 * <p>The shortest digits come from {@link Double#toString} (shortest since JDK 19) except for one
 * case where Java's rule differs from Go's (Java may prefer two digits to one for subnormals).
 * Integers below 2^53, the common case in expositions, take a path without any allocation.
 */
public final class GoFloat {
  private static final byte[] NAN = {'N', 'a', 'N'};
  private static final byte[] POS_INF = {'+', 'I', 'n', 'f'};
  private static final byte[] NEG_INF = {'-', 'I', 'n', 'f'};
  /** Every integer up to 2^53 is a double of its own, so its digits are the shortest ones. */
  private static final double EXACT_INTEGERS = 9007199254740992.0;

  private GoFloat() {}

  public static String format(double v) {
    ByteSink s = new ByteSink(32);
    append(s, v);
    return s.toString();
  }

  public static void append(ByteSink out, double v) {
    if (Double.isNaN(v)) {
      out.write(NAN);
      return;
    }
    if (Double.isInfinite(v)) {
      out.write(v > 0 ? POS_INF : NEG_INF);
      return;
    }
    out.ensure(32);
    if (v == 0) {
      if (Double.doubleToRawLongBits(v) != 0) {
        out.write('-');
      }
      out.write('0');
      return;
    }
    if (v < 0) {
      out.write('-');
      v = -v;
    }
    if (v < EXACT_INTEGERS && v == Math.rint(v)) {
      appendInteger(out, (long) v);
      return;
    }
    appendShortest(out, v);
  }

  /**
   * A positive integer below 2^53: its digits without trailing zeros are the shortest form. Digits
   * are written in place and, for exponent notation, shifted to make room for the point.
   */
  private static void appendInteger(ByteSink out, long n) {
    int start = out.size();
    out.writeLong(n);
    int nd = out.size() - start;
    if (nd <= 6) { // decimal exponent < 6: plain notation
      return;
    }
    byte[] a = out.array();
    int significant = nd;
    while (a[start + significant - 1] == '0') {
      significant--;
    }
    if (significant > 1) {
      System.arraycopy(a, start + 1, a, start + 2, significant - 1);
      a[start + 1] = '.';
      out.setSize(start + 1 + significant);
    } else {
      out.setSize(start + 1);
    }
    out.write('e').write('+');
    if (nd - 1 < 10) {
      out.write('0');
    }
    out.writeLong(nd - 1);
  }

  private static void appendShortest(ByteSink out, double v) {
    String s = Double.toString(v);
    byte[] d = new byte[24];
    int nd = 0;
    int pointPos = -1;
    int e = s.indexOf('E');
    int mantissaEnd = e < 0 ? s.length() : e;
    for (int i = 0; i < mantissaEnd; i++) {
      char c = s.charAt(i);
      if (c == '.') {
        pointPos = nd;
      } else {
        d[nd++] = (byte) c;
      }
    }
    int dp = (pointPos < 0 ? nd : pointPos) + (e < 0 ? 0 : Integer.parseInt(s, e + 1, s.length(), 10));
    int lead = 0;
    while (lead < nd - 1 && d[lead] == '0') {
      lead++;
    }
    if (lead > 0) {
      System.arraycopy(d, lead, d, 0, nd - lead);
      nd -= lead;
      dp -= lead;
    }
    while (nd > 1 && d[nd - 1] == '0') {
      nd--;
    }
    if (nd == 2 && v < Double.MIN_NORMAL) {
      int c = oneDigit(v, d[0] - '0', dp);
      if (c == 10) {
        d[0] = '1';
        nd = 1;
        dp++;
      } else if (c > 0) {
        d[0] = (byte) ('0' + c);
        nd = 1;
      }
    }
    layout(out, d, nd, dp);
  }

  /**
   * Java picks a 2-digit decimal over a 1-digit one when it is closer (4.9E-324); Go picks the
   * shorter (5e-324). Given the first of Java's two digits, returns the 1-digit mantissa (1..10)
   * closest to v among those that read back to v, or 0 when none does. Subnormals only: rare.
   */
  private static int oneDigit(double v, int first, int dp) {
    BigDecimal exact = new BigDecimal(v);
    int best = 0;
    BigDecimal bestDistance = null;
    for (int c = Math.max(1, first); c <= first + 1; c++) {
      BigDecimal candidate = BigDecimal.valueOf(c).scaleByPowerOfTen(dp - 1);
      if (candidate.doubleValue() == v) {
        BigDecimal distance = candidate.subtract(exact).abs();
        if (bestDistance == null || distance.compareTo(bestDistance) < 0) {
          best = c;
          bestDistance = distance;
        }
      }
    }
    return best;
  }

  /** Go's %e / %f choice for shortest 'g': digits d[0..nd), decimal point after dp digits. */
  private static void layout(ByteSink out, byte[] d, int nd, int dp) {
    int exp = dp - 1;
    if (exp < -4 || exp >= 6) {
      out.write(d[0]);
      if (nd > 1) {
        out.write('.');
        out.write(d, 1, nd - 1);
      }
      out.write('e');
      out.write(exp < 0 ? '-' : '+');
      int a = Math.abs(exp);
      if (a < 10) {
        out.write('0');
      }
      out.writeLong(a);
      return;
    }
    if (dp <= 0) {
      out.write('0');
      out.write('.');
      for (int i = dp; i < 0; i++) {
        out.write('0');
      }
      out.write(d, 0, nd);
      return;
    }
    if (dp >= nd) {
      out.write(d, 0, nd);
      for (int i = nd; i < dp; i++) {
        out.write('0');
      }
      return;
    }
    out.write(d, 0, dp);
    out.write('.');
    out.write(d, dp, nd - dp);
  }
}
