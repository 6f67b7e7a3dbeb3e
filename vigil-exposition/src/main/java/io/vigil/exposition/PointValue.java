package io.vigil.exposition;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * What one {@link MetricPoint} holds, by family type: a single number (counter, gauge, unknown,
 * info, stateset), a classic histogram (histogram, gaugehistogram) or a summary.
 */
public sealed interface PointValue {

  /**
   * A single sample value. For counters the {@code _total} sample. {@code exemplar} may be null.
   */
  record Scalar(double value, Exemplar exemplar) implements PointValue {
    public Scalar(double value) {
      this(value, null);
    }
  }

  /** One cumulative bucket: observations {@code <= upperBound}. {@code exemplar} may be null. */
  record Bucket(double upperBound, double cumulativeCount, Exemplar exemplar) {
    public Bucket {
      if (Double.isNaN(upperBound)) {
        throw new IllegalArgumentException("bucket upper bound must not be NaN");
      }
    }

    public Bucket(double upperBound, double cumulativeCount) {
      this(upperBound, cumulativeCount, null);
    }
  }

  /**
   * A classic histogram: {@code _count}, {@code _sum} and cumulative buckets (for gaugehistograms
   * {@code _gcount}, {@code _gsum}). Canonical form, enforced here: buckets sorted by upper bound,
   * each bound once, and the last bucket is {@code +Inf}; when missing it is added with
   * {@code count}, as the Pushgateway and client_golang do.
   */
  record Histogram(double count, double sum, List<Bucket> buckets) implements PointValue {
    public Histogram {
      List<Bucket> sorted = sortedUnique(buckets, Bucket::upperBound, "buckets with upper bound");
      if (sorted.isEmpty() || sorted.getLast().upperBound() != Double.POSITIVE_INFINITY) {
        sorted.add(new Bucket(Double.POSITIVE_INFINITY, count));
      }
      buckets = List.copyOf(sorted);
    }
  }

  /** One summary quantile, {@code 0 <= quantile <= 1} by convention (not enforced, as in Prometheus). */
  record Quantile(double quantile, double value) {
    public Quantile {
      if (Double.isNaN(quantile)) {
        throw new IllegalArgumentException("quantile must not be NaN");
      }
    }
  }

  /** A summary: {@code _count}, {@code _sum} and quantiles, sorted by quantile, each once. */
  record Summary(double count, double sum, List<Quantile> quantiles) implements PointValue {
    public Summary {
      quantiles = List.copyOf(sortedUnique(quantiles, Quantile::quantile, "quantiles"));
    }
  }

  /** A sorted copy; two elements with the same key (0 and -0 being one) are an error. */
  private static <T> List<T> sortedUnique(List<T> items, ToDoubleFunction<T> key, String what) {
    List<T> sorted = new ArrayList<>(items);
    sorted.sort(Comparator.comparingDouble(key));
    for (int i = 1; i < sorted.size(); i++) {
      if (key.applyAsDouble(sorted.get(i)) == key.applyAsDouble(sorted.get(i - 1))) {
        throw new IllegalArgumentException("two " + what + " " + key.applyAsDouble(sorted.get(i)));
      }
    }
    return sorted;
  }
}
