package io.vigil.promql.parser;

/** Prometheus duration strings (model.ParseDuration / model.Duration.String) in milliseconds. */
public final class Durations {
  private static final long MS = 1;
  private static final long S = 1000 * MS;
  private static final long M = 60 * S;
  private static final long H = 60 * M;
  private static final long D = 24 * H;
  private static final long W = 7 * D;
  private static final long Y = 365 * D;
  private static final String[] UNITS = {"y", "w", "d", "h", "m", "s", "ms"};
  private static final long[] MULTS = {Y, W, D, H, M, S, MS};

  private Durations() {}

  /**
   * Parses e.g. {@code 1h30m}, {@code 5m}, {@code 0}: units in descending order, each at most once.
   *
   * @throws IllegalArgumentException {@code not a valid duration string: "x"} or {@code duration out of range}
   */
  public static long parseMs(String s) {
    if (s.equals("0")) {
      return 0;
    }
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty duration string");
    }
    long total = 0;
    int i = 0;
    int lastUnit = -1;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
      }
      if (i == start) {
        throw invalid(s);
      }
      String digits = s.substring(start, i);
      int u;
      if (s.startsWith("ms", i)) {
        u = 6;
        i += 2;
      } else {
        u = i < s.length() ? "ywdhms".indexOf(s.charAt(i)) : -1;
        i++;
      }
      if (u < 0 || u <= lastUnit) {
        throw invalid(s);
      }
      lastUnit = u;
      long v;
      try {
        v = Long.parseLong(digits);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("duration out of range");
      }
      if (v > Long.MAX_VALUE / MULTS[u] || total > Long.MAX_VALUE - v * MULTS[u]) {
        throw new IllegalArgumentException("duration out of range");
      }
      total += v * MULTS[u];
    }
    return total;
  }

  private static IllegalArgumentException invalid(String s) {
    return new IllegalArgumentException("not a valid duration string: " + GoQuote.quote(s));
  }

  /** Prometheus's duration text: 90m is "1h30m", 0 is "0s"; years and weeks only when exact. */
  public static String format(long ms) {
    if (ms == 0) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    if (ms < 0) {
      sb.append('-');
      ms = -ms;
    }
    for (int k = 0; k < UNITS.length; k++) {
      boolean exactOnly = k < 2;
      if (exactOnly && ms % MULTS[k] != 0) {
        continue;
      }
      long v = ms / MULTS[k];
      if (v > 0) {
        sb.append(v).append(UNITS[k]);
        ms -= v * MULTS[k];
      }
    }
    return sb.toString();
  }
}
