package io.vigil.storage;

/**
 * What the caller of {@link Querier#select} will do with the data, so storage may read less.
 *
 * @param startMs first timestamp the caller needs (inclusive)
 * @param endMs last timestamp the caller needs (inclusive)
 * @param stepMs query step, 0 for instant queries
 * @param func the PromQL function around the selector, "" if none; "series" means labels only
 * @param rangeMs the range of a range selector, 0 for instant selectors
 * @param limit at most this many series, 0 for no limit
 */
public record SelectHints(long startMs, long endMs, long stepMs, String func, long rangeMs, int limit) {
  public SelectHints {
    func = func == null ? "" : func;
  }

  /** Whether the caller only needs labels (e.g. /api/v1/series). */
  public boolean labelsOnly() {
    return func.equals("series");
  }
}
