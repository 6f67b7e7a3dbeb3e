package io.vigil.tsdb.chunkenc;

import io.vigil.storage.SampleIterator;
import io.vigil.tsdb.encoding.DecodeException;
import io.vigil.tsdb.query.ArraySampleIterator;
import java.lang.foreign.MemorySegment;

/**
 * Iterates a PACKED chunk. {@link #reset} decodes the whole chunk into arrays (at most a few hundred
 * samples), so iteration and seeks are array walks. Reusable; not thread-safe.
 */
public final class PackedIterator implements SampleIterator {
  /** Supplies the decoded shared timestamp column of a reference (blocks cache them). */
  public interface Columns {
    long[] column(long ref);
  }

  private final BitInput in = new BitInput();
  private final XorValues.Decoder xor = new XorValues.Decoder();
  private final int[] count = new int[1];
  private long[] ownTs = new long[PackedLayout.BLOCK_MAX_SAMPLES];
  private long[] ts;
  private double[] vs = new double[PackedLayout.BLOCK_MAX_SAMPLES];
  private int n;
  private final ArraySampleIterator cursor = new ArraySampleIterator(ownTs, vs, 0);

  /** Resets to a chunk in a byte array; {@code column} is the resolved column of a referring chunk. */
  public PackedIterator reset(byte[] src, int off, int len, long[] column) {
    in.reset(src, off, len);
    return decode(column == null ? null : ref -> column);
  }

  /** Resets to a chunk in a mapped block file, resolving a shared column through {@code columns}. */
  public PackedIterator reset(MemorySegment seg, long off, int len, Columns columns) {
    in.reset(seg, off, len);
    return decode(columns);
  }

  private PackedIterator decode(Columns columns) {
    long c = in.readUvarint();
    if (c > 1 << 24) {
      throw new DecodeException(0, "PACKED chunk of " + c + " samples");
    }
    n = (int) c;
    int tsMode = (int) in.read(8);
    if (tsMode == PackedLayout.TS_REFERENCE) {
      long ref = in.readUvarint();
      if (columns == null) {
        throw new DecodeException(0, "PACKED chunk refers to timestamp column " + ref + " but none was given");
      }
      ts = columns.column(ref);
      if (ts.length != n) {
        throw new DecodeException(0, "timestamp column " + ref + " holds " + ts.length + " timestamps, the chunk " + n);
      }
    } else if (tsMode == PackedLayout.TS_INLINE) {
      ownTs = TimestampColumn.decode(in, ownTs, count);
      if (count[0] != n) {
        throw new DecodeException(0, "inline timestamp column holds " + count[0] + " timestamps, the chunk " + n);
      }
      ts = ownTs;
    } else {
      throw new DecodeException(0, "unknown PACKED timestamp mode " + tsMode);
    }
    if (vs.length < n) {
      vs = new double[n];
    }
    PackedChunk.decodeValues(in, n, vs, xor);
    cursor.reset(ts, vs, n);
    return this;
  }

  @Override
  public boolean next() {
    return cursor.next();
  }

  @Override
  public boolean seek(long timestampMs) {
    return cursor.seek(timestampMs);
  }

  @Override
  public long atT() {
    return cursor.atT();
  }

  @Override
  public double atV() {
    return cursor.atV();
  }
}
