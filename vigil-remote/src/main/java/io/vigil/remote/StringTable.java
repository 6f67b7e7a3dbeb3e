package io.vigil.remote;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns UTF-8 byte ranges into Strings without allocating for ones seen before: label names and
 * values repeat across series and requests ("job", "instance", host names), so after warm-up
 * decoding a label costs a hash and a compare. Bounded: when {@code maxEntries} are held the table
 * starts over. Not thread-safe (one per pooled decode context).
 */
final class StringTable {
  /** Longer strings are not worth keeping (and would make the table's memory unbounded). */
  static final int MAX_CACHED_BYTES = 256;

  private final int maxEntries;
  private byte[][] keys;
  private String[] values;
  private int count;

  StringTable(int maxEntries) {
    this.maxEntries = maxEntries;
    int slots = Integer.highestOneBit(Math.max(16, maxEntries) * 2 - 1) << 1; // load <= 0.5
    keys = new byte[slots][];
    values = new String[slots];
  }

  /** The string for these bytes, or null if they are not valid UTF-8. */
  String get(byte[] b, int off, int len) {
    if (len == 0) {
      return "";
    }
    if (len > MAX_CACHED_BYTES) {
      return decode(b, off, len);
    }
    int mask = keys.length - 1;
    int slot = (int) ByteHash.of(b, off, len) & mask;
    for (;;) {
      byte[] k = keys[slot];
      if (k == null) {
        break;
      }
      if (k.length == len && Arrays.equals(k, 0, len, b, off, off + len)) {
        return values[slot];
      }
      slot = (slot + 1) & mask;
    }
    String s = decode(b, off, len);
    if (s == null) {
      return null;
    }
    if (count >= maxEntries) {
      Arrays.fill(keys, null);
      Arrays.fill(values, null);
      count = 0;
      slot = (int) ByteHash.of(b, off, len) & mask;
    }
    keys[slot] = Arrays.copyOfRange(b, off, off + len);
    values[slot] = s;
    count++;
    return s;
  }

  private static String decode(byte[] b, int off, int len) {
    // Label values must be valid UTF-8 (Prometheus checks utf8.ValidString); new String() would
    // silently replace bad sequences, so validate first.
    return isValidUtf8(b, off, len) ? new String(b, off, len, StandardCharsets.UTF_8) : null;
  }

  /** Well-formed UTF-8 as Go's utf8.Valid defines it: no overlongs, no surrogates, at most U+10FFFF. */
  static boolean isValidUtf8(byte[] b, int off, int len) {
    int i = off;
    int end = off + len;
    while (i < end && b[i] >= 0) {
      i++; // ASCII fast path: the common case for label names and values
    }
    while (i < end) {
      int c = b[i] & 0xff;
      if (c < 0x80) {
        i++;
        continue;
      }
      int n;
      int min;
      if (c >= 0xc2 && c <= 0xdf) {
        n = 1;
        min = 0x80;
      } else if (c >= 0xe0 && c <= 0xef) {
        n = 2;
        min = 0x800;
      } else if (c >= 0xf0 && c <= 0xf4) {
        n = 3;
        min = 0x10000;
      } else {
        return false; // continuation byte, overlong 2-byte lead (c0, c1) or beyond U+10FFFF
      }
      if (i + n >= end) {
        return false;
      }
      int cp = c & (0x3f >> n);
      for (int k = 1; k <= n; k++) {
        int cc = b[i + k] & 0xff;
        if ((cc & 0xc0) != 0x80) {
          return false;
        }
        cp = (cp << 6) | (cc & 0x3f);
      }
      if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        return false;
      }
      i += n + 1;
    }
    return true;
  }
}
