package io.vigil.model;

/**
 * One float sample of one series. For APIs and tests; hot paths carry timestamps and values in
 * primitive arrays instead.
 */
public record Sample(Labels labels, long timestampMs, double value) {
  public boolean isStale() {
    return StaleNaN.is(value);
  }
}
