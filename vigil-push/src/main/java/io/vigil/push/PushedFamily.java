package io.vigil.push;

import io.vigil.exposition.MetricPoint;
import io.vigil.exposition.PointValue;
import io.vigil.model.MetricType;
import java.util.List;

/**
 * One metric family as stored in a group: its points carry every label of their series except the
 * metric name, {@code le} and {@code quantile}, grouping labels included. The type is one of the five
 * the text format 0.0.4 knows (counter, gauge, untyped = {@link MetricType#UNKNOWN}, histogram,
 * summary). {@code help} is null when the push had no HELP line. {@code timeNanos} is when the family
 * was last written (Unix ns). Immutable.
 */
record PushedFamily(String name, MetricType type, String help, long timeNanos, List<MetricPoint> points) {

  PushedFamily {
    points = List.copyOf(points);
    switch (type) {
      case COUNTER, GAUGE, UNKNOWN, HISTOGRAM, SUMMARY -> { }
      default -> throw new IllegalArgumentException("type " + type + " is not stored; normalise it first");
    }
  }

  /** The samples this family contributes to an exposition (buckets, _sum and _count included). */
  int sampleCount() {
    int n = 0;
    for (MetricPoint p : points) {
      n += samples(p.value());
    }
    return n;
  }

  static int samples(PointValue v) {
    return switch (v) {
      case PointValue.Scalar s -> 1;
      case PointValue.Histogram h -> h.buckets().size() + 2;
      case PointValue.Summary s -> s.quantiles().size() + 2;
    };
  }

  /**
   * The type a family of {@code t} has in text format 0.0.4, which is what the Pushgateway stores
   * and exposes: OpenMetrics info and stateset become gauges, gaugehistograms histograms.
   */
  static MetricType storedType(MetricType t) {
    return switch (t) {
      case INFO, STATESET -> MetricType.GAUGE;
      case GAUGE_HISTOGRAM -> MetricType.HISTOGRAM;
      default -> t;
    };
  }
}
