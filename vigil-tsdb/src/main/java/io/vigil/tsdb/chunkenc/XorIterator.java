package io.vigil.tsdb.chunkenc;

import io.vigil.storage.SampleIterator;
import io.vigil.tsdb.encoding.DecodeException;
import java.lang.foreign.MemorySegment;

/**
 * Decodes an XOR chunk. {@link #reset} copies the chunk into a scratch buffer with zero padding, so
 * that bits can be loaded 8 bytes at a time without per-read bounds checks, and so that the caller's
 * array may change afterwards (the head's open chunk keeps growing). Reusable; not thread-safe.
 *
 * <p>Damaged data (a sample running past the end of the bytes) raises {@link DecodeException} from
 * {@link #next()}.
 */
public final class XorIterator implements SampleIterator {
  private final BitInput in = new BitInput();
  private final XorValues.Decoder values = new XorValues.Decoder();
  private int total;
  private int read;
  private long t;
  private long tDelta;
  private long vBits;

  /** Resets to the chunk in {@code src[off, off + len)}; the sample count comes from its header. */
  public XorIterator reset(byte[] src, int off, int len) {
    if (len < XorLayout.HEADER_BYTES) {
      throw new DecodeException(off, "XOR chunk of " + len + " bytes is shorter than its header");
    }
    return reset(src, off, len, XorChunk.numSamples(src, off));
  }

  /** Resets to the chunk in {@code len} bytes of a memory segment (a mapped block file) at {@code off}. */
  public XorIterator reset(MemorySegment seg, long off, int len) {
    if (len < XorLayout.HEADER_BYTES) {
      throw new DecodeException(off, "XOR chunk of " + len + " bytes is shorter than its header");
    }
    in.reset(seg, off, len);
    return start(XorChunk.numSamples(in.bytes(), 0));
  }

  /**
   * Resets to the first {@code numSamples} samples of the chunk in {@code src[off, off + len)}: a
   * reader of a chunk that is still being appended to passes the count it saw under the writer's
   * lock, and the bytes of later samples are ignored.
   */
  public XorIterator reset(byte[] src, int off, int len, int numSamples) {
    in.reset(src, off, len);
    return start(numSamples);
  }

  private XorIterator start(int numSamples) {
    in.seekBits(XorLayout.HEADER_BYTES * 8L);
    values.reset();
    total = numSamples;
    read = 0;
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
        long z = in.readUvarint();
        t = (z >>> 1) ^ -(z & 1);
        vBits = values.first(in);
      }
      case 1 -> {
        tDelta = in.readUvarint();
        t += tDelta;
        vBits = values.next(in);
      }
      default -> {
        tDelta += readDod();
        t += tDelta;
        vBits = values.next(in);
      }
    }
    if (in.overrun()) {
      throw new DecodeException(in.bitPosition() >>> 3, "XOR chunk ends inside sample " + read + " of " + total);
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
    int p = (int) in.peek(4);
    if ((p & 0b1000) == 0) {
      in.skip(1);
      return 0;
    }
    if ((p & 0b0100) == 0) {
      in.skip(2);
      return signExtend(in.read(XorLayout.DOD_BITS_1), XorLayout.DOD_BITS_1);
    }
    if ((p & 0b0010) == 0) {
      in.skip(3);
      return signExtend(in.read(XorLayout.DOD_BITS_2), XorLayout.DOD_BITS_2);
    }
    in.skip(4);
    if ((p & 0b0001) == 0) {
      return signExtend(in.read(XorLayout.DOD_BITS_3), XorLayout.DOD_BITS_3);
    }
    return in.readLong(64);
  }

  static long signExtend(long v, int bits) {
    int shift = 64 - bits;
    return (v << shift) >> shift;
  }
}
