package io.vigil.tsdb.head;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Read isolation by commit sequence numbers. Commits are applied one at a time in sequence order and
 * published here; a reader takes the last published sequence as its snapshot and hides everything
 * applied by later commits (series keep the maxT they had before each recent commit, see
 * {@link MemSeries#noteCommit}). The low watermark, the oldest snapshot still open, tells series
 * which of those records they may forget. Thread-safe.
 */
final class Isolation {
  private volatile long visibleSeq;
  private long lowWatermark;
  private long nextReaderId = 1;
  private final Map<Long, long[]> readers = new HashMap<>(); // id -> {snapshotSeq, mint}
  private final TreeMap<Long, Integer> snapshots = new TreeMap<>();

  /** Registers a reader; returns {reader id, snapshot seq}. */
  synchronized long[] openReader(long mint) {
    long id = nextReaderId++;
    long snap = visibleSeq;
    readers.put(id, new long[] {snap, mint});
    snapshots.merge(snap, 1, Integer::sum);
    recompute();
    return new long[] {id, snap};
  }

  synchronized void closeReader(long id) {
    long[] r = readers.remove(id);
    if (r == null) {
      return;
    }
    if (snapshots.merge(r[0], -1, Integer::sum) == 0) {
      snapshots.remove(r[0]);
    }
    recompute();
    notifyAll();
  }

  synchronized void publish(long seq) {
    visibleSeq = seq;
    recompute();
  }

  private void recompute() {
    lowWatermark = snapshots.isEmpty() ? visibleSeq : Math.min(visibleSeq, snapshots.firstKey());
  }

  /** No open reader has a snapshot older than this. */
  synchronized long lowWatermark() {
    return lowWatermark;
  }

  /** The id the next reader will get: readers with smaller ids are open now or closed. */
  synchronized long nextReaderId() {
    return nextReaderId;
  }

  /**
   * Waits until every reader with an id below {@code beforeId} whose range starts before {@code t}
   * has closed (or the timeout passes); returns whether none is left.
   */
  synchronized boolean awaitReadersBefore(long beforeId, long t, long timeoutMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (true) {
      boolean any = false;
      for (Map.Entry<Long, long[]> e : readers.entrySet()) {
        if (e.getKey() < beforeId && e.getValue()[1] < t) {
          any = true;
          break;
        }
      }
      long left = deadline - System.currentTimeMillis();
      if (!any) {
        return true;
      }
      if (left <= 0) {
        return false;
      }
      wait(left);
    }
  }

  synchronized int openReaders() {
    return readers.size();
  }
}
