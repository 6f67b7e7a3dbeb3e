package io.vigil.exposition;

import io.vigil.model.LabelNames;
import io.vigil.model.MetricType;
import java.util.List;

/**
 * A metric family as client_golang and the Pushgateway model it ({@code dto.MetricFamily}): the
 * name, type, HELP ({@code null} when the input had no HELP line: none is invented), UNIT ({@code ""}
 * when none) and the points, in input order.
 *
 * <p>The name is the one a 0.0.4 exposition uses: counters keep {@code _total} when their samples
 * have it, info families end in {@code _info}. An OpenMetrics counter family {@code foo} with sample
 * {@code foo_total} is therefore the family {@code foo_total} here; the OpenMetrics writer strips the
 * suffix again.
 *
 * <p>The constructor checks that every point's value fits the type: {@link PointValue.Histogram}
 * for histogram and gaugehistogram, {@link PointValue.Summary} for summary, {@link PointValue.Scalar}
 * otherwise. Immutable.
 */
public record MetricFamily(String name, MetricType type, String help, String unit, List<MetricPoint> points) {

  public MetricFamily {
    if (name == null || !LabelNames.isValidMetricName(name)) {
      throw new IllegalArgumentException("invalid metric family name: " + name);
    }
    if (type == null) {
      throw new IllegalArgumentException("type is required for " + name);
    }
    unit = unit == null ? "" : unit;
    points = List.copyOf(points);
    for (MetricPoint p : points) {
      if (!fits(type, p.value())) {
        throw new IllegalArgumentException("a " + p.value().getClass().getSimpleName() + " point in "
            + type.text() + " family " + name);
      }
    }
  }

  private static boolean fits(MetricType type, PointValue v) {
    return switch (type) {
      case HISTOGRAM, GAUGE_HISTOGRAM -> v instanceof PointValue.Histogram;
      case SUMMARY -> v instanceof PointValue.Summary;
      case COUNTER, GAUGE, UNKNOWN, INFO, STATESET -> v instanceof PointValue.Scalar;
    };
  }

  public boolean hasHelp() {
    return help != null;
  }
}
