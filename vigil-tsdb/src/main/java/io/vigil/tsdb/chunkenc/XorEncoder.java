package io.vigil.tsdb.chunkenc;

import io.vigil.tsdb.encoding.ByteBuf;

/**
 * Appends samples to one XOR chunk at the end of a caller-owned {@link ByteBuf}. The chunk occupies
 * the destination from the offset {@link #reset} returned to its end; bytes before that offset are
 * never touched, and bytes must not be appended by anyone else while the chunk is open. Reusable
 * for chunk after chunk. Not thread-safe.
 *
 * <p>Callers guarantee strictly increasing timestamps (the head validates before appending). The
 * encoding itself is {@link XorAppendState}'s, which the head's series embed instead.
 */
public final class XorEncoder extends XorAppendState {
  private ByteBuf dst;

  /** Starts a new chunk at the end of {@code dst}; returns the offset where it starts. */
  public int reset(ByteBuf dst) {
    this.dst = dst;
    int start = dst.length();
    dst.putShortBE(0);
    startChunk(dst.array(), start);
    return start;
  }

  @Override
  protected byte[] grow(int minLength) {
    dst.ensure(minLength - dst.length());
    return dst.array();
  }

  /** Offset of the chunk in the destination. */
  public int start() {
    return chunkStart();
  }

  /** Bytes the chunk occupies so far. */
  public int sizeBytes() {
    return chunkEnd() - chunkStart();
  }

  public void append(long timestampMs, double value) {
    appendSample(timestampMs, Double.doubleToRawLongBits(value)); // raw: NaN payloads (StaleNaN) must survive
    dst.advance(chunkEnd() - dst.length());
  }
}
