package io.vigil.promql;

/** A string at the evaluation time. */
public record StringValue(long timestampMs, String value) implements Value {
  @Override
  public String typeName() {
    return "string";
  }
}
