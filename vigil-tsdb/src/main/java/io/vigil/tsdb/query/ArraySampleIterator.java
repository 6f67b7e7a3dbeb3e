package io.vigil.tsdb.query;

import io.vigil.storage.SampleIterator;

/** Iterates parallel timestamp/value arrays {@code [0, n)}, sorted by timestamp. Reusable. */
public final class ArraySampleIterator implements SampleIterator {
  private long[] ts;
  private double[] vs;
  private int n;
  private int i;

  public ArraySampleIterator(long[] ts, double[] vs, int n) {
    reset(ts, vs, n);
  }

  public ArraySampleIterator reset(long[] ts, double[] vs, int n) {
    this.ts = ts;
    this.vs = vs;
    this.n = n;
    this.i = -1;
    return this;
  }

  @Override
  public boolean next() {
    if (i < n) {
      i++;
    }
    return i < n;
  }

  @Override
  public boolean seek(long timestampMs) {
    if (i < 0) {
      i = 0;
    }
    while (i < n && ts[i] < timestampMs) {
      i++;
    }
    return i < n;
  }

  @Override
  public long atT() {
    return ts[i];
  }

  @Override
  public double atV() {
    return vs[i];
  }
}
