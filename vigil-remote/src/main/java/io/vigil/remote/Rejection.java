package io.vigil.remote;

import io.vigil.storage.SampleRejectedException;

/**
 * Why the receiver did not store a sample: the {@code reason} label of
 * {@code vigil_remote_write_samples_rejected_total}. All but {@link #NATIVE_HISTOGRAM} make the
 * response a 400.
 */
enum Rejection {
  /** Older than the series' newest sample (storage's out-of-order check). */
  OUT_OF_ORDER("out_of_order"),
  /** Before the head's appendable window, or more than maxAhead in the future (as Prometheus). */
  OUT_OF_BOUNDS("out_of_bounds"),
  /** Same timestamp as a stored sample, different value. */
  DUPLICATE_TIMESTAMP("duplicate_timestamp"),
  /** Missing or invalid metric name, invalid or duplicate label names, invalid UTF-8, no labels. */
  INVALID_LABELS("invalid_labels"),
  /** More labels, or longer names or values, than the options allow. */
  LABEL_LIMITS("label_limits"),
  /** A storage limit (e.g. the head's series limit). */
  STORAGE_LIMIT("limit"),
  /** A native histogram sample: Vigil does not store them yet; skipped, the request still succeeds. */
  NATIVE_HISTOGRAM("native_histogram_unsupported");

  final String label;

  Rejection(String label) {
    this.label = label;
  }

  static Rejection of(SampleRejectedException.Reason reason) {
    return switch (reason) {
      case OUT_OF_ORDER -> OUT_OF_ORDER;
      case OUT_OF_BOUNDS -> OUT_OF_BOUNDS;
      case DUPLICATE_TIMESTAMP -> DUPLICATE_TIMESTAMP;
      case INVALID_LABELS, UNKNOWN_SERIES -> INVALID_LABELS;
      case LIMIT -> STORAGE_LIMIT;
    };
  }
}
