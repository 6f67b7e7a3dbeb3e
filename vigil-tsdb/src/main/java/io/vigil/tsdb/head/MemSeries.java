package io.vigil.tsdb.head;

import io.vigil.model.Labels;
import io.vigil.tsdb.chunkenc.XorEncoder;
import io.vigil.tsdb.chunkenc.XorLayout;
import io.vigil.tsdb.encoding.ByteBuf;
import io.vigil.tsdb.query.Intervals;
import java.util.Arrays;

/**
 * One series in the head: its labels, completed chunks (exact byte arrays, immutable once cut), the
 * open chunk being appended to, out-of-order samples, and what readers need for isolation.
 *
 * <p>All mutable state is guarded by the object's monitor. Appenders hold it for one sample at a
 * time; readers hold it only to take a {@link ChunkSnapshot}, after which they decode without it, so
 * a long query never blocks appends.
 */
final class MemSeries {
  private static final byte[][] NO_CHUNKS = new byte[0][];
  private static final long[] NO_TIMES = new long[0];
  /** The open chunk's first capacity: a 120-sample chunk of regular data needs 150-300 bytes. */
  private static final int OPEN_CHUNK_INITIAL_BYTES = 32;

  final int ref;
  final Labels labels;

  private byte[][] chunks = NO_CHUNKS;
  /** minT, maxT of each completed chunk. */
  private long[] chunkTimes = NO_TIMES;
  private int numChunks;

  private ByteBuf open;
  private XorEncoder enc;
  private long openMinT;
  /** The open chunk is cut before a sample at or after this time (the next block-range boundary). */
  private long cutAt;

  /** Newest in-order sample time, Long.MIN_VALUE when there is none. */
  long maxT = Long.MIN_VALUE;
  long lastValueBits;

  // Isolation: the series' maxT before each commit that readers may still need to hide.
  private long lastSeq;
  private long maxTBeforeLast = Long.MIN_VALUE;
  private long[] olderCommits;
  private int olderCount;

  /** Appenders with samples of this series not yet committed or rolled back: blocks GC. */
  int pendingCommits;
  /** The appender that appended last and the time of its newest pending sample. */
  Object pendingOwner;
  long pendingMaxT;
  long pendingBits;
  /** Set (under the monitor) when truncation removed the series; appenders then look it up again. */
  boolean removed;

  OooSamples ooo;
  Intervals deleted = Intervals.NONE;
  /** Whether a series record for this series has been written to the WAL. */
  boolean walLogged;

  MemSeries(int ref, Labels labels) {
    this.ref = ref;
    this.labels = labels;
  }

  boolean hasSamples() {
    return numChunks > 0 || open != null;
  }

  /** Oldest in-order sample time, Long.MAX_VALUE when there is none. */
  long minT() {
    return numChunks > 0 ? chunkTimes[0] : open != null ? openMinT : Long.MAX_VALUE;
  }

  int numChunks() {
    return numChunks + (open != null ? 1 : 0);
  }

  /**
   * Appends an in-order sample ({@code t > maxT}, checked by the caller).
   *
   * @param chunkRangeMs block range: chunks never span a multiple of it
   * @return bytes of memory added (chunk bytes and buffer growth), for the head's accounting
   */
  long appendInOrder(long t, long valueBits, long chunkRangeMs) {
    long added = 0;
    if (open != null && (enc.numSamples() >= XorLayout.HEAD_MAX_SAMPLES || t >= cutAt)) {
      added += cutOpenChunk();
    }
    if (open == null) {
      open = new ByteBuf(OPEN_CHUNK_INITIAL_BYTES);
      added += OPEN_CHUNK_INITIAL_BYTES;
      if (enc == null) {
        enc = new XorEncoder();
      }
      enc.reset(open);
      openMinT = t;
      cutAt = nextBoundary(t, chunkRangeMs);
    }
    int capBefore = open.array().length;
    enc.append(t, Double.longBitsToDouble(valueBits));
    added += open.array().length - capBefore;
    maxT = t;
    lastValueBits = valueBits;
    return added;
  }

  /** Start of the block range after the one holding {@code t} (floor division for negative t). */
  static long nextBoundary(long t, long rangeMs) {
    return Math.floorDiv(t, rangeMs) * rangeMs + rangeMs;
  }

  /** Moves the open chunk to the completed list as an exact copy; returns the bytes added. */
  private long cutOpenChunk() {
    if (numChunks == chunks.length) {
      int n = Math.max(2, numChunks + (numChunks >> 1));
      chunks = Arrays.copyOf(chunks, n);
      chunkTimes = Arrays.copyOf(chunkTimes, 2 * n);
    }
    byte[] exact = open.toByteArray();
    chunks[numChunks] = exact;
    chunkTimes[2 * numChunks] = openMinT;
    chunkTimes[2 * numChunks + 1] = enc.lastT();
    numChunks++;
    long delta = exact.length - open.array().length;
    // A fresh buffer, not clear(): readers may still decode the old array without the lock.
    open = null;
    return delta;
  }

