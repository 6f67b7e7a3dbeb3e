package io.vigil.tsdb.chunkenc;

import io.vigil.model.StaleNaN;
import io.vigil.storage.SampleIterator;
import io.vigil.tsdb.encoding.ByteBuf;
import io.vigil.tsdb.encoding.ByteDecoder;
import io.vigil.tsdb.encoding.DecodeException;

/**
 * The block encoding (docs/format/chunks.md, id 2): a timestamp column, inline or shared with other
 * series of the block, and values either as bit-packed deltas of decimal integers (counters, byte
 * gauges, values with a few decimals: most real data) or, for full-precision floats, as XOR.
 * Immutable. A chunk read from a block carries its resolved shared column.
 */
public final class PackedChunk implements Chunk {
  static final double[] POW10 = new double[PackedLayout.MAX_DECIMALS + 1];

  static {
    for (int i = 0; i < POW10.length; i++) {
      POW10[i] = Math.pow(10, i); // exact: powers of ten up to 10^22 are representable doubles
    }
  }

  private final byte[] data;
  private final long[] column;

  private PackedChunk(byte[] data, long[] column) {
    this.data = data;
    this.column = column;
  }

  /** Wraps a chunk with inline timestamps; the array is owned by the chunk afterwards. */
  public static PackedChunk wrap(byte[] data) {
    return new PackedChunk(data, null);
  }

  /** Wraps a chunk that refers to a shared column, with that column already decoded. */
  public static PackedChunk withColumn(byte[] data, long[] column) {
    return new PackedChunk(data, column);
  }

  /**
   * Appends one chunk of {@code ts/vs[from, from + n)} to {@code dst}: with {@code columnRef >= 0}
   * the timestamps are a reference to that column (which must hold exactly these timestamps);
   * otherwise they are inline.
   *
   * @return the offset in {@code dst} where the chunk starts
   */
  public static int encode(long[] ts, double[] vs, int from, int n, long columnRef, ByteBuf dst) {
    int start = dst.length();
    dst.putUvarint(n);
    if (columnRef >= 0) {
      dst.put(PackedLayout.TS_REFERENCE).putUvarint(columnRef);
    } else {
      dst.put(PackedLayout.TS_INLINE);
      TimestampColumn.encode(ts, from, n, dst);
    }
    encodeValues(vs, from, n, dst);
    return start;
  }

