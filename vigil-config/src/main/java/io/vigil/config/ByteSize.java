package io.vigil.config;

/**
 * A size in bytes in Prometheus's configuration syntax (as {@code body_size_limit} uses it): a number
 * with a unit, all powers of 1024, where {@code KB} and {@code KiB} both mean 1024 bytes: B, KB/KiB,
 * MB/MiB, GB/GiB, TB/TiB, PB/PiB, EB/EiB. Fractions and sums are allowed ({@code 1.5MB},
 * {@code 1MB512KB}); a bare number other than {@code 0} is not (it has no unit). Formatting uses
 * Prometheus's form: {@code 10MiB}, {@code 1KiB1B}, {@code 0B}.
 *
 * @param bytes the size; 0 means "no limit" where used as a limit
 */
public record ByteSize(long bytes) {
  public static final ByteSize ZERO = new ByteSize(0);

  private static final String[] PREFIXES = {"", "K", "M", "G", "T", "P", "E"};

  public ByteSize {
    if (bytes < 0) {
      throw new IllegalArgumentException("size must not be negative: " + bytes);
    }
  }

  /**
   * Parses a size.
   *
   * @throws IllegalArgumentException with Prometheus's (alecthomas/units) messages, e.g.
   *     {@code units: unknown unit  in 1000} or {@code units: invalid 1.x}
   */
  public static ByteSize parse(String s) {
    String orig = s;
    boolean negative = false;
    if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      negative = s.charAt(0) == '-';
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return ZERO;
    }
    if (s.isEmpty()) {
      throw invalid(orig);
    }
    double total = 0;
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c != '.' && !isDigit(c)) {
        throw invalid(orig);
      }
      int start = i;
      while (i < s.length() && isDigit(s.charAt(i))) {
        i++;
      }
      boolean digitsBefore = i > start;
      int fracStart = i;
      if (i < s.length() && s.charAt(i) == '.') {
        i++;
        while (i < s.length() && isDigit(s.charAt(i))) {
          i++;
        }
      }
      boolean digitsAfter = i > fracStart + 1;
      if (!digitsBefore && !digitsAfter) {
        throw invalid(orig);
      }
      if (i - start > 18) {
        throw invalid(orig); // more digits than a 64-bit count of bytes can need
      }
      double number = Double.parseDouble(s.substring(start, i));
      int unitStart = i;
      while (i < s.length() && s.charAt(i) != '.' && !isDigit(s.charAt(i))) {
        i++;
      }
      String unit = s.substring(unitStart, i);
      long multiplier = multiplier(unit);
      if (multiplier < 0) {
        throw new IllegalArgumentException("units: unknown unit " + unit + " in " + orig);
      }
      total += number * multiplier;
    }
    if (negative) {
      throw new IllegalArgumentException("size must not be negative: " + orig);
    }
    if (total >= 0x1p63) {
      throw new IllegalArgumentException("units: overflow parsing unit");
    }
    return new ByteSize((long) total);
  }

  /** Bytes per unit, or -1 for an unknown unit. */
  private static long multiplier(String unit) {
    if (unit.equals("B")) {
      return 1;
    }
    for (int p = 1; p < PREFIXES.length; p++) {
      if (unit.equals(PREFIXES[p] + "B") || unit.equals(PREFIXES[p] + "iB")) {
        return 1L << (10 * p);
      }
    }
    return -1;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static IllegalArgumentException invalid(String orig) {
    return new IllegalArgumentException("units: invalid " + orig);
  }

  public boolean isZero() {
    return bytes == 0;
  }

  /** Largest unit first, each unit's remainder after it: {@code 1MiB1B}, {@code 10MiB}, {@code 0B}. */
  @Override
  public String toString() {
    if (bytes == 0) {
      return "0B";
    }
    StringBuilder sb = new StringBuilder();
    for (int p = PREFIXES.length - 1; p >= 0; p--) {
      long unit = 1L << (10 * p);
      long v = (bytes / unit) % 1024;
      if (p == PREFIXES.length - 1) {
        v = bytes / unit;
      }
      if (v != 0) {
        sb.append(v).append(PREFIXES[p]).append(p == 0 ? "B" : "iB");
      }
    }
    return sb.toString();
  }
}
