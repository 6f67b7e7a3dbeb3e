package io.vigil.config;

import java.time.Duration;

/**
 * A duration in Prometheus's syntax: integers with the units y, w, d, h, m, s, ms, biggest first,
 * each at most once ({@code 1h30m}, {@code 90s}, {@code 5m}), or {@code 0}. A year is 365 days, a
 * week 7 days, a day 24 hours. Like Prometheus (whose durations are Go nanoseconds) the total must
 * stay below 2^63 ns, about 292 years. Millisecond resolution; never negative.
 *
 * @param millis the length in milliseconds
 */
public record PromDuration(long millis) implements Comparable<PromDuration> {
  public static final PromDuration ZERO = new PromDuration(0);

  private static final long NANOS_PER_MILLI = 1_000_000L;
  private static final String[] UNITS = {"y", "w", "d", "h", "m", "s", "ms"};
  private static final long[] UNIT_MILLIS = {
    365L * 24 * 3_600_000, 7L * 24 * 3_600_000, 24L * 3_600_000, 3_600_000L, 60_000L, 1_000L, 1L
  };

  public PromDuration {
    if (millis < 0) {
      throw new IllegalArgumentException("duration must not be negative: " + millis + "ms");
    }
  }

  public static PromDuration ofMillis(long millis) {
    return new PromDuration(millis);
  }

  public static PromDuration ofSeconds(long seconds) {
    return new PromDuration(Math.multiplyExact(seconds, 1000L));
  }

  public static PromDuration ofMinutes(long minutes) {
    return new PromDuration(Math.multiplyExact(minutes, 60_000L));
  }

  /**
   * Parses Prometheus's duration syntax.
   *
   * @throws IllegalArgumentException with Prometheus's message: {@code not a valid duration string:
   *     "15x"}, {@code unknown unit "x" in duration "15x"}, {@code empty duration string} or
   *     {@code duration out of range}
   */
  public static PromDuration parse(String s) {
    if (s.equals("0")) {
      return ZERO;
    }
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty duration string");
    }
    long totalNanos = 0;
    int lastUnit = -1;
    int i = 0;
    while (i < s.length()) {
      int digitsStart = i;
      while (i < s.length() && isDigit(s.charAt(i))) {
        i++;
      }
      if (i == digitsStart) {
        throw notValid(s);
      }
      long value = parseUnsigned(s, digitsStart, i);
      int unitStart = i;
      while (i < s.length() && !isDigit(s.charAt(i))) {
        i++;
      }
      if (i == unitStart) {
        throw notValid(s);
      }
      String unit = s.substring(unitStart, i);
      int u = unitIndex(unit);
      if (u < 0) {
        throw new IllegalArgumentException("unknown unit \"" + unit + "\" in duration \"" + s + "\"");
      }
      if (u <= lastUnit) { // units must go from biggest to smallest: "1m1d" is not a month and a day
        throw notValid(s);
      }
      lastUnit = u;
      long unitNanos = UNIT_MILLIS[u] * NANOS_PER_MILLI;
      if (value < 0 || value > Long.MAX_VALUE / unitNanos) {
        throw new IllegalArgumentException("duration out of range");
      }
      totalNanos += value * unitNanos;
      if (totalNanos < 0) {
        throw new IllegalArgumentException("duration out of range");
      }
    }
    return new PromDuration(totalNanos / NANOS_PER_MILLI);
  }

  /** -1 (as an overflow marker) when the digits do not fit in a long. */
  private static long parseUnsigned(String s, int from, int to) {
    long v = 0;
    for (int k = from; k < to; k++) {
      int d = s.charAt(k) - '0';
      if (v > (Long.MAX_VALUE - d) / 10) {
        throw notValid(s); // Go's ParseUint fails the same way: not a valid duration string
      }
      v = v * 10 + d;
    }
    return v;
  }

  private static int unitIndex(String unit) {
    for (int u = 0; u < UNITS.length; u++) {
      if (UNITS[u].equals(unit)) {
        return u;
      }
    }
    return -1;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static IllegalArgumentException notValid(String s) {
    return new IllegalArgumentException("not a valid duration string: \"" + s + "\"");
  }

  public Duration toDuration() {
    return Duration.ofMillis(millis);
  }

  public double seconds() {
    return millis / 1000.0;
  }

  public boolean isZero() {
    return millis == 0;
  }

  public PromDuration min(PromDuration other) {
    return compareTo(other) <= 0 ? this : other;
  }

  @Override
  public int compareTo(PromDuration o) {
    return Long.compare(millis, o.millis);
  }

  /**
   * Prometheus's formatting: {@code 0s}, {@code 1h30m}, {@code 15s}, {@code 1d}, {@code 2w},
   * {@code 1y}. Years and weeks are used only when they divide the whole duration exactly, since
   * {@code 90d} reads better than {@code 12w6d}.
   */
  @Override
  public String toString() {
    if (millis == 0) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    long rest = millis;
    for (int u = 0; u < UNITS.length; u++) {
      long unit = UNIT_MILLIS[u];
      boolean exactOnly = u < 2; // y, w
      if (exactOnly && rest % unit != 0) {
        continue;
      }
      long v = rest / unit;
      if (v > 0) {
        sb.append(v).append(UNITS[u]);
        rest -= v * unit;
      }
    }
    return sb.toString();
  }
}
