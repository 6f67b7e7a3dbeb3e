package io.vigil.web.api;

/**
 * A failed API call: Prometheus's errorType, the HTTP status that goes with it, and the message.
 * Thrown by endpoint code and turned into the error envelope by {@link ApiResponses}.
 */
final class ApiError extends RuntimeException {
  /** Prometheus's error types and their HTTP status codes (web/api/v1 respondError). */
  enum Type {
    TIMEOUT("timeout", 503),
    /** 499 is nginx's "client closed request", which Prometheus uses too. */
    CANCELED("canceled", 499),
    EXECUTION("execution", 422),
    BAD_DATA("bad_data", 400),
    INTERNAL("internal", 500),
    UNAVAILABLE("unavailable", 503),
    NOT_FOUND("not_found", 404);

    final String text;
    final int status;

    Type(String text, int status) {
      this.text = text;
      this.status = status;
    }
  }

  final Type type;

  ApiError(Type type, String message) {
    super(message, null, false, false);
    this.type = type;
  }

  static ApiError badData(String message) {
    return new ApiError(Type.BAD_DATA, message);
  }

  /** Prometheus's invalidParamError: {@code invalid parameter "time": <cause>}. */
  static ApiError invalidParam(String param, String cause) {
    return new ApiError(Type.BAD_DATA, "invalid parameter \"" + param + "\": " + cause);
  }

  static ApiError internal(String message) {
    return new ApiError(Type.INTERNAL, message);
  }
}