  /** Records that commit {@code seq} is about to change this series, before its first sample. */
  void noteCommit(long seq, long lowWatermark) {
    if (seq == lastSeq) {
      return;
    }
    if (lastSeq > lowWatermark) {
      // Some open reader may have a snapshot before lastSeq: keep that entry.
      if (olderCommits == null) {
        olderCommits = new long[4];
      }
      int keepFrom = 0;
      while (keepFrom < olderCount && olderCommits[2 * keepFrom] <= lowWatermark) {
        keepFrom++;
      }
      if (keepFrom > 0) {
        System.arraycopy(olderCommits, 2 * keepFrom, olderCommits, 0, 2 * (olderCount - keepFrom));
        olderCount -= keepFrom;
      }
      if (2 * olderCount + 2 > olderCommits.length) {
        olderCommits = Arrays.copyOf(olderCommits, olderCommits.length * 2);
      }
      olderCommits[2 * olderCount] = lastSeq;
      olderCommits[2 * olderCount + 1] = maxTBeforeLast;
      olderCount++;
    } else if (olderCommits != null) {
      olderCommits = null;
      olderCount = 0;
    }
    lastSeq = seq;
    maxTBeforeLast = maxT;
  }

  /** The newest in-order sample time a reader with this snapshot may see. */
  private long visibleMaxT(long snapshotSeq) {
    if (lastSeq <= snapshotSeq) {
      return maxT;
    }
    long visible = maxTBeforeLast;
    for (int i = olderCount - 1; i >= 0 && olderCommits[2 * i] > snapshotSeq; i--) {
      visible = olderCommits[2 * i + 1];
    }
    return visible;
  }

  /**
   * What a reader with {@code snapshotSeq} sees of this series in {@code [mint, maxt]}, or null if
   * nothing. Copies references only (chunk arrays are immutable; the open chunk is read up to the
   * sample count seen here).
   */
  ChunkSnapshot snapshot(long snapshotSeq, long mint, long maxt) {
    long visMax = Math.min(visibleMaxT(snapshotSeq), maxt);
    OooSamples.View oooView = ooo == null ? null : ooo.view(snapshotSeq, mint, maxt, deleted);
    int from = 0;
    while (from < numChunks && chunkTimes[2 * from + 1] < mint) {
      from++;
    }
    int to = from;
    while (to < numChunks && chunkTimes[2 * to] <= visMax) {
      to++;
    }
    boolean withOpen = open != null && openMinT <= visMax && enc.lastT() >= mint;
    if (from == to && !withOpen && oooView == null) {
      return null;
    }
    int n = to - from + (withOpen ? 1 : 0);
    byte[][] data = new byte[n][];
    int[] lengths = new int[n];
    int[] counts = new int[n];
    long[] times = new long[2 * n];
    for (int i = from; i < to; i++) {
      int j = i - from;
      data[j] = chunks[i];
      lengths[j] = chunks[i].length;
      counts[j] = -1; // from the header
      times[2 * j] = chunkTimes[2 * i];
      times[2 * j + 1] = chunkTimes[2 * i + 1];
    }
    if (withOpen) {
      int j = n - 1;
      data[j] = open.array();
      lengths[j] = open.length();
      counts[j] = enc.numSamples();
      times[2 * j] = openMinT;
      times[2 * j + 1] = enc.lastT();
    }
    return new ChunkSnapshot(data, lengths, counts, times, n, mint, Math.min(maxt, visMax), deleted, oooView);
  }

  /**
   * Drops in-order chunks that end before {@code mint}, and out-of-order samples before it.
   *
   * @return bytes freed
   */
  long truncateBefore(long mint, long oooFlushedSeq) {
    long freed = 0;
    int drop = 0;
    while (drop < numChunks && chunkTimes[2 * drop + 1] < mint) {
      freed += chunks[drop].length;
      drop++;
    }
    if (drop > 0) {
      System.arraycopy(chunks, drop, chunks, 0, numChunks - drop);
      System.arraycopy(chunkTimes, 2 * drop, chunkTimes, 0, 2 * (numChunks - drop));
      Arrays.fill(chunks, numChunks - drop, numChunks, null);
      numChunks -= drop;
    }
    if (numChunks == 0 && open != null && enc.lastT() < mint) {
      freed += open.array().length;
      open = null;
    }
    if (ooo != null) {
      freed += 24L * ooo.removeFlushed(Long.MIN_VALUE, mint, oooFlushedSeq);
      if (ooo.isEmpty()) {
        ooo = null;
      }
    }
    if (!deleted.isEmpty() && deleted.maxt(deleted.size() - 1) < mint) {
      deleted = Intervals.NONE;
    }
    return freed;
  }

  /** Heap bytes held by chunks (completed, open buffer, out-of-order), for memory accounting. */
  long chunkBytes() {
    long b = 0;
    for (int i = 0; i < numChunks; i++) {
      b += chunks[i].length;
    }
    if (open != null) {
      b += open.array().length;
    }
    return b + (ooo == null ? 0 : ooo.bytes());
  }

  @Override
  public String toString() {
    return "MemSeries[" + ref + " " + labels + "]";
  }
}
