package io.vigil.remote;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A fast, non-cryptographic hash of a byte range for the receiver's in-process caches (never stored
 * or sent anywhere, so it may change between versions). Reads eight bytes at a time.
 */
final class ByteHash {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long M = 0x9E3779B97F4A7C15L; // 2^64 / golden ratio: spreads bits on multiply

  private ByteHash() {}

  static long of(byte[] b, int off, int len) {
    long h = len * M;
    int i = off;
    int end = off + len;
    for (; i + 8 <= end; i += 8) {
      h = (h ^ (long) LONGS.get(b, i)) * M;
      h ^= h >>> 29;
    }
    long tail = 0;
    for (int shift = 0; i < end; i++, shift += 8) {
      tail |= (b[i] & 0xffL) << shift;
    }
    h = (h ^ tail) * M;
    return h ^ (h >>> 32);
  }
}
