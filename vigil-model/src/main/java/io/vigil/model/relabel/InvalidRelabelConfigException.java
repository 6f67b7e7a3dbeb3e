package io.vigil.model.relabel;

/** A relabel rule that Prometheus would reject; the message is Prometheus's wording. */
public final class InvalidRelabelConfigException extends IllegalArgumentException {
  public InvalidRelabelConfigException(String message) {
    super(message);
  }
}
