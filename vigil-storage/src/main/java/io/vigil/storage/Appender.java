package io.vigil.storage;

import io.vigil.model.Labels;

/**
 * A batch of appends that ends in exactly one {@link #commit()} or {@link #rollback()}.
 *
 * <p>Not thread-safe: one appender per thread (a scrape loop, a push handler, a remote-write
 * request). Samples appended here are invisible to queriers until commit, and a commit is atomic:
 * after it returns, all of the batch is visible and durable; if it throws, none of it is.
 *
 * <p>Each append returns a series reference. Callers keep it (a scrape cache, a push group) and pass
 * it back on later batches so the labels need not be hashed and looked up again. References stay
 * valid while the series lives in the storage; a stale or foreign reference is not an error when
 * labels are given: the series is then found (or created) by its labels.
 *
 * <p>Rejected samples (out of order, too old, conflicting duplicate) throw
 * {@link SampleRejectedException} at append time and do not spoil the rest of the batch: the caller
 * decides whether to continue (a scrape counts and continues) or roll back (a push is all or
 * nothing).
 */
public interface Appender {
  /**
   * Appends one float sample.
   *
   * @param ref a reference returned by an earlier append for these labels, or 0 if none is known
   * @param labels the series' labels; must be non-empty and carry a metric name in normal use
   * @return the series reference, never 0
   * @throws SampleRejectedException if this sample cannot be stored; the batch stays usable
   * @throws StorageException if the storage has failed or is closed
   */
  long append(long ref, Labels labels, long timestampMs, double value);

  /** {@link #append(long, Labels, long, double)} without a known reference. */
  default long append(Labels labels, long timestampMs, double value) {
    return append(0, labels, timestampMs, value);
  }

  /**
   * Appends to a series by reference only: the fast path for callers that cached the reference.
   *
   * @throws SampleRejectedException with reason {@link SampleRejectedException.Reason#UNKNOWN_SERIES}
   *     when the reference is not (or no longer) known; retry with labels
   */
  void append(long ref, long timestampMs, double value);

  /**
   * Makes the batch visible and durable: when this returns, the samples survive a crash.
   *
   * @throws StorageException if the batch could not be made durable (e.g. the disk is full); then
   *     nothing of it is visible and the appender is closed
   */
  void commit();

  /** Discards the batch. Safe to call after a failed commit and more than once. */
  void rollback();
}
