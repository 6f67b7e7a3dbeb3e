package io.vigil.tsdb.query;

import java.util.Arrays;

/**
 * Deleted time ranges of one series: sorted, non-overlapping, non-touching inclusive intervals
 * {@code [mint, maxt]} stored as pairs in one array. Immutable; {@link #add} returns a new instance.
 */
public final class Intervals {
  public static final Intervals NONE = new Intervals(new long[0]);

  private final long[] pairs;

  private Intervals(long[] pairs) {
    this.pairs = pairs;
  }

  public static Intervals of(long mint, long maxt) {
    return NONE.add(mint, maxt);
  }

  public int size() {
    return pairs.length / 2;
  }

  public boolean isEmpty() {
    return pairs.length == 0;
  }

  public long mint(int i) {
    return pairs[2 * i];
  }

  public long maxt(int i) {
    return pairs[2 * i + 1];
  }

  /** This set plus {@code [mint, maxt]}, merging overlapping and adjacent intervals. */
  public Intervals add(long mint, long maxt) {
    if (mint > maxt) {
      return this;
    }
    long[] all = new long[pairs.length + 2];
    int i = 0;
    int w = 0;
    while (i < pairs.length && pairs[i] <= mint) {
      all[w++] = pairs[i++];
      all[w++] = pairs[i++];
    }
    all[w++] = mint;
    all[w++] = maxt;
    System.arraycopy(pairs, i, all, w, pairs.length - i);
    int n = 0;
    for (int j = 0; j < all.length; j += 2) {
      long lo = all[j];
      long hi = all[j + 1];
      // Merge when overlapping or touching (lo == previous hi + 1); MAX_VALUE cannot be incremented.
      if (n > 0 && (all[n - 1] == Long.MAX_VALUE || lo <= all[n - 1] + 1)) {
        all[n - 1] = Math.max(all[n - 1], hi);
      } else {
        all[n++] = lo;
        all[n++] = hi;
      }
    }
    return new Intervals(n == all.length ? all : Arrays.copyOf(all, n));
  }

  /** All intervals of {@code other} added to these. */
  public Intervals addAll(Intervals other) {
    Intervals r = this;
    for (int i = 0; i < other.size(); i++) {
      r = r.add(other.mint(i), other.maxt(i));
    }
    return r;
  }

  /** Whether {@code t} is inside an interval. */
  public boolean contains(long t) {
    int lo = 0;
    int hi = size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (pairs[2 * mid + 1] < t) {
        lo = mid + 1;
      } else if (pairs[2 * mid] > t) {
        hi = mid - 1;
      } else {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code [mint, maxt]} lies entirely inside one interval. */
  public boolean covers(long mint, long maxt) {
    for (int i = 0; i < size(); i++) {
      if (pairs[2 * i] <= mint && maxt <= pairs[2 * i + 1]) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Intervals other && Arrays.equals(pairs, other.pairs);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(pairs);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < size(); i++) {
      sb.append(i == 0 ? "" : ", ").append('[').append(mint(i)).append(", ").append(maxt(i)).append(']');
    }
    return sb.append(']').toString();
  }
}
