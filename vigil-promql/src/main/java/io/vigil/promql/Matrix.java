package io.vigil.promql;

import io.vigil.model.Labels;
import java.util.List;

/** A range vector: series sorted by labels, each with its points as parallel arrays. */
public record Matrix(List<Series> series) implements Value {
  public Matrix {
    series = List.copyOf(series);
  }

  /**
   * One series: {@code timestamps[i]} (ms, ascending) has {@code values[i]}. Treat arrays as read-only.
   */
  public record Series(Labels labels, long[] timestamps, double[] values) {
    public int size() {
      return timestamps.length;
    }
  }

  @Override
  public String typeName() {
    return "matrix";
  }
}
