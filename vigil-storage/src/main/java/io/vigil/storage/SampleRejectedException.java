package io.vigil.storage;

/**
 * One sample that the storage will not accept. Thrown at append time; the appender stays usable.
 * Carries no stack trace: scrapes and remote writes may reject many samples and callers only count
 * them by {@link #reason()}.
 */
public final class SampleRejectedException extends RuntimeException {
  /** Why; the names follow Prometheus's storage errors and become metric label values. */
  public enum Reason {
    /** Older than the newest sample of the series and no out-of-order window allows it. */
    OUT_OF_ORDER("out_of_order"),
    /** Older than the head's appendable window (before the oldest time the head still accepts). */
    OUT_OF_BOUNDS("out_of_bounds"),
    /** Same timestamp as an existing sample but a different value. */
    DUPLICATE_TIMESTAMP("duplicate_timestamp"),
    /** Empty label set, duplicate or invalid label names. */
    INVALID_LABELS("invalid_labels"),
    /** A series-count or similar limit was reached. */
    LIMIT("limit"),
    /** {@link Appender#append(long, long, double)} with a reference that is not known. */
    UNKNOWN_SERIES("unknown_series");

    private final String label;

    Reason(String label) {
      this.label = label;
    }

    /** The value used in metric labels, e.g. {@code reason="out_of_order"}. */
    public String label() {
      return label;
    }
  }

  private final Reason reason;

  public SampleRejectedException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
