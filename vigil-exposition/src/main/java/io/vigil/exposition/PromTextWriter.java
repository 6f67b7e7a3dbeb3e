package io.vigil.exposition;

import io.vigil.model.MetricType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Writes {@link MetricFamily} lists in the text format 0.0.4 exactly as client_golang's expfmt
 * (and so the Pushgateway's {@code /metrics}) does: families sorted by name, {@code # HELP} when the
 * family has help, always {@code # TYPE}, label names sorted with {@code le}/{@code quantile}
 * last, values in Go's shortest 'g' format ({@link GoFloat}), timestamps as integer milliseconds.
 * Points keep their order. Units, created times and exemplars have no place in 0.0.4 and are left
 * out; info and stateset families are written as gauges, gaugehistograms as histograms, unknown
 * as untyped.
 *
 * <p>Appends to the caller's {@link ByteSink}. A label that cannot be written (invalid name, or
 * {@code le}/{@code quantile} among a histogram's/summary's own labels) is an
 * {@link IllegalArgumentException}, after which the sink holds a partial exposition.
 */
public final class PromTextWriter {
  private PromTextWriter() {}

  public static void write(List<MetricFamily> families, ByteSink out) {
    for (MetricFamily f : sortedByName(families)) {
      writeFamily(f, out);
    }
  }

  static List<MetricFamily> sortedByName(List<MetricFamily> families) {
    List<MetricFamily> sorted = new ArrayList<>(families);
    sorted.sort(Comparator.comparing(MetricFamily::name)); // stable: equal names keep their order
    return sorted;
  }

  public static void writeFamily(MetricFamily f, ByteSink out) {
    String name = f.name();
    if (f.help() != null) {
      out.writeAscii("# HELP ").writeAscii(name).write(' ');
      TextEscaping.writeEscaped(out, f.help(), false);
      out.write('\n');
    }
    out.writeAscii("# TYPE ").writeAscii(name).write(' ').writeAscii(typeWord(f.type())).write('\n');
    ByteSink extra = new ByteSink(32);
    for (MetricPoint p : f.points()) {
      switch (p.value()) {
        case PointValue.Scalar s -> sample(out, name, null, p, null, null, s.value());
        case PointValue.Summary s -> {
          for (PointValue.Quantile q : s.quantiles()) {
            GoFloat.append(extra.reset(), q.quantile());
            sample(out, name, null, p, "quantile", extra, q.value());
          }
          sample(out, name, "_sum", p, null, null, s.sum());
          sample(out, name, "_count", p, null, null, s.count());
        }
        case PointValue.Histogram h -> {
          for (PointValue.Bucket b : h.buckets()) {
            GoFloat.append(extra.reset(), b.upperBound());
            sample(out, name, "_bucket", p, "le", extra, b.cumulativeCount());
          }
          sample(out, name, "_sum", p, null, null, h.sum());
          sample(out, name, "_count", p, null, null, h.count());
        }
      }
    }
  }

  static String typeWord(MetricType t) {
    return switch (t) {
      case COUNTER -> "counter";
      case GAUGE, INFO, STATESET -> "gauge";
      case HISTOGRAM, GAUGE_HISTOGRAM -> "histogram";
      case SUMMARY -> "summary";
      case UNKNOWN -> "untyped";
    };
  }

  private static void sample(ByteSink out, String name, String suffix, MetricPoint p, String extraName,
      ByteSink extraValue, double value) {
    TextEscaping.writeSeries(out, name, suffix, p.labels(), extraName, extraValue);
    out.write(' ');
    GoFloat.append(out, value);
    if (p.hasTimestamp()) {
      out.write(' ').writeLong(p.timestampMs());
    }
    out.write('\n');
  }
}
