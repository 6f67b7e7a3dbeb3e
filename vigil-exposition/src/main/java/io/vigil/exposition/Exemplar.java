package io.vigil.exposition;

import io.vigil.model.Labels;

/**
 * An OpenMetrics exemplar ({@code # {trace_id="abc"} 1.5 1700000000.123}) or a protobuf one.
 * {@code timestampMs} is meaningful only when {@code hasTimestamp}. OpenMetrics limits the label set
 * to 128 characters; as in Prometheus that limit is left to whoever stores exemplars.
 */
public record Exemplar(Labels labels, double value, boolean hasTimestamp, long timestampMs) {
  public Exemplar {
    if (labels == null) {
      throw new IllegalArgumentException("exemplar labels must not be null");
    }
    if (!hasTimestamp) {
      timestampMs = 0;
    }
  }
}
