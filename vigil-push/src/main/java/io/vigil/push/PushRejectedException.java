package io.vigil.push;

/**
 * A push, delete or wipe that is refused; the HTTP layer answers with {@link #status()} and the
 * message as a plain-text body, as the Pushgateway does.
 */
public final class PushRejectedException extends Exception {
  /** Why, which decides whether a failed push still touches the group (its failure time). */
  enum Kind {
    /** The request cannot be understood: bad path, bad body syntax, a limit. Nothing changes. */
    INVALID,
    /**
     * The body parsed but is inconsistent (timestamps, reserved label names, duplicate series, a
     * conflict with other groups). An existing group gets a new push_failure_time_seconds (as in the
     * Pushgateway); no group is created (better than the Pushgateway, which creates an empty one).
     */
    INCONSISTENT,
    /** The store cannot make changes durable right now (journal I/O failure). */
    UNAVAILABLE
  }

  /** Prefix of the Pushgateway's messages for inconsistent pushes; scripts grep for it. */
  static final String INCONSISTENT_PREFIX = "pushed metrics are invalid or inconsistent with existing metrics: ";

  private final Kind kind;
  private final int status;

  PushRejectedException(Kind kind, int status, String message) {
    super(message, null, false, false);
    this.kind = kind;
    this.status = status;
  }

  static PushRejectedException invalid(String message) {
    return new PushRejectedException(Kind.INVALID, 400, message);
  }

  static PushRejectedException inconsistent(String detail) {
    return new PushRejectedException(Kind.INCONSISTENT, 400, INCONSISTENT_PREFIX + detail);
  }

  Kind kind() {
    return kind;
  }

  /** The HTTP status the push API answers with: 400 (invalid or inconsistent), 500 or 503 (journal). */
  public int status() {
    return status;
  }
}
