package io.vigil.storage;

import io.vigil.model.Labels;

/** One series of a {@link SeriesSet}: labels and a way to iterate its samples. */
public interface Series {
  Labels labels();

  /**
   * An iterator over the series' samples in the querier's range.
   *
   * @param reuse an iterator returned earlier by any series of the same querier, which the
   *     implementation may reset and return instead of allocating; may be null
   */
  SampleIterator iterator(SampleIterator reuse);
}
