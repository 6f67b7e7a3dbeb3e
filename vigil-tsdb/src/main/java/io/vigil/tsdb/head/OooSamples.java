package io.vigil.tsdb.head;

import io.vigil.tsdb.query.Intervals;
import java.util.Arrays;

/**
 * Out-of-order samples of one series (accepted only with an out-of-order window): sorted by time,
 * one sample per timestamp, each tagged with the commit that added it so readers can hide commits
 * after their snapshot. Kept uncompressed (24 bytes a sample): out-of-order data is the exception and
 * leaves the head at the next compaction. Guarded by the owning series' monitor.
 */
final class OooSamples {
  static final int INSERTED = 0;
  static final int DUPLICATE_IGNORED = 1;
  static final int DUPLICATE_CONFLICT = 2;

  private long[] ts = new long[4];
  private long[] bits = new long[4];
  private long[] seqs = new long[4];
  private int n;

  boolean isEmpty() {
    return n == 0;
  }

  int size() {
    return n;
  }

  long bytes() {
    return 24L * ts.length;
  }

  long minT() {
    return n == 0 ? Long.MAX_VALUE : ts[0];
  }

  long maxT() {
    return n == 0 ? Long.MIN_VALUE : ts[n - 1];
  }

  /** Inserts in time order; an existing timestamp keeps its sample (same value: ignored; other: conflict). */
  int insert(long t, long valueBits, long seq) {
    int i = Arrays.binarySearch(ts, 0, n, t);
    if (i >= 0) {
      return bits[i] == valueBits ? DUPLICATE_IGNORED : DUPLICATE_CONFLICT;
    }
    i = -i - 1;
    if (n == ts.length) {
      int cap = n * 2;
      ts = Arrays.copyOf(ts, cap);
      bits = Arrays.copyOf(bits, cap);
      seqs = Arrays.copyOf(seqs, cap);
    }
    System.arraycopy(ts, i, ts, i + 1, n - i);
    System.arraycopy(bits, i, bits, i + 1, n - i);
    System.arraycopy(seqs, i, seqs, i + 1, n - i);
    ts[i] = t;
    bits[i] = valueBits;
    seqs[i] = seq;
    n++;
    return INSERTED;
  }

  /** Samples in {@code [mint, maxt]} committed at or before {@code snapshotSeq}, minus deleted ones; null if none. */
  View view(long snapshotSeq, long mint, long maxt, Intervals deleted) {
    int from = lowerBound(mint);
    long[] vt = null;
    double[] vv = null;
    int m = 0;
    for (int i = from; i < n && ts[i] <= maxt; i++) {
      if (seqs[i] > snapshotSeq || (!deleted.isEmpty() && deleted.contains(ts[i]))) {
        continue;
      }
      if (vt == null) {
        vt = new long[Math.min(8, n - i)];
        vv = new double[vt.length];
      } else if (m == vt.length) {
        vt = Arrays.copyOf(vt, m * 2);
        vv = Arrays.copyOf(vv, m * 2);
      }
      vt[m] = ts[i];
      vv[m++] = Double.longBitsToDouble(bits[i]);
    }
    return m == 0 ? null : new View(vt, vv, m);
  }

  private int lowerBound(long t) {
    int i = Arrays.binarySearch(ts, 0, n, t);
    return i >= 0 ? i : -i - 1;
  }

  /** Drops samples in {@code [mint, maxt)} committed at or before {@code seq} (they were written to a block). */
  int removeFlushed(long mint, long maxt, long seq) {
    int w = 0;
    for (int i = 0; i < n; i++) {
      if (ts[i] >= mint && ts[i] < maxt && seqs[i] <= seq) {
        continue;
      }
      ts[w] = ts[i];
      bits[w] = bits[i];
      seqs[w++] = seqs[i];
    }
    int removed = n - w;
    n = w;
    return removed;
  }

  /** A reader's copy: sorted samples. */
  record View(long[] ts, double[] vs, int n) {}
}
