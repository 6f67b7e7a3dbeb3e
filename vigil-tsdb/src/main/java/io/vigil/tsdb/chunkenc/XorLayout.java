package io.vigil.tsdb.chunkenc;

/** Sizes of the XOR chunk encoding; see docs/format/chunks.md. */
public final class XorLayout {
  private XorLayout() {}

  /** The u16 sample count that starts every XOR chunk. */
  public static final int HEADER_BYTES = 2;
  /** A u16 count bounds a chunk; the head cuts far earlier (see HEAD_MAX_SAMPLES). */
  public static final int MAX_SAMPLES = 0xFFFF;
  /**
   * Samples per head chunk, as in Prometheus: by 120 samples the XOR stream has amortised its 8-byte
   * first value and reached its steady ratio, and a query decodes at most 119 samples it does not need.
   */
  public static final int HEAD_MAX_SAMPLES = 120;

  /** Delta-of-delta buckets: prefix bits, prefix length and payload bits, smallest first. */
  static final int DOD_BITS_1 = 14;
  static final int DOD_BITS_2 = 17;
  static final int DOD_BITS_3 = 20;

  /** Leading-zero counts are stored in 5 bits, so they are capped at 31. */
  static final int MAX_LEADING = 31;
  static final int LEADING_BITS = 5;
  /** Meaningful-bit counts 1..64 stored in 6 bits; 64 is written as 0. */
  static final int SIGNIFICANT_BITS = 6;
}
