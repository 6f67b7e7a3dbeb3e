package io.vigil.tsdb.chunkenc;

/** Where encoders write bits: the low {@code n} bits of {@code v} (1 <= n <= 64), most significant first. */
interface BitSink {
  void writeBits(long v, int n);
}
