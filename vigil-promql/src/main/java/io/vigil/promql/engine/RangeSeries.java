package io.vigil.promql.engine;

import io.vigil.model.Labels;

/**
 * One series' raw points as parallel arrays ({@code t[0..n)} ascending), the input of range-vector
 * functions: loaded from storage for a matrix selector, or the points of a subquery.
 */
public final class RangeSeries {
  public Labels labels;
  public long[] t;
  public double[] v;
  public int n;
  public boolean dropName;

  public RangeSeries(Labels labels, long[] t, double[] v, int n) {
    this.labels = labels;
    this.t = t;
    this.v = v;
    this.n = n;
  }

  /** Index of the first point with timestamp > ms (binary search). */
  public int firstAfter(long ms) {
    int lo = 0;
    int hi = n;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (t[mid] <= ms) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
