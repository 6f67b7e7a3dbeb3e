package io.vigil.tsdb.head;

import io.vigil.model.Labels;
import io.vigil.tsdb.chunkenc.XorAppendState;
import io.vigil.tsdb.chunkenc.XorLayout;
import io.vigil.tsdb.query.Intervals;
import java.util.Arrays;

/**
 * One series in the head: its labels, completed chunks (byte arrays, immutable once cut), the open
 * chunk being appended to (its encoder state inherited, so appending touches this object and one
 * array), out-of-order samples, and what readers need for isolation.
 *
 * <p>All mutable state is guarded by the object's monitor. Appenders hold it for one sample at a
 * time; readers hold it only to take a {@link ChunkSnapshot}, after which they decode without it, so
 * a long query never blocks appends.
 */
final class MemSeries extends XorAppendState {
  private static final byte[][] NO_CHUNKS = new byte[0][];
  private static final long[] NO_TIMES = new long[0];
  /**
   * The first open chunk's capacity, before there is a rate to project from: the header and first
   * sample take 16 bytes, and a 120-sample chunk of real data needs 150-500.
   */
  private static final int OPEN_CHUNK_INITIAL_BYTES = 36;
  /**
   * Bytes of the header and the first sample (2-byte count, a 6-byte varint of a millisecond
   * timestamp of this century, 8 bytes of value), left out when projecting bytes per sample.
   */
  private static final int FIRST_SAMPLE_BYTES = 16;
  /**
   * Samples of room the open chunk gets at a time: a third of a chunk, so a chunk grows twice or three
   * times (not seven, as doubling from 32 bytes did; growth copies were most of replay's allocation)
   * while an open chunk wastes at most a third of its bytes in between (a whole chunk allocated up
   * front would waste half of one on average).
   */
  private static final int STEP_SAMPLES = 40;
  /**
   * A byte array's header with compact object headers (which Vigil runs with): arrays are padded to 8
   * bytes, so an array of {@code 8k - 12} bytes costs the same heap as one up to 7 bytes shorter.
   */
  private static final int ARRAY_HEADER_BYTES = 12;

  final int ref;
  final Labels labels;

  /**
   * Completed chunks. An array may be up to 7 bytes longer than its chunk (zeros in what would be
   * alignment padding anyway); the count in the chunk's header says where the samples end.
   */
  private byte[][] chunks = NO_CHUNKS;
  /** minT, maxT of each completed chunk. */
  private long[] chunkTimes = NO_TIMES;
  private int numChunks;

