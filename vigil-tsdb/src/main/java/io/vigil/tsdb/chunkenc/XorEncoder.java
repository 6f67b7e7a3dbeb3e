package io.vigil.tsdb.chunkenc;

import io.vigil.tsdb.encoding.ByteBuf;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Appends samples to one XOR chunk at the end of a caller-owned {@link ByteBuf}. The chunk occupies
 * the destination from the offset {@link #reset} returned to its end; bytes before that offset are
 * never touched, and bytes must not be appended by anyone else while the chunk is open. Reusable
 * for chunk after chunk. Not thread-safe.
 *
 * <p>Callers guarantee strictly increasing timestamps (the head validates before appending).
 */
public final class XorEncoder implements BitSink {
  private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private final XorValues.Encoder values = new XorValues.Encoder();
  private ByteBuf dst;
  private int start;
  /** Unused low-order bits of the destination's last byte; 0 means the next bit starts a new byte. */
  private int freeBits;
  private int numSamples;
  private long t;
  private long tDelta;
  private long vBits;

  /** Starts a new chunk at the end of {@code dst}; returns the offset where it starts. */
  public int reset(ByteBuf dst) {
    this.dst = dst;
    this.start = dst.length();
    dst.putShortBE(0);
    freeBits = 0;
    numSamples = 0;
    t = 0;
    tDelta = 0;
    vBits = 0;
    values.reset();
    return start;
  }

  public int numSamples() {
    return numSamples;
  }

  /** Timestamp of the last appended sample; undefined when empty. */
  public long lastT() {
    return t;
  }

  /** Raw bits of the last appended value; undefined when empty. */
  public long lastValueBits() {
    return vBits;
  }

  /** Offset of the chunk in the destination. */
  public int start() {
    return start;
  }

  /** Bytes the chunk occupies so far. */
  public int sizeBytes() {
    return dst.length() - start;
  }

  public void append(long timestampMs, double value) {
    if (numSamples == XorLayout.MAX_SAMPLES) {
      throw new IllegalStateException("XOR chunk full: " + numSamples + " samples");
    }
    long bits = Double.doubleToRawLongBits(value); // raw: NaN payloads (StaleNaN) must survive
    switch (numSamples) {
      case 0 -> writeVarintBytes(timestampMs);
      case 1 -> {
        tDelta = timestampMs - t;
        writeUvarintBytes(tDelta);
      }
      default -> {
        long delta = timestampMs - t;
        writeDod(delta - tDelta);
        tDelta = delta;
      }
    }
    values.write(this, bits);
    t = timestampMs;
    vBits = bits;
    numSamples++;
    byte[] a = dst.array();
    a[start] = (byte) (numSamples >>> 8);
    a[start + 1] = (byte) numSamples;
  }

  private void writeDod(long dod) {
    // Prefix and payload go out in one call: '10'+14 bits = 16, '110'+17 = 20, '1110'+20 = 24 bits.
    if (dod == 0) {
      writeBits(0, 1);
    } else if (fits(dod, XorLayout.DOD_BITS_1)) {
      writeBits((0b10L << XorLayout.DOD_BITS_1) | (dod & mask(XorLayout.DOD_BITS_1)), 2 + XorLayout.DOD_BITS_1);
    } else if (fits(dod, XorLayout.DOD_BITS_2)) {
      writeBits((0b110L << XorLayout.DOD_BITS_2) | (dod & mask(XorLayout.DOD_BITS_2)), 3 + XorLayout.DOD_BITS_2);
    } else if (fits(dod, XorLayout.DOD_BITS_3)) {
      writeBits((0b1110L << XorLayout.DOD_BITS_3) | (dod & mask(XorLayout.DOD_BITS_3)), 4 + XorLayout.DOD_BITS_3);
    } else {
      writeBits(0b1111, 4);
      writeBits(dod, 64);
    }
  }

  private static boolean fits(long v, int bits) {
    long lim = 1L << (bits - 1);
    return v >= -lim && v < lim;
  }

  private static long mask(int bits) {
    return (1L << bits) - 1;
  }

  private void writeVarintBytes(long v) {
    writeUvarintBytes((v << 1) ^ (v >> 63));
  }

  private void writeUvarintBytes(long v) {
    while ((v & ~0x7FL) != 0) {
      writeBits((v & 0x7F) | 0x80, 8);
      v >>>= 7;
    }
    writeBits(v, 8);
  }

  /**
   * Writes the low {@code n} bits of {@code v} (1 <= n <= 64), most significant first, straight into
   * the destination (no pending bits), so a reader copying the buffer at any time sees every sample
   * counted in the header. Public only as the {@link BitSink} of the shared value encoder.
   */
  @Override
  public void writeBits(long v, int n) {
    int used = freeBits == 0 ? 0 : 8 - freeBits; // bits already taken in the byte written at `pos`
    if (used + n > 64) {
      writeBits(v >>> 32, n - 32);
      writeBits(v, 32);
      return;
    }
    // One big-endian 8-byte store from the partly filled last byte (or a fresh one): its taken bits,
    // then the new ones, then zeros. Bytes past the new length may be overwritten (nobody reads
    // them); the taken bits of the last byte are rewritten unchanged, so a reader of the array sees
    // every sample the header counts at any time.
    int len = dst.length();
    int pos = freeBits == 0 ? len : len - 1;
    dst.ensure(8);
    byte[] a = dst.array();
    long taken = used == 0 ? 0 : (long) (a[pos] & 0xFF) << 56;
    long bits = n == 64 ? v : v & ((1L << n) - 1);
    LONG_BE.set(a, pos, taken | (bits << (64 - used - n)));
    int total = used + n;
    dst.advance(pos + ((total + 7) >>> 3) - len);
    freeBits = (8 - (total & 7)) & 7;
  }
}
