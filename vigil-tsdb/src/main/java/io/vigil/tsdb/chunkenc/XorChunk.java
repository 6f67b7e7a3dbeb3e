package io.vigil.tsdb.chunkenc;

import io.vigil.storage.SampleIterator;
import io.vigil.tsdb.encoding.ByteBuf;

/**
 * A Gorilla-style chunk: delta-of-delta timestamps, XOR-compressed values (docs/format/chunks.md).
 * Immutable once built; build one with {@link XorEncoder} or {@link #encode}.
 */
public final class XorChunk implements Chunk {
  private final byte[] data;

  XorChunk(byte[] data) {
    if (data.length < XorLayout.HEADER_BYTES) {
      throw new IllegalArgumentException("XOR chunk of " + data.length + " bytes is shorter than its header");
    }
    this.data = data;
  }

  /** Wraps bytes produced by {@link XorEncoder}; the array is owned by the chunk afterwards. */
  public static XorChunk wrap(byte[] data) {
    return new XorChunk(data);
  }

  /**
   * Encodes samples {@code [from, to)} of the arrays as one chunk appended to {@code dst}.
   *
   * @return the offset in {@code dst} where the chunk starts
   */
  public static int encode(long[] ts, double[] vs, int from, int to, ByteBuf dst) {
    XorEncoder enc = new XorEncoder();
    int start = enc.reset(dst);
    for (int i = from; i < to; i++) {
      enc.append(ts[i], vs[i]);
    }
    return start;
  }

  @Override
  public Encoding encoding() {
    return Encoding.XOR;
  }

  @Override
  public int numSamples() {
    return numSamples(data, 0);
  }

  static int numSamples(byte[] b, int off) {
    return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
  }

  @Override
  public byte[] bytes() {
    return data;
  }

  @Override
  public SampleIterator iterator(SampleIterator reuse) {
    XorIterator it = reuse instanceof XorIterator x ? x : new XorIterator();
    it.reset(data, 0, data.length);
    return it;
  }

  @Override
  public String toString() {
    return "XorChunk[" + numSamples() + " samples, " + data.length + " bytes]";
  }
}
