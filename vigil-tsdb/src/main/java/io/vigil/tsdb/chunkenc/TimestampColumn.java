package io.vigil.tsdb.chunkenc;

import io.vigil.tsdb.encoding.ByteBuf;
import io.vigil.tsdb.encoding.DecodeException;
import java.lang.foreign.MemorySegment;

/**
 * A sequence of strictly increasing timestamps, encoded with delta-of-deltas in buckets fine enough
 * for scrape jitter (docs/format/chunks.md, id 3). Blocks store each distinct column once and let
 * every series scraped from the same target refer to it.
 */
public final class TimestampColumn {
  private TimestampColumn() {}

  /** Appends the encoding of {@code ts[from, from + n)} to {@code dst}. */
  public static void encode(long[] ts, int from, int n, ByteBuf dst) {
    dst.putUvarint(n);
    if (n == 0) {
      return;
    }
    dst.putVarint(ts[from]);
    if (n == 1) {
      return;
    }
    long delta = ts[from + 1] - ts[from];
    dst.putUvarint(delta);
    BitOutput out = new BitOutput().reset(dst);
    for (int i = from + 2; i < from + n; i++) {
      long d = ts[i] - ts[i - 1];
      writeDod(out, d - delta);
      delta = d;
    }
    out.finish();
  }

  private static void writeDod(BitOutput out, long dod) {
    if (dod == 0) {
      out.writeBits(0, 1);
    } else if (fits(dod, PackedLayout.TS_DOD_BITS_1)) {
      out.writeBits((0b10L << PackedLayout.TS_DOD_BITS_1) | (dod & mask(PackedLayout.TS_DOD_BITS_1)), 2 + PackedLayout.TS_DOD_BITS_1);
    } else if (fits(dod, PackedLayout.TS_DOD_BITS_2)) {
      out.writeBits((0b110L << PackedLayout.TS_DOD_BITS_2) | (dod & mask(PackedLayout.TS_DOD_BITS_2)), 3 + PackedLayout.TS_DOD_BITS_2);
    } else if (fits(dod, PackedLayout.TS_DOD_BITS_3)) {
      out.writeBits((0b1110L << PackedLayout.TS_DOD_BITS_3) | (dod & mask(PackedLayout.TS_DOD_BITS_3)), 4 + PackedLayout.TS_DOD_BITS_3);
    } else {
      out.writeBits(0b1111, 4);
      out.writeBits(dod, 64);
    }
  }

  private static boolean fits(long v, int bits) {
    long lim = 1L << (bits - 1);
    return v >= -lim && v < lim;
  }

  private static long mask(int bits) {
    return (1L << bits) - 1;
  }

  /**
   * Decodes a column at the reader's current, byte-aligned position into {@code out} (a new, larger
   * array when it is too small; the one holding the result is returned) and its length into
   * {@code count[0]}. Leaves the reader byte-aligned after the column.
   */
  static long[] decode(BitInput in, long[] out, int[] count) {
    int n = (int) Math.min(Integer.MAX_VALUE, in.readUvarint());
    if (n < 0 || n > 1 << 24) {
      throw new DecodeException(in.bitPosition() >>> 3, "timestamp column of " + n + " entries");
    }
    if (out == null || out.length < n) {
      out = new long[Math.max(n, 16)];
    }
    count[0] = n;
    if (n == 0) {
      return out;
    }
    long t = in.readVarint();
    out[0] = t;
    if (n > 1) {
      long delta = in.readUvarint();
      t += delta;
      out[1] = t;
      for (int i = 2; i < n; i++) {
        delta += readDod(in);
        t += delta;
        out[i] = t;
        if (in.overrun()) {
          in.checkOverrun("timestamp " + i + " of " + n);
        }
      }
      in.alignToByte();
    }
    in.checkOverrun("a timestamp column");
    return out;
  }

  private static long readDod(BitInput in) {
    int p = (int) in.peek(4);
    if ((p & 0b1000) == 0) {
      in.skip(1);
      return 0;
    }
    if ((p & 0b0100) == 0) {
      in.skip(2);
      return XorIterator.signExtend(in.read(PackedLayout.TS_DOD_BITS_1), PackedLayout.TS_DOD_BITS_1);
    }
    if ((p & 0b0010) == 0) {
      in.skip(3);
      return XorIterator.signExtend(in.read(PackedLayout.TS_DOD_BITS_2), PackedLayout.TS_DOD_BITS_2);
    }
    in.skip(4);
    if ((p & 0b0001) == 0) {
      return XorIterator.signExtend(in.read(PackedLayout.TS_DOD_BITS_3), PackedLayout.TS_DOD_BITS_3);
    }
    return in.readLong(64);
  }

  /** Decodes a whole column record body from {@code len} bytes of a segment. */
  public static long[] decode(MemorySegment seg, long off, int len) {
    BitInput in = new BitInput().reset(seg, off, len);
    int[] count = new int[1];
    long[] out = decode(in, null, count);
    return count[0] == out.length ? out : java.util.Arrays.copyOf(out, count[0]);
  }
}
