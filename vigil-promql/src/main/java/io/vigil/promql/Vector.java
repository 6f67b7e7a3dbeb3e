package io.vigil.promql;

import io.vigil.model.Labels;
import java.util.List;

/**
 * An instant vector: series labels and one value each, all at {@code timestampMs}. Parallel
 * arrays: {@code labels.get(i)} has {@code values[i]}. Order is the engine's (sorted by labels
 * unless the query sorts, e.g. sort() or topk). Treat the array as read-only.
 */
public record Vector(long timestampMs, List<Labels> labels, double[] values) implements Value {
  public Vector {
    labels = List.copyOf(labels);
    if (values.length != labels.size()) {
      throw new IllegalArgumentException("labels and values differ in length");
    }
  }

  public int size() {
    return values.length;
  }

  @Override
  public String typeName() {
    return "vector";
  }
}
