package io.vigil.storage;

import io.vigil.model.Matcher;
import java.util.List;

/**
 * A consistent read view over a time range. Not thread-safe; results it returns (series, iterators)
 * are valid until {@link #close()}. Selecting needs at least one matcher that does not match the
 * empty string, as in Prometheus; callers (PromQL, the HTTP API) enforce that.
 */
public interface Querier extends AutoCloseable {
  /**
   * Series matching all matchers, with their samples in the querier's range (optionally narrowed by
   * {@code hints}). Lazily produced.
   *
   * @param sortSeries whether series must come sorted by labels ({@link io.vigil.model.Labels#compareTo})
   * @param hints may be null
   */
  SeriesSet select(boolean sortSeries, SelectHints hints, Matcher... matchers);

  /**
   * Sorted, distinct values of the label over series matching all matchers (all series if none),
   * at most {@code hints.limit()} of them when a limit is set.
   */
  List<String> labelValues(String name, LabelHints hints, Matcher... matchers);

  /** Sorted, distinct label names of series matching all matchers (all series if none). */
  List<String> labelNames(LabelHints hints, Matcher... matchers);

  @Override
  void close();
}
