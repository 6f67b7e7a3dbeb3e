package io.vigil.tsdb.chunkenc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The state of one XOR chunk being appended to (docs/format/chunks.md), as plain fields: the array,
 * the bit position, the sample count, the last timestamp delta and value window, the last sample.
 * Prometheus keeps the same state in its {@code xorAppender}.
 *
 * <p>Meant to be extended by the object that owns the chunk, so that the state lives inside that
 * object: the head keeps one open chunk per series, and appending (live and at WAL replay) is bound
 * by cache misses, so a series that is one object with its encoder state inline, plus its byte array,
 * costs two misses per sample where an encoder, a value encoder and a buffer behind pointers cost five
 * (and 100 bytes of headers). {@link XorEncoder} is the stand-alone form over a {@code ByteBuf}.
 *
 * <p>The chunk occupies {@code [start, chunkEnd())} of the array; bytes before {@code start} are never
 * touched. When a write does not fit, {@link #grow} supplies a larger array holding the same bytes;
 * an array is never written past its length, so exactly sized arrays are fine. Bytes after the chunk
 * end inside the array are zero or were written as zero. Not thread-safe; a reader that copied the
 * array reference, {@link #chunkEnd()} and {@link #numSamples()} under the owner's lock may decode
 * that prefix without the lock: appends only add bits after it (rewriting the last partial byte with
 * the same bits) or move to a new array.
 */
public abstract class XorAppendState implements BitSink {
  private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  /** The open chunk's array, null when there is none. */
  private byte[] chunk;
  private int start;
  /** Bits the chunk occupies from {@code start}, header included (a chunk is far below 2^31 bits). */
  private int bits;
  private char samples;
  /** The value XOR window of the previous value (see {@link XorValues#writeNext}). */
  private short window;
  private long tDelta;
  private long lastT = Long.MIN_VALUE;
  private long lastValueBits;

  /**
   * Returns an array of at least {@code minLength} bytes whose first bytes are those of {@link
   * #chunkArray()} up to {@link #chunkEnd()}; the caller may keep the old array (readers still decode it).
   */
  protected abstract byte[] grow(int minLength);

  /** Starts a new chunk at {@code start} of {@code array}, which must have room for its 2-byte header. */
  protected final void startChunk(byte[] array, int start) {
    array[start] = 0;
    array[start + 1] = 0;
    this.chunk = array;
    this.start = start;
    this.bits = XorLayout.HEADER_BYTES * 8;
    this.samples = 0;
    this.window = XorValues.NO_WINDOW;
    this.tDelta = 0;
  }

  /** Forgets the open chunk (its array stays as it is); the last sample's time and value are kept. */
  protected final void endChunk() {
    chunk = null;
  }

  /** The open chunk's array (valid until the next append, which may move to a larger one); null when none. */
  protected final byte[] chunkArray() {
    return chunk;
  }

  /** The array offset just past the open chunk's last byte. */
  public final int chunkEnd() {
    return start + ((bits + 7) >>> 3);
  }

  /** Offset of the open chunk in its array. */
  public final int chunkStart() {
    return start;
  }

  /** Samples in the open chunk. */
  public final int numSamples() {
    return samples;
  }

  /** Time of the last sample appended to any chunk of this state, Long.MIN_VALUE before the first. */
  public final long lastT() {
    return lastT;
  }

  /** Raw bits of the last sample's value appended to any chunk of this state; 0 before the first. */
  public final long lastValueBits() {
    return lastValueBits;
  }

  /**
   * Appends a sample to the open chunk. Callers guarantee a strictly increasing timestamp within the
   * chunk (the head validates before appending).
   *
   * @param valueBits the raw bits of the value: NaN payloads (StaleNaN) must survive
   * @throws IllegalStateException if the chunk already holds {@link XorLayout#MAX_SAMPLES}
   */
  protected final void appendSample(long timestampMs, long valueBits) {
    int n = samples;
    if (n == XorLayout.MAX_SAMPLES) {
      throw new IllegalStateException("XOR chunk full: " + n + " samples");
    }
    switch (n) {
      case 0 -> {
        writeUvarintBytes((timestampMs << 1) ^ (timestampMs >> 63)); // zigzag: any sign in few bytes
        writeBits(valueBits, 64);
      }
      case 1 -> {
        tDelta = timestampMs - lastT;
        writeUvarintBytes(tDelta);
        window = (short) XorValues.writeNext(this, lastValueBits, valueBits, XorValues.NO_WINDOW);
      }
      default -> {
        long delta = timestampMs - lastT;
        writeDod(delta - tDelta);
        tDelta = delta;
        window = (short) XorValues.writeNext(this, lastValueBits, valueBits, window);
      }
    }
    lastT = timestampMs;
    lastValueBits = valueBits;
    samples = (char) ++n;
    byte[] a = chunk;
    a[start] = (byte) (n >>> 8);
    a[start + 1] = (byte) n;
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

  private void writeUvarintBytes(long v) {
    while ((v & ~0x7FL) != 0) {
      writeBits((v & 0x7F) | 0x80, 8);
      v >>>= 7;
    }
    writeBits(v, 8);
  }

  /**
   * Writes the low {@code n} bits of {@code v} (1 <= n <= 64), most significant first, straight into
   * the array (no pending bits), so a reader copying it at any time sees every sample the header
   * counts. Public only as the {@link BitSink} of the shared value encoder.
   */
  @Override
  public final void writeBits(long v, int n) {
    int used = bits & 7; // bits already taken in the byte at pos
    if (used + n > 64) {
      writeBits(v >>> 32, n - 32);
      writeBits(v, 32);
      return;
    }
    int pos = start + (bits >>> 3);
    int total = used + n;
    byte[] a = chunk;
    if (pos + 8 > a.length) {
      int need = pos + ((total + 7) >>> 3);
      if (need > a.length) {
        a = chunk = grow(need);
      }
    }
    // The taken bits of the partly filled byte (its free bits are zero), then the new ones, then zeros.
    long taken = used == 0 ? 0 : (long) (a[pos] & 0xFF) << 56;
    long low = n == 64 ? v : v & ((1L << n) - 1);
    long word = taken | (low << (64 - used - n));
    if (pos + 8 <= a.length) {
      // One big-endian 8-byte store; the zeros it writes past the new end are free bytes of the array.
      LONG_BE.set(a, pos, word);
    } else {
      // The last bytes of an exactly sized array: only the bytes the bits reach.
      for (int i = 0, bytes = (total + 7) >>> 3; i < bytes; i++) {
        a[pos + i] = (byte) (word >>> (56 - 8 * i));
      }
    }
    bits += n;
  }
}
