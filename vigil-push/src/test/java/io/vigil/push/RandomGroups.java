package io.vigil.push;

import io.vigil.exposition.MetricPoint;
import io.vigil.exposition.PointValue;
import io.vigil.model.Labels;
import io.vigil.model.MetricType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/** Random groups for property tests: every family type, odd values, odd strings. */
final class RandomGroups {
  private static final MetricType[] TYPES = {
      MetricType.COUNTER, MetricType.GAUGE, MetricType.UNKNOWN, MetricType.HISTOGRAM, MetricType.SUMMARY};
  private static final String[] STRINGS = {"a", "host1", "s3:bucket/path", "my höst", "quote\"back\\slash\nnl", "🎉", "x".repeat(300)};
  private static final double[] VALUES = {0, -0.0, 1, -1.5, 1e308, Double.MIN_VALUE, Double.NaN, Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY, Double.longBitsToDouble(0x7ff0000000000002L), 1.7952898387707827e9};

  private RandomGroups() {}

  static PushGroup group(Random r) {
    Labels key = Labels.of("job", pick(r, STRINGS), "instance", r.nextBoolean() ? pick(r, STRINGS) : "");
    TreeMap<String, PushedFamily> families = new TreeMap<>();
    int n = r.nextInt(5);
    for (int i = 0; i < n; i++) {
      String name = "f_" + r.nextInt(20);
      MetricType type = TYPES[r.nextInt(TYPES.length)];
      List<MetricPoint> points = new ArrayList<>();
      int np = 1 + r.nextInt(3);
      for (int j = 0; j < np; j++) {
        Labels labels = key.toBuilder().set("p", Integer.toString(j)).set("s", pick(r, STRINGS)).build();
        points.add(MetricPoint.of(labels, value(r, type)));
      }
      String help = r.nextBoolean() ? null : pick(r, STRINGS);
      families.put(name, new PushedFamily(name, type, help, r.nextLong(), points));
    }
    long ttl = r.nextInt(3) - 1;
    return new PushGroup(new GroupingKey(key), List.copyOf(families.values()), r.nextLong(), r.nextInt(2) * r.nextLong(),
        ttl == 1 ? 1 + r.nextInt(1_000_000) : ttl);
  }

  private static PointValue value(Random r, MetricType type) {
    return switch (type) {
      case HISTOGRAM -> {
        List<PointValue.Bucket> buckets = new ArrayList<>();
        double bound = 0.001;
        for (int i = 0; i < r.nextInt(6); i++) {
          bound *= 1 + r.nextInt(10);
          buckets.add(new PointValue.Bucket(bound + i, r.nextInt(1000)));
        }
        yield new PointValue.Histogram(r.nextInt(1000), pick(r, VALUES), buckets);
      }
      case SUMMARY -> {
        List<PointValue.Quantile> qs = new ArrayList<>();
        for (int i = 0; i < r.nextInt(4); i++) {
          qs.add(new PointValue.Quantile(i / 4.0, pick(r, VALUES)));
        }
        yield new PointValue.Summary(r.nextInt(100), pick(r, VALUES), qs);
      }
      default -> new PointValue.Scalar(pick(r, VALUES));
    };
  }

  /** Everything of a group, doubles as raw bits, so two descriptions are equal only for equal groups. */
  static String describe(PushGroup g) {
    StringBuilder sb = new StringBuilder().append(g.key()).append(' ').append(g.pushTimeNanos()).append(' ')
        .append(g.failureTimeNanos()).append(' ').append(g.ttlMs()).append('\n');
    for (PushedFamily f : g.families()) {
      sb.append(f.name()).append(' ').append(f.type()).append(' ').append(f.help()).append(' ').append(f.timeNanos()).append('\n');
      for (MetricPoint p : f.points()) {
        sb.append("  ").append(p.labels()).append(' ');
        switch (p.value()) {
          case PointValue.Scalar s -> sb.append(bits(s.value()));
          case PointValue.Histogram h -> {
            sb.append(bits(h.count())).append(' ').append(bits(h.sum()));
            h.buckets().forEach(b -> sb.append(' ').append(bits(b.upperBound())).append(':').append(bits(b.cumulativeCount())));
          }
          case PointValue.Summary s -> {
            sb.append(bits(s.count())).append(' ').append(bits(s.sum()));
            s.quantiles().forEach(q -> sb.append(' ').append(bits(q.quantile())).append(':').append(bits(q.value())));
          }
        }
        sb.append('\n');
      }
    }
    return sb.toString();
  }

  private static String bits(double d) {
    return Long.toHexString(Double.doubleToRawLongBits(d));
  }

  private static <T> T pick(Random r, T[] a) {
    return a[r.nextInt(a.length)];
  }

  private static double pick(Random r, double[] a) {
    return a[r.nextInt(a.length)];
  }
}