  static void encodeValues(double[] vs, int from, int n, ByteBuf dst) {
    int k = n == 0 ? -1 : decimalExponent(vs, from, n);
    if (k < 0) {
      dst.put(PackedLayout.VALUES_XOR);
      BitOutput out = new BitOutput().reset(dst);
      XorValues.Encoder enc = new XorValues.Encoder();
      for (int i = from; i < from + n; i++) {
        enc.write(out, Double.doubleToRawLongBits(vs[i]));
      }
      out.finish();
      return;
    }
    dst.put(PackedLayout.VALUES_DECIMAL).put(k);
    long[] m = new long[n];
    int stale = 0;
    long prev = 0;
    for (int i = 0; i < n; i++) {
      double v = vs[from + i];
      if (StaleNaN.is(v)) {
        m[i] = prev; // keep deltas small across the marker; its position restores it
        stale++;
      } else {
        m[i] = (long) Math.rint(v * POW10[k]);
        prev = m[i];
      }
    }
    dst.putVarint(m[0]);
    dst.putUvarint(stale);
    int last = 0;
    for (int i = 0; i < n && stale > 0; i++) {
      if (StaleNaN.is(vs[from + i])) {
        dst.putUvarint(i - last);
        last = i;
      }
    }
    if (n == 1) {
      return;
    }
    long dmin = Long.MAX_VALUE;
    for (int i = 1; i < n; i++) {
      dmin = Math.min(dmin, m[i] - m[i - 1]);
    }
    long g = 0;
    for (int i = 1; i < n; i++) {
      g = gcd(g, m[i] - m[i - 1] - dmin);
    }
    if (g == 0) {
      g = 1;
    }
    dst.putVarint(dmin).putUvarint(g);
    BitOutput out = new BitOutput().reset(dst);
    for (int gs = 1; gs < n; gs += PackedLayout.GROUP) {
      int ge = Math.min(n, gs + PackedLayout.GROUP);
      long max = 0;
      for (int i = gs; i < ge; i++) {
        max |= (m[i] - m[i - 1] - dmin) / g; // OR gives the same highest bit as max, for free
      }
      int w = 64 - Long.numberOfLeadingZeros(max);
      out.writeBits(w, PackedLayout.WIDTH_BITS);
      if (w > 0) {
        for (int i = gs; i < ge; i++) {
          out.writeBits((m[i] - m[i - 1] - dmin) / g, w);
        }
      }
    }
    out.finish();
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  /**
   * The smallest number of decimals {@code k} such that every value but staleness markers is exactly
   * {@code m / 10^k} with an integer {@code |m| < 2^53}; -1 when there is none (full-precision
   * floats, NaN, infinities, -0.0, huge values).
   */
  static int decimalExponent(double[] vs, int from, int n) {
    int k = 0;
    for (int i = from; i < from + n; i++) {
      double v = vs[i];
      if (StaleNaN.is(v)) {
        continue;
      }
      int vk = decimals(v, k);
      if (vk < 0) {
        return -1;
      }
      k = Math.max(k, vk);
    }
    // A value exact with fewer decimals need not be exact with more (rounding of v * 10^k): check.
    for (int i = from; i < from + n; i++) {
      if (!StaleNaN.is(vs[i]) && !exact(vs[i], k)) {
        return -1;
      }
    }
    return k;
  }

  private static int decimals(double v, int atLeast) {
    if (Double.isNaN(v) || Double.isInfinite(v) || Double.doubleToRawLongBits(v) == Long.MIN_VALUE) {
      return -1; // -0.0 would come back as +0.0
    }
    for (int k = atLeast; k <= PackedLayout.MAX_DECIMALS; k++) {
      if (exact(v, k)) {
        return k;
      }
    }
    return -1;
  }

  private static boolean exact(double v, int k) {
    double m = Math.rint(v * POW10[k]);
    return Math.abs(m) < PackedLayout.MAX_MANTISSA
        && Double.doubleToRawLongBits(m / POW10[k]) == Double.doubleToRawLongBits(v);
  }

  /**
   * Decodes {@code n} values at the reader's byte-aligned position into {@code out}.
   *
   * @throws DecodeException if the data is damaged
   */
  static void decodeValues(BitInput in, int n, double[] out, XorValues.Decoder xor) {
    int mode = (int) in.read(8);
    if (mode == PackedLayout.VALUES_XOR) {
      xor.reset();
      if (n > 0) {
        out[0] = Double.longBitsToDouble(xor.first(in));
      }
      for (int i = 1; i < n; i++) {
        out[i] = Double.longBitsToDouble(xor.next(in));
        if ((i & 31) == 0) {
          in.checkOverrun("value " + i + " of " + n);
        }
      }
      in.checkOverrun("the values");
      return;
    }
    if (mode != PackedLayout.VALUES_DECIMAL) {
      throw new DecodeException(in.bitPosition() >>> 3, "unknown PACKED value mode " + mode);
    }
    int k = (int) in.read(8);
    if (k > PackedLayout.MAX_DECIMALS) {
      throw new DecodeException(in.bitPosition() >>> 3, "decimal exponent " + k + " out of range");
    }
    double p = POW10[k];
    long m = in.readVarint();
    long staleCount = in.readUvarint();
    if (staleCount > n) {
      throw new DecodeException(in.bitPosition() >>> 3, staleCount + " staleness markers in " + n + " values");
    }
    int[] stale = staleCount == 0 ? null : new int[(int) staleCount];
    long pos = 0;
    for (int j = 0; j < staleCount; j++) {
      pos += in.readUvarint();
      if (pos >= n) {
        throw new DecodeException(in.bitPosition() >>> 3, "staleness marker at " + pos + " of " + n + " values");
      }
      stale[j] = (int) pos;
    }
    out[0] = m / p;
    if (n > 1) {
      long dmin = in.readVarint();
      long g = in.readUvarint();
      for (int gs = 1; gs < n; gs += PackedLayout.GROUP) {
        int ge = Math.min(n, gs + PackedLayout.GROUP);
        int w = (int) in.read(PackedLayout.WIDTH_BITS);
        if (w > 64) {
          throw new DecodeException(in.bitPosition() >>> 3, "bit width " + w + " out of range");
        }
        if (w == 0) {
          for (int i = gs; i < ge; i++) {
            m += dmin;
            out[i] = m / p;
          }
        } else {
          for (int i = gs; i < ge; i++) {
            m += dmin + in.readLong(w) * g;
            out[i] = m / p;
          }
        }
        in.checkOverrun("value group at " + gs + " of " + n);
      }
    }
    // Staleness markers go back where they were (their integers only carried the previous value).
    if (stale != null) {
      for (int at : stale) {
        out[at] = StaleNaN.VALUE;
      }
    }
  }

  @Override
  public Encoding encoding() {
    return Encoding.PACKED;
  }

  @Override
  public int numSamples() {
    return (int) ByteDecoder.of(data).uvarint();
  }

  @Override
  public byte[] bytes() {
    return data;
  }

  @Override
  public SampleIterator iterator(SampleIterator reuse) {
    PackedIterator it = reuse instanceof PackedIterator p ? p : new PackedIterator();
    return it.reset(data, 0, data.length, column);
  }

  @Override
  public String toString() {
    return "PackedChunk[" + numSamples() + " samples, " + data.length + " bytes]";
  }
}
