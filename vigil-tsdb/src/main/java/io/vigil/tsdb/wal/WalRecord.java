package io.vigil.tsdb.wal;

import io.vigil.model.Labels;

/**
 * A decoded WAL record. Arrays hold {@code n} entries (they may be longer): replay decodes into
 * primitive arrays, not an object per sample.
 */
public sealed interface WalRecord {
  /** Series creations with their fixed references. */
  record Series(int[] refs, Labels[] labels, int n) implements WalRecord {}

  /** One committed batch; values are raw IEEE 754 bits. */
  record Samples(int[] refs, long[] ts, long[] valueBits, int n) implements WalRecord {}

  /** Deleted inclusive ranges {@code [mint, maxt]} per series. */
  record Tombstones(int[] refs, long[] mints, long[] maxts, int n) implements WalRecord {}
}
