package io.vigil.web;

/** Thrown by endpoints (and the exchange) to answer with a status and a plain-text message. */
public class HttpStatusException extends RuntimeException {
  private final int status;

  public HttpStatusException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
