package io.vigil.exposition;

import io.vigil.model.Labels;

/**
 * One metric of a family (client_golang's {@code dto.Metric}): its labels without {@code __name__}
 * (and without {@code le}/{@code quantile}, which live in the value), its value, an optional
 * timestamp, and the OpenMetrics {@code _created} time in seconds (NaN when absent).
 */
public record MetricPoint(Labels labels, PointValue value, boolean hasTimestamp, long timestampMs,
    double createdSeconds) {

  public MetricPoint {
    if (labels == null || value == null) {
      throw new IllegalArgumentException("labels and value are required");
    }
    if (labels.has(Labels.METRIC_NAME)) {
      throw new IllegalArgumentException("point labels must not contain __name__: " + labels);
    }
    if (!hasTimestamp) {
      timestampMs = 0;
    }
  }

  /** A point without timestamp and created time. */
  public static MetricPoint of(Labels labels, PointValue value) {
    return new MetricPoint(labels, value, false, 0, Double.NaN);
  }

  public boolean hasCreated() {
    return !Double.isNaN(createdSeconds);
  }
}
