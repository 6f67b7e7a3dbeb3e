package io.vigil.tsdb.block;

import java.security.SecureRandom;

/**
 * ULIDs name blocks: 48 bits of creation time in ms and 80 random bits, as 26 Crockford base32
 * characters, so that names sort by creation time and never collide between processes.
 */
public final class Ulid {
  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ulid() {}

  public static String next() {
    return of(System.currentTimeMillis(), RANDOM.nextLong(), RANDOM.nextInt(1 << 16));
  }

  /** A ULID from its parts: 48-bit time, then 64 + 16 random bits. */
  static String of(long timeMs, long randomHigh, int randomLow16) {
    // 128 bits = 48 time + 80 random, written as 26 chars of 5 bits (the first char carries 3 bits).
    long hi = (timeMs << 16) | ((randomHigh >>> 48) & 0xFFFF); // top 64 bits
    long lo = (randomHigh << 16) | (randomLow16 & 0xFFFF); // bottom 64 bits
    char[] out = new char[26];
    for (int i = 25; i >= 0; i--) {
      out[i] = ALPHABET[(int) (lo & 31)];
      lo = (lo >>> 5) | (hi << 59);
      hi >>>= 5;
    }
    return new String(out);
  }

  /** Whether {@code s} looks like a ULID (26 Crockford base32 characters, first one at most '7'). */
  public static boolean isValid(String s) {
    if (s.length() != 26 || s.charAt(0) > '7') {
      return false;
    }
    for (int i = 0; i < 26; i++) {
      if (new String(ALPHABET).indexOf(s.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }
}
