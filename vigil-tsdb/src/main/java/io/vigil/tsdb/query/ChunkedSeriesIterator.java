package io.vigil.tsdb.query;

import io.vigil.storage.SampleIterator;

/**
 * Iterates one series stored as time-ordered, non-overlapping chunks, restricted to the inclusive
 * range {@code [mint, maxt]} and skipping deleted intervals. Chunks outside the range, or wholly
 * deleted, are never decoded. Subclasses say where chunk {@code i} is (head memory, a mapped block
 * file). Reusable through {@link #resetRange}; not thread-safe.
 */
public abstract class ChunkedSeriesIterator implements SampleIterator {
  private SampleIterator chunkIt = SampleIterator.EMPTY;
  private int chunk;
  private long mint;
  private long maxt;
  private Intervals deleted = Intervals.NONE;
  private boolean positioned;
  private boolean done;

  protected abstract int chunkCount();

  protected abstract long chunkMinT(int i);

  protected abstract long chunkMaxT(int i);

  /** An iterator reset to chunk {@code i} (subclasses keep reusable ones per encoding). */
  protected abstract SampleIterator loadChunk(int i);

  /** Starts over with a new range; subclasses call this after pointing at a new chunk list. */
  protected final void resetRange(long mint, long maxt, Intervals deleted) {
    this.mint = mint;
    this.maxt = maxt;
    this.deleted = deleted == null ? Intervals.NONE : deleted;
    chunk = -1;
    chunkIt = SampleIterator.EMPTY;
    positioned = false;
    done = false;
  }

  @Override
  public final boolean next() {
    if (done) {
      return false;
    }
    while (true) {
      if (chunk < 0 || !chunkIt.next()) {
        if (!openNextChunk(mint)) {
          return finish();
        }
        continue;
      }
      if (accept()) {
        return positioned = true;
      }
      if (done) {
        return finish();
      }
    }
  }

  @Override
  public final boolean seek(long timestampMs) {
    if (done) {
      return false;
    }
    if (positioned && chunkIt.atT() >= timestampMs) {
      return true;
    }
    long target = Math.max(timestampMs, mint);
    if (chunk < 0 || chunkMaxT(chunk) < target) {
      if (!openNextChunk(target)) {
        return finish();
      }
    }
    if (chunkIt.seek(target) && accept()) {
      return positioned = true;
    }
    if (done) {
      return finish();
    }
    while (next()) {
      if (chunkIt.atT() >= timestampMs) {
        return true;
      }
    }
    return false;
  }

  @Override
  public final long atT() {
    return chunkIt.atT();
  }

  @Override
  public final double atV() {
    return chunkIt.atV();
  }

  private boolean accept() {
    long t = chunkIt.atT();
    if (t > maxt) {
      done = true;
      return false;
    }
    return t >= mint && (deleted.isEmpty() || !deleted.contains(t));
  }

  private boolean openNextChunk(long minNeeded) {
    int n = chunkCount();
    while (++chunk < n) {
      if (chunkMinT(chunk) > maxt) {
        return false;
      }
      if (chunkMaxT(chunk) < minNeeded || (!deleted.isEmpty() && deleted.covers(chunkMinT(chunk), chunkMaxT(chunk)))) {
        continue;
      }
      chunkIt = loadChunk(chunk);
      return true;
    }
    return false;
  }

  private boolean finish() {
    done = true;
    positioned = false;
    return false;
  }
}
