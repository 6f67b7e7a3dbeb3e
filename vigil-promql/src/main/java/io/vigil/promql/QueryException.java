package io.vigil.promql;

/**
 * A query that failed after parsing. {@link #kind()} tells the HTTP API which errorType to report;
 * the message is Prometheus's text (e.g. "query processing would load too many samples into memory
 * in query execution").
 */
public final class QueryException extends RuntimeException {
  /** Prometheus's error types for failed queries. */
  public enum Kind { EXECUTION, TIMEOUT, CANCELED, BAD_DATA }

  private final Kind kind;

  public QueryException(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
