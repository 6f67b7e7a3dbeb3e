package io.vigil.exposition;

import io.vigil.model.Labels;
import io.vigil.model.MetricType;
import java.util.List;

/**
 * Writes {@link MetricFamily} lists as OpenMetrics 1.0 text, as client_golang's
 * {@code MetricFamilyToOpenMetrics} does, ending with {@code # EOF}: families sorted by (model)
 * name; {@code # HELP}, {@code # TYPE}, {@code # UNIT}; counters as {@code foo_total} and
 * {@code foo_created} under family {@code foo}, info as {@code foo_info} under {@code foo};
 * floats in Go's 'g' format with {@code .0} added to integral values ({@code 1.0}, {@code 1e+06},
 * {@code +Inf}); bucket and sample counts as integers when they are whole; timestamps and created
 * times in seconds; exemplars after {@code " # "}.
 *
 * <p>A UNIT that is not a suffix of the family name cannot be written validly and is left out.
 * Errors as in {@link PromTextWriter}.
 */
public final class OpenMetricsWriter {
  private OpenMetricsWriter() {}

  public static void write(List<MetricFamily> families, ByteSink out) {
    for (MetricFamily f : PromTextWriter.sortedByName(families)) {
      writeFamily(f, out);
    }
    out.writeAscii("# EOF\n");
  }

  /** One family without the final {@code # EOF}. */
  public static void writeFamily(MetricFamily f, ByteSink out) {
    String name = familyName(f);
    if (f.help() != null) {
      out.writeAscii("# HELP ").writeAscii(name).write(' ');
      TextEscaping.writeEscaped(out, f.help(), true);
      out.write('\n');
    }
    out.writeAscii("# TYPE ").writeAscii(name).write(' ').writeAscii(f.type().text()).write('\n');
    String unit = f.unit();
    if (!unit.isEmpty() && name.length() > unit.length() + 1 && name.endsWith(unit)
        && name.charAt(name.length() - unit.length() - 1) == '_') {
      out.writeAscii("# UNIT ").writeAscii(name).write(' ').writeAscii(unit).write('\n');
    }
    ByteSink extra = new ByteSink(32);
    for (MetricPoint p : f.points()) {
      switch (p.value()) {
        case PointValue.Scalar s -> {
          String suffix = switch (f.type()) {
            case COUNTER -> "_total";
            case INFO -> "_info";
            default -> null;
          };
          sampleStart(out, name, suffix, p.labels(), null, null);
          floatValue(out, s.value());
          sampleEnd(out, p, s.exemplar());
        }
        case PointValue.Summary s -> {
          for (PointValue.Quantile q : s.quantiles()) {
            extra.reset();
            floatValue(extra, q.quantile());
            sampleStart(out, name, null, p.labels(), "quantile", extra);
            floatValue(out, q.value());
            sampleEnd(out, p, null);
          }
          scalarSample(out, name, "_sum", p, s.sum(), false);
          scalarSample(out, name, "_count", p, s.count(), true);
        }
        case PointValue.Histogram h -> {
          for (PointValue.Bucket b : h.buckets()) {
            extra.reset();
            floatValue(extra, b.upperBound());
            sampleStart(out, name, "_bucket", p.labels(), "le", extra);
            countValue(out, b.cumulativeCount());
            sampleEnd(out, p, b.exemplar());
          }
          boolean gauge = f.type() == MetricType.GAUGE_HISTOGRAM;
          scalarSample(out, name, gauge ? "_gsum" : "_sum", p, h.sum(), false);
          scalarSample(out, name, gauge ? "_gcount" : "_count", p, h.count(), true);
        }
      }
      if (p.hasCreated() && hasCreatedSample(f.type())) {
        sampleStart(out, name, "_created", p.labels(), null, null);
        floatValue(out, p.createdSeconds());
        sampleEnd(out, p, null);
      }
    }
  }

  /** OpenMetrics defines {@code _created} for these types only; other types' created times are left out. */
  private static boolean hasCreatedSample(MetricType t) {
    return t == MetricType.COUNTER || t == MetricType.HISTOGRAM
        || t == MetricType.SUMMARY;
  }

  /** The OpenMetrics family name: without the {@code _total}/{@code _info} its samples carry. */
  static String familyName(MetricFamily f) {
    String name = f.name();
    String suffix = switch (f.type()) {
      case COUNTER -> "_total";
      case INFO -> "_info";
      default -> null;
    };
    return suffix != null && name.endsWith(suffix) && name.length() > suffix.length()
        ? name.substring(0, name.length() - suffix.length()) : name;
  }

  private static void scalarSample(ByteSink out, String name, String suffix, MetricPoint p, double v, boolean count) {
    sampleStart(out, name, suffix, p.labels(), null, null);
    if (count) {
      countValue(out, v);
    } else {
      floatValue(out, v);
    }
    sampleEnd(out, p, null);
  }

  private static void sampleStart(ByteSink out, String name, String suffix, Labels labels, String extraName,
      ByteSink extraValue) {
    TextEscaping.writeSeries(out, name, suffix, labels, extraName, extraValue);
    out.write(' ');
  }

  private static void sampleEnd(ByteSink out, MetricPoint p, Exemplar exemplar) {
    if (p.hasTimestamp()) {
      out.write(' ');
      seconds(out, p.timestampMs());
    }
    if (exemplar != null) {
      out.writeAscii(" # ");
      TextEscaping.writeSeries(out, "", null, exemplar.labels(), null, null);
      if (exemplar.labels().isEmpty()) {
        out.writeAscii("{}");
      }
      out.write(' ');
      floatValue(out, exemplar.value());
      if (exemplar.hasTimestamp()) {
        out.write(' ');
        seconds(out, exemplar.timestampMs());
      }
    }
    out.write('\n');
  }

  /** Go 'g' plus ".0" when the result would read as an integer, as client_golang writes OpenMetrics floats. */
  static void floatValue(ByteSink out, double v) {
    int start = out.size();
    GoFloat.append(out, v);
    byte[] a = out.array();
    for (int i = start; i < out.size(); i++) {
      byte c = a[i];
      if (c == '.' || c == 'e' || c == 'N' || c == 'I') {
        return;
      }
    }
    out.write('.').write('0');
  }

  /** Counts are uint64 in client_golang and written as integers; non-integral ones as floats. */
  private static void countValue(ByteSink out, double v) {
    boolean nonNegative = v > 0 || Double.doubleToRawLongBits(v) == 0; // -0 must stay a float "-0.0"
    if (nonNegative && v < 9.2e18 && v == Math.rint(v)) {
      out.writeLong((long) v);
    } else {
      floatValue(out, v);
    }
  }

  /** Milliseconds as exact decimal seconds: 1500 -> 1.5, -1 -> -0.001, 3000 -> 3. */
  static void seconds(ByteSink out, long ms) {
    if (ms < 0) {
      out.write('-');
    }
    long abs = -Math.abs(ms) == ms ? -ms : ms; // as unsigned, so that Long.MIN_VALUE works too
    out.writeLong(Long.divideUnsigned(abs, 1000));
    int frac = (int) Long.remainderUnsigned(abs, 1000);
    if (frac != 0) {
      out.write('.');
      out.write('0' + frac / 100);
      if (frac % 100 != 0) {
        out.write('0' + frac / 10 % 10);
        if (frac % 10 != 0) {
          out.write('0' + frac % 10);
        }
      }
    }
  }
}
