package io.vigil.tsdb.chunkenc;

import io.vigil.tsdb.encoding.ByteBuf;

/**
 * A bit writer appending to a caller-owned {@link ByteBuf}. Up to 7 bits wait in an accumulator
 * until a byte is complete; {@link #finish()} pads the last byte with zeros. Bytes written before
 * this writer started are never touched. Not thread-safe.
 */
final class BitOutput implements BitSink {
  private ByteBuf dst;
  private long acc;
  private int accBits;

  BitOutput reset(ByteBuf dst) {
    this.dst = dst;
    acc = 0;
    accBits = 0;
    return this;
  }

  @Override
  public void writeBits(long v, int n) {
    if (n > 56) {
      // The accumulator holds < 8 pending bits; 56 more still fit in its 64.
      writeBits(v >>> 32, n - 32);
      writeBits(v, 32);
      return;
    }
    acc = (acc << n) | (v & ((1L << n) - 1));
    accBits += n;
    while (accBits >= 8) {
      accBits -= 8;
      dst.put((int) (acc >>> accBits));
    }
    acc &= (1L << accBits) - 1;
  }

  void writeUvarint(long v) {
    while ((v & ~0x7FL) != 0) {
      writeBits((v & 0x7F) | 0x80, 8);
      v >>>= 7;
    }
    writeBits(v, 8);
  }

  void writeVarint(long v) {
    writeUvarint((v << 1) ^ (v >> 63));
  }

  /** Pads the pending bits to a byte boundary; the writer may continue afterwards. */
  void finish() {
    if (accBits > 0) {
      dst.put((int) (acc << (8 - accBits)));
      acc = 0;
      accBits = 0;
    }
  }
}
