package io.vigil.tsdb.chunkenc;

import io.vigil.tsdb.encoding.DecodeException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A bit reader over a private, zero-padded copy of encoded bytes: bits are loaded 8 bytes at a time
 * without per-read bounds checks, and the source (a mapped file, a growing head chunk) may change
 * afterwards. Decoders check {@link #overrun()} once per value instead of on every read.
 * Reusable; not thread-safe.
 */
final class BitInput {
  private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  /**
   * Zero bytes kept after the data: one value reads at most ~150 bits and bits are loaded 8 bytes at
   * a time, so 32 bytes of slack let a value be decoded before the overrun check.
   */
  static final int PADDING = 32;

  private byte[] buf = new byte[256];
  private long bitPos;
  private long limitBits;

  BitInput reset(byte[] src, int off, int len) {
    ensure(len);
    System.arraycopy(src, off, buf, 0, len);
    return start(len);
  }

  BitInput reset(MemorySegment src, long off, int len) {
    ensure(len);
    MemorySegment.copy(src, ValueLayout.JAVA_BYTE, off, buf, 0, len);
    return start(len);
  }

  private void ensure(int len) {
    if (buf.length < len + PADDING) {
      buf = new byte[Math.max(len + PADDING, buf.length * 2)];
    }
  }

  private BitInput start(int len) {
    Arrays.fill(buf, len, len + PADDING, (byte) 0);
    limitBits = (long) len * 8;
    bitPos = 0;
    return this;
  }

  /** The copied bytes (valid up to the length given to reset). */
  byte[] bytes() {
    return buf;
  }

  long bitPosition() {
    return bitPos;
  }

  void seekBits(long pos) {
    bitPos = pos;
  }

  /** Whether reads went past the data: the encoded bytes are damaged. */
  boolean overrun() {
    return bitPos > limitBits;
  }

  void checkOverrun(String what) {
    if (bitPos > limitBits) {
      throw new DecodeException(bitPos >>> 3, "encoded data ends inside " + what);
    }
  }

  /** The next {@code n} bits (1 <= n <= 57) without consuming them. */
  long peek(int n) {
    // One unaligned 8-byte load holds at least 57 bits from any bit offset within its first byte.
    long w = (long) LONG_BE.get(buf, (int) (bitPos >>> 3));
    return (w << (bitPos & 7)) >>> (64 - n);
  }

  void skip(int n) {
    bitPos += n;
  }

  long read(int n) {
    long v = peek(n);
    bitPos += n;
    return v;
  }

  /** Reads 1..64 bits. */
  long readLong(int n) {
    return n > 57 ? read(n - 32) << 32 | read(32) : read(n);
  }

  long readUvarint() {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      long b = read(8);
      result |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
      if (bitPos > limitBits) {
        break;
      }
    }
    throw new DecodeException(bitPos >>> 3, "malformed varint in encoded data");
  }

  long readVarint() {
    long u = readUvarint();
    return (u >>> 1) ^ -(u & 1);
  }

  void alignToByte() {
    bitPos = (bitPos + 7) & ~7L;
  }
}
