package io.vigil.storage;

/**
 * Merges several sample iterators of the same series into one in timestamp order. When sources
 * hold a sample at the same timestamp, the one from the earliest source in the array wins and the
 * others are skipped: sources are given in priority order. Not thread-safe.
 */
public final class MergeSampleIterator implements SampleIterator {
  private SampleIterator[] sources;
  /** Per source: whether it has a current sample at or after the merge position. */
  private boolean[] live;
  private int current = -1;
  private boolean started;

  public MergeSampleIterator(SampleIterator... sources) {
    reset(sources);
  }

  /** Starts over with new sources (reusing this object). */
  public MergeSampleIterator reset(SampleIterator... sources) {
    this.sources = sources;
    if (live == null || live.length < sources.length) {
      live = new boolean[sources.length];
    }
    current = -1;
    started = false;
    return this;
  }

  /** The sources, for callers that reuse their iterators. */
  public SampleIterator[] sources() {
    return sources;
  }

  @Override
  public boolean next() {
    if (!started) {
      started = true;
      for (int i = 0; i < sources.length; i++) {
        live[i] = sources[i].next();
      }
    } else if (current >= 0) {
      advancePast(sources[current].atT());
    } else {
      return false;
    }
    return pick();
  }

  @Override
  public boolean seek(long timestampMs) {
    if (started && current >= 0 && sources[current].atT() >= timestampMs) {
      return true;
    }
    if (started && current < 0) {
      return false;
    }
    for (int i = 0; i < sources.length; i++) {
      live[i] = (started ? live[i] : true) && sources[i].seek(timestampMs);
    }
    started = true;
    return pick();
  }

  /** Moves every source whose current sample is at {@code t} (duplicates included) forward. */
  private void advancePast(long t) {
    for (int i = 0; i < sources.length; i++) {
      if (live[i] && sources[i].atT() <= t) {
        live[i] = sources[i].next();
      }
    }
  }

  private boolean pick() {
    current = -1;
    long best = Long.MAX_VALUE;
    for (int i = 0; i < sources.length; i++) {
      if (live[i]) {
        long t = sources[i].atT();
        if (current < 0 || t < best) {
          best = t;
          current = i;
        }
      }
    }
    return current >= 0;
  }

  @Override
  public long atT() {
    return sources[current].atT();
  }

  @Override
  public double atV() {
    return sources[current].atV();
  }
}