  private long openMinT;
  /** The open chunk is cut before a sample at or after this time (the next block-range boundary). */
  private long cutAt;

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
    return numChunks > 0 || chunkArray() != null;
  }

  /** Newest in-order sample time, Long.MIN_VALUE when there is none. */
  long maxT() {
    return lastT();
  }

  /** Oldest in-order sample time, Long.MAX_VALUE when there is none. */
  long minT() {
    return numChunks > 0 ? chunkTimes[0] : chunkArray() != null ? openMinT : Long.MAX_VALUE;
  }

  int numChunks() {
    return numChunks + (chunkArray() != null ? 1 : 0);
  }

  /**
   * Appends an in-order sample ({@code t > maxT}, checked by the caller).
   *
   * @param chunkRangeMs block range: chunks never span a multiple of it
   * @return bytes of memory added (chunk bytes and buffer growth), for the head's accounting
   */
  long appendInOrder(long t, long valueBits, long chunkRangeMs) {
    long added = 0;
    byte[] open = chunkArray();
    if (open != null && (numSamples() >= XorLayout.HEAD_MAX_SAMPLES || t >= cutAt)) {
      added += cutOpenChunk();
      open = null;
    }
    if (open == null) {
      long nextCut = nextBoundary(t, chunkRangeMs);
      open = new byte[firstCapacity(t, nextCut)];
      added += open.length;
      startChunk(open, 0);
      openMinT = t;
      cutAt = nextCut;
    }
    appendSample(t, valueBits);
    return added + chunkArray().length - open.length;
  }

  /**
   * The capacity of a new open chunk starting at {@code t}: what the previous chunk's bytes per sample
   * project for its next {@link #STEP_SAMPLES} samples.
   */
  private int firstCapacity(long t, long nextCut) {
    if (numChunks == 0) {
      return OPEN_CHUNK_INITIAL_BYTES;
    }
    byte[] prev = chunks[numChunks - 1];
    int prevSamples = ((prev[0] & 0xFF) << 8) | (prev[1] & 0xFF);
    // The array may be up to 7 bytes longer than the chunk: close enough for a projection.
    int prevBytes = prev.length;
    long span = chunkTimes[2 * numChunks - 1] - chunkTimes[2 * numChunks - 2];
    return projectedCapacity(FIRST_SAMPLE_BYTES, 1, prevBytes, prevSamples, span, t, nextCut);
  }

  /** Grows the open chunk by what its own rate projects for its next samples; never less than +1/8. */
  @Override
  protected byte[] grow(int minLength) {
    byte[] a = chunkArray();
    int n = numSamples();
    int projected = projectedCapacity(chunkEnd(), n, chunkEnd(), n, lastT() - openMinT, lastT(), cutAt);
    return Arrays.copyOf(a, padded(Math.max(minLength + 8, Math.max(projected, a.length + (a.length >> 3)))));
  }

  /**
   * Bytes a chunk of {@code bytes} and {@code samples} now needs for its next samples: its bytes per
   * sample after the first (measured over {@code rateBytes}, {@code rateSamples} and {@code rateSpanMs})
   * times {@link #STEP_SAMPLES} or the samples still due before the 120-sample limit or {@code nextCut}
   * if fewer, plus 1/32 and 8 bytes so slightly costlier samples still fit, padded to the array's alignment.
   */
  private static int projectedCapacity(int bytes, int samples, int rateBytes, int rateSamples, long rateSpanMs, long lastT,
      long nextCut) {
    if (rateSamples < 2) {
      return padded(Math.max(bytes + 8, OPEN_CHUNK_INITIAL_BYTES));
    }
    long left = Math.min(STEP_SAMPLES, XorLayout.HEAD_MAX_SAMPLES - samples);
    if (rateSpanMs > 0) {
      // Samples that arrive at the measured interval before the block boundary cuts the chunk.
      left = Math.min(left, (nextCut - 1 - lastT) * (rateSamples - 1) / rateSpanMs);
    }
    long perSampleBytes100 = Math.max(0, rateBytes - FIRST_SAMPLE_BYTES) * 100L / (rateSamples - 1);
    long need = bytes + (left * perSampleBytes100 + 99) / 100;
    return padded((int) Math.min(need + (need >> 5) + 8, 1 << 20));
  }

  /** The largest length with the same heap cost as {@code length}: arrays are padded to 8 bytes. */
  private static int padded(int length) {
    return ((ARRAY_HEADER_BYTES + length + 7) & ~7) - ARRAY_HEADER_BYTES;
  }

  /** Start of the block range after the one holding {@code t} (floor division for negative t). */
  static long nextBoundary(long t, long rangeMs) {
    return Math.floorDiv(t, rangeMs) * rangeMs + rangeMs;
  }

  /** Moves the open chunk to the completed list, trimmed to its length; returns the bytes added. */
  private long cutOpenChunk() {
    if (numChunks == chunks.length) {
      int n = Math.max(2, numChunks + (numChunks >> 1));
      chunks = Arrays.copyOf(chunks, n);
      chunkTimes = Arrays.copyOf(chunkTimes, 2 * n);
    }
    byte[] open = chunkArray();
    int length = chunkEnd();
    // Keep the array when copying would not free heap (the slack is alignment padding); readers may
    // still decode it without the lock, which is fine: it is never written again.
    byte[] done = padded(length) >= open.length ? open : Arrays.copyOf(open, length);
    chunks[numChunks] = done;
    chunkTimes[2 * numChunks] = openMinT;
    chunkTimes[2 * numChunks + 1] = lastT();
    numChunks++;
    endChunk();
    return done.length - open.length;
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
    maxTBeforeLast = lastT();
  }

  /** The newest in-order sample time a reader with this snapshot may see. */
  private long visibleMaxT(long snapshotSeq) {
    if (lastSeq <= snapshotSeq) {
      return lastT();
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
    byte[] open = chunkArray();
    boolean withOpen = open != null && openMinT <= visMax && lastT() >= mint;
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
      data[j] = open;
      lengths[j] = chunkEnd();
      counts[j] = numSamples();
      times[2 * j] = openMinT;
      times[2 * j + 1] = lastT();
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
    if (numChunks == 0 && chunkArray() != null && lastT() < mint) {
      freed += chunkArray().length;
      endChunk();
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
    if (chunkArray() != null) {
      b += chunkArray().length;
    }
    return b + (ooo == null ? 0 : ooo.bytes());
  }

  @Override
  public String toString() {
    return "MemSeries[" + ref + " " + labels + "]";
  }
}
