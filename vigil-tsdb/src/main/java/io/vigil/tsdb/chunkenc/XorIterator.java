package io.vigil.tsdb.chunkenc;

import io.vigil.storage.SampleIterator;
import io.vigil.tsdb.encoding.DecodeException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Decodes an XOR chunk. {@link #reset} copies the chunk into a scratch buffer with zero padding, so
 * that bits can be loaded 8 bytes at a time without per-read bounds checks, and so that the caller's
 * array may change afterwards (the head's open chunk keeps growing). Reusable; not thread-safe.
 *
 * <p>Damaged data (a sample running past the end of the bytes) raises {@link DecodeException} from
 * {@link #next()}.
 */
public final class XorIterator implements SampleIterator {
  private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private byte[] buf = new byte[256];
  private long limitBits;
  private long bitPos;
  private int total;
  private int read;
  private long t;
  private long tDelta;
  private long vBits;
  private int leading;
  private int sigBits;

  /** Resets to the chunk in {@code src[off, off + len)}; the sample count comes from its header. */
  public XorIterator reset(byte[] src, int off, int len) {
    if (len < XorLayout.HEADER_BYTES) {
      throw new DecodeException(off, "XOR chunk of " + len + " bytes is shorter than its header");
    }
    return reset(src, off, len, XorChunk.numSamples(src, off));
  }

  /** Resets to the chunk in {@code len} bytes of a memory segment (a mapped block file) at {@code off}. */
  public XorIterator reset(java.lang.foreign.MemorySegment seg, long off, int len) {
    if (len < XorLayout.HEADER_BYTES) {
      throw new DecodeException(off, "XOR chunk of " + len + " bytes is shorter than its header");
    }
    int need = len + XorLayout.DECODE_PADDING;
    if (buf.length < need) {
      buf = new byte[Math.max(need, buf.length * 2)];
    }
    java.lang.foreign.MemorySegment.copy(seg, java.lang.foreign.ValueLayout.JAVA_BYTE, off, buf, 0, len);
    return start(len, XorChunk.numSamples(buf, 0));
  }

  /**
   * Resets to the first {@code numSamples} samples of the chunk in {@code src[off, off + len)}: a
   * reader of a chunk that is still being appended to passes the count it saw under the writer's
   * lock, and the bytes of later samples are ignored.
   */
  public XorIterator reset(byte[] src, int off, int len, int numSamples) {
    int need = len + XorLayout.DECODE_PADDING;
    if (buf.length < need) {
      buf = new byte[Math.max(need, buf.length * 2)];
    }
    System.arraycopy(src, off, buf, 0, len);
    return start(len, numSamples);
  }

  private XorIterator start(int len, int numSamples) {
    Arrays.fill(buf, len, len + XorLayout.DECODE_PADDING, (byte) 0);
    limitBits = (long) len * 8;
    bitPos = XorLayout.HEADER_BYTES * 8L;
    total = numSamples;
    read = 0;
    leading = 0;
    sigBits = 0;
    return this;
  }

  @Override
  public boolean next() {
    if (read >= total) {
      read = total + 1; // past the end: stays false
      return false;
    }
    switch (read) {
      case 0 -> {
        long z = readUvarint();
        t = (z >>> 1) ^ -(z & 1);
        vBits = readBits(32) << 32 | readBits(32);
      }
      case 1 -> {
        tDelta = readUvarint();
        t += tDelta;
        readValue();
      }
      default -> {
        tDelta += readDod();
        t += tDelta;
        readValue();
      }
    }
    if (bitPos > limitBits) {
      throw new DecodeException(bitPos >>> 3, "XOR chunk ends inside sample " + read + " of " + total);
    }
    read++;
    return true;
  }

  @Override
  public boolean seek(long timestampMs) {
    if (read > 0 && read <= total && t >= timestampMs) {
      return true;
    }
    while (next()) {
      if (t >= timestampMs) {
        return true;
      }
    }
    return false;
  }

  @Override
  public long atT() {
    return t;
  }

  @Override
  public double atV() {
    return Double.longBitsToDouble(vBits);
  }

  /** Raw bits of the current value. */
  public long atValueBits() {
    return vBits;
  }

  private long readDod() {
    // Peek 4 bits once and branch on the unary prefix instead of reading bit by bit.
    int p = (int) peek(4);
    if ((p & 0b1000) == 0) {
      bitPos += 1;
      return 0;
    }
    if ((p & 0b0100) == 0) {
      bitPos += 2;
      return signExtend(readBits(XorLayout.DOD_BITS_1), XorLayout.DOD_BITS_1);
    }
    if ((p & 0b0010) == 0) {
      bitPos += 3;
      return signExtend(readBits(XorLayout.DOD_BITS_2), XorLayout.DOD_BITS_2);
    }
    bitPos += 4;
    if ((p & 0b0001) == 0) {
      return signExtend(readBits(XorLayout.DOD_BITS_3), XorLayout.DOD_BITS_3);
    }
    return readBits(32) << 32 | readBits(32);
  }

  private static long signExtend(long v, int bits) {
    int shift = 64 - bits;
    return (v << shift) >> shift;
  }

  private void readValue() {
    int p = (int) peek(2);
    if ((p & 0b10) == 0) {
      bitPos += 1;
      return; // unchanged value
    }
    bitPos += 2;
    if ((p & 0b01) != 0) {
      int header = (int) readBits(11);
      leading = header >>> 6;
      sigBits = header & 63;
      if (sigBits == 0) {
        sigBits = 64;
      }
    }
    int trailing = 64 - leading - sigBits;
    long x = sigBits > 57 ? readBits(sigBits - 32) << 32 | readBits(32) : readBits(sigBits);
    vBits ^= x << trailing;
  }

  private long readUvarint() {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      long b = readBits(8);
      result |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
    }
    throw new DecodeException(bitPos >>> 3, "XOR chunk varint longer than 10 bytes");
  }

  /** The next {@code n} bits (1 <= n <= 57) without consuming them. */
  private long peek(int n) {
    // One unaligned 8-byte load holds at least 57 bits from any bit offset within its first byte.
    long w = (long) LONG_BE.get(buf, (int) (bitPos >>> 3));
    return (w << (bitPos & 7)) >>> (64 - n);
  }

  private long readBits(int n) {
    long v = peek(n);
    bitPos += n;
    return v;
  }
}
