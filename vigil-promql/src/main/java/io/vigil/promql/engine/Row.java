package io.vigil.promql.engine;

import io.vigil.model.Labels;
import java.util.Arrays;

/**
 * One series of an instant-vector result across all steps of an evaluation: {@code values[i]} is
 * the value at step i when bit i of {@code present} is set. Dense by step so that binary
 * operators and aggregations work by index; no object per point.
 */
public final class Row {
  public Labels labels;
  public final double[] values;
  public final long[] present;
  /** Delayed name removal: __name__ is to be dropped when the query finishes. */
  public boolean dropName;

  public Row(Labels labels, int steps) {
    this.labels = labels;
    this.values = new double[steps];
    this.present = new long[(steps + 63) >>> 6];
  }

  public Row(Labels labels, double[] values, long[] present) {
    this.labels = labels;
    this.values = values;
    this.present = present;
  }

  public boolean has(int i) {
    return (present[i >>> 6] & (1L << i)) != 0;
  }

  public void set(int i, double v) {
    values[i] = v;
    present[i >>> 6] |= 1L << i;
  }

  public void clear(int i) {
    present[i >>> 6] &= ~(1L << i);
  }

  public boolean isEmpty() {
    for (long w : present) {
      if (w != 0) {
        return false;
      }
    }
    return true;
  }

  public int count() {
    int n = 0;
    for (long w : present) {
      n += Long.bitCount(w);
    }
    return n;
  }

  /** A row with the same labels and no points. */
  public Row emptyLike() {
    Row r = new Row(labels, values.length);
    r.dropName = dropName;
    return r;
  }

  public Row copy() {
    Row r = new Row(labels, values.clone(), present.clone());
    r.dropName = dropName;
    return r;
  }

  /** Whether the two rows have a point at the same step. */
  public boolean overlaps(Row o) {
    for (int i = 0; i < present.length; i++) {
      if ((present[i] & o.present[i]) != 0) {
        return true;
      }
    }
    return false;
  }

  /** Copies o's points into this row (they must not overlap). */
  public void merge(Row o) {
    for (int w = 0; w < present.length; w++) {
      long bits = o.present[w];
      while (bits != 0) {
        int b = Long.numberOfTrailingZeros(bits);
        bits &= bits - 1;
        int i = (w << 6) + b;
        values[i] = o.values[i];
      }
      present[w] |= o.present[w];
    }
  }

  @Override
  public String toString() {
    return labels + " " + Arrays.toString(values);
  }
}
