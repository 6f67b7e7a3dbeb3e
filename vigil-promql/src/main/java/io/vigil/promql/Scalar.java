package io.vigil.promql;

/** A single number at the evaluation time. */
public record Scalar(long timestampMs, double value) implements Value {
  @Override
  public String typeName() {
    return "scalar";
  }
}
