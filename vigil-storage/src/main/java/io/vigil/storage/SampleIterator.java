package io.vigil.storage;

/**
 * Iterates float samples of one series in strictly increasing timestamp order. Before the first
 * {@link #next()} or {@link #seek(long)} there is no current sample. Not thread-safe.
 */
public interface SampleIterator {
  SampleIterator EMPTY = new SampleIterator() {
    @Override
    public boolean next() {
      return false;
    }

    @Override
    public boolean seek(long timestampMs) {
      return false;
    }

    @Override
    public long atT() {
      throw new IllegalStateException("empty iterator");
    }

    @Override
    public double atV() {
      throw new IllegalStateException("empty iterator");
    }
  };

  /** Advances to the next sample; false at the end (and forever after). */
  boolean next();

  /**
   * Advances to the first sample with timestamp >= {@code timestampMs}. If the current sample
   * already qualifies, stays there. Never moves backwards. False if there is no such sample.
   */
  boolean seek(long timestampMs);

  long atT();

  /** The current value; staleness markers come back bit-exact ({@link io.vigil.model.StaleNaN}). */
  double atV();
}
