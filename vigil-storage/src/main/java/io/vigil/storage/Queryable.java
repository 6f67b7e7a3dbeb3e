package io.vigil.storage;

/** Something that can be read from over a time range. Thread-safe. */
public interface Queryable {
  /**
   * A querier that sees samples with {@code mint <= t <= maxt} (inclusive, milliseconds) as of now:
   * batches committed later are not visible through it. Close it when done.
   */
  Querier querier(long mint, long maxt);
}
