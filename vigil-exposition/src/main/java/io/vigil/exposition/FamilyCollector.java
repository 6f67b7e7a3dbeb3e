package io.vigil.exposition;

import io.vigil.model.Labels;
import io.vigil.model.MetricType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the entries of any {@link ExpositionParser} into {@link MetricFamily} objects, with the
 * Pushgateway's rules (client_golang's expfmt text parser) for bodies:
 *
 * <ul>
 *   <li>A sample belongs to the family of exactly its name if there is one; otherwise
 *       {@code x_sum}/{@code x_count} to summary {@code x}, {@code x_bucket}/{@code x_sum}/
 *       {@code x_count} to histogram {@code x}; otherwise it opens an untyped family. In
 *       OpenMetrics, samples belong to the current family by the suffixes its type allows
 *       ({@code _total}, {@code _created}, {@code _info}, {@code _gcount}, ...).
 *   <li>A family named again later in the body is merged into one (text 0.0.4; OpenMetrics forbids
 *       it, and protobuf messages merge when their type and help agree).
 *   <li>Errors: a second TYPE or HELP for a family, TYPE after the family's samples, the same
 *       series twice (for histograms: the same bucket, {@code _sum} or {@code _count} twice), a
 *       bucket without a valid {@code le}, a summary quantile without a valid {@code quantile},
 *       samples of one point with different timestamps, two families with the same model name.
 *   <li>A histogram without {@code _count} takes the {@code +Inf} bucket's count, one without
 *       {@code _sum} has sum 0, a histogram without {@code +Inf} bucket gets one equal to the count
 *       (the Pushgateway's behaviour); summaries without {@code _sum}/{@code _count} have 0.
 *   <li>Families without any sample are dropped, as expfmt does. Exemplars are kept on
 *       single-value samples (OpenMetrics allows them on counters only, Prometheus reads them on
 *       any) and on buckets; on quantiles, {@code _sum}, {@code _count} and {@code _created} they
 *       are dropped, as the model has no place for them.
 * </ul>
 *
 * <p>Families come back in the order they first appeared. Errors are {@link ExpositionException}s
 * at column 1 of the offending line.
 */
public final class FamilyCollector {
  private enum Role { VALUE, CREATED, BUCKET, COUNT, SUM, QUANTILE }

  private final ExpositionParser parser;
  private final boolean openMetrics;
  private final boolean protobuf;
  private final Map<String, FamilyBuilder> families = new LinkedHashMap<>();
  private final Labels.Builder labels = new Labels.Builder();
  private FamilyBuilder current;

  private FamilyCollector(ExpositionParser parser) {
    this.parser = parser;
    this.openMetrics = parser.format() == ExpositionFormat.OPENMETRICS_TEXT;
    this.protobuf = parser.format() == ExpositionFormat.PROMETHEUS_PROTOBUF;
  }

  /** Reads the parser to its end and returns the families of the body. */
  public static List<MetricFamily> collect(ExpositionParser parser) throws ExpositionException {
    return new FamilyCollector(parser).run();
  }

  private List<MetricFamily> run() throws ExpositionException {
    for (Entry e = parser.next(); e != Entry.EOF; e = parser.next()) {
      switch (e) {
        case TYPE -> onType(parser.familyName().toString(), parser.type());
        case HELP -> onHelp(parser.familyName().toString(), parser.help());
        case UNIT -> family(parser.familyName().toString()).unit = parser.unit();
        case SERIES -> onSeries();
        case COMMENT, EOF -> { }
      }
    }
    return finish();
  }

  private FamilyBuilder family(String name) {
    FamilyBuilder f = families.get(name);
    if (f == null) {
      f = new FamilyBuilder(name, parser.line());
      families.put(name, f);
    } else if (protobuf && f.startedBy != parser.line()) {
      f.startedBy = parser.line(); // a later protobuf message of the same family: merge
      f.mergedProtobuf = true;
    }
    current = f;
    return f;
  }

  private void onType(String name, MetricType type) throws ExpositionException {
    FamilyBuilder f = family(name);
    if (f.mergedProtobuf && f.typeSeen) {
      if (f.type != type) {
        throw error("metric family \"" + name + "\" has type " + f.type.text() + " in one message and "
            + type.text() + " in another");
      }
      return;
    }
    if (!f.points.isEmpty()) {
      throw error("TYPE line for metric family \"" + name + "\" after its samples");
    }
    if (f.typeSeen) {
      throw error("second TYPE line for metric family \"" + name + "\"");
    }
    f.typeSeen = true;
    f.type = type;
  }

  private void onHelp(String name, String help) throws ExpositionException {
    FamilyBuilder f = family(name);
    if (f.help != null) {
      if (f.mergedProtobuf && f.help.equals(help)) {
        return;
      }
      throw error(f.mergedProtobuf ? "metric family \"" + name + "\" has different HELP texts in two messages"
          : "second HELP line for metric family \"" + name + "\"");
    }
    f.help = help;
  }

  private void onSeries() throws ExpositionException {
    String name = parser.metricName().toString();
    FamilyBuilder f;
    Role role;
    if (openMetrics) {
      f = current;
      role = f == null ? null : openMetricsRole(f, name);
      if (role == null) {
        f = family(name); // the parser has checked it is a new family
        role = Role.VALUE;
      }
    } else {
      f = families.get(name);
      role = f == null ? null : exactRole(f);
      if (role == null) {
        f = null;
        for (Role r : new Role[] {Role.SUM, Role.COUNT, Role.BUCKET}) {
          FamilyBuilder base = baseFamily(name, r);
          if (base != null) {
            f = base;
            role = r;
            break;
          }
        }
      }
      if (f == null) {
        f = family(name);
        role = exactRole(f);
        if (role == null) {
          throw error("sample \"" + name + "\" does not fit the " + f.type.text() + " family \"" + name
              + "\" (expected " + name + "_bucket, _sum or _count)");
        }
      }
      current = f;
    }
    addSample(f, role, name);
  }

  /** For 0.0.4 and protobuf: the role of a sample named exactly like family f. */
  private static Role exactRole(FamilyBuilder f) {
    return switch (f.type) {
      case SUMMARY -> Role.QUANTILE;
      case HISTOGRAM, GAUGE_HISTOGRAM -> null;
      default -> Role.VALUE;
    };
  }

  /** For 0.0.4 and protobuf: the summary or histogram family that {@code name} is the given part of. */
  private FamilyBuilder baseFamily(String name, Role role) {
    boolean gauge = false;
    String suffix = switch (role) {
      case SUM -> "_sum";
      case COUNT -> "_count";
      default -> "_bucket";
    };
    FamilyBuilder f = strip(name, suffix);
    if (f == null && protobuf && role != Role.BUCKET) {
      f = strip(name, role == Role.SUM ? "_gsum" : "_gcount");
      gauge = true;
    }
    if (f == null) {
      return null;
    }
    boolean fits = switch (f.type) {
      case SUMMARY -> role != Role.BUCKET && !gauge;
      case HISTOGRAM -> !gauge;
      case GAUGE_HISTOGRAM -> role == Role.BUCKET || gauge;
      default -> false;
    };
    return fits ? f : null;
  }

  private FamilyBuilder strip(String name, String suffix) {
    return name.endsWith(suffix) && name.length() > suffix.length()
        ? families.get(name.substring(0, name.length() - suffix.length())) : null;
  }

  /** For OpenMetrics: the role of {@code name} in family f, or null when it opens another family. */
  private static Role openMetricsRole(FamilyBuilder f, String name) {
    if (!name.startsWith(f.name)) {
      return null;
    }
    String suffix = name.substring(f.name.length());
    return switch (f.type) {
      case COUNTER -> suffix.equals("_total") ? Role.VALUE : suffix.equals("_created") ? Role.CREATED : null;
      case INFO -> suffix.equals("_info") ? Role.VALUE : null;
      case GAUGE, UNKNOWN, STATESET -> suffix.isEmpty() ? Role.VALUE : null;
      case SUMMARY -> switch (suffix) {
        case "" -> Role.QUANTILE;
        case "_count" -> Role.COUNT;
        case "_sum" -> Role.SUM;
        case "_created" -> Role.CREATED;
        default -> null;
      };
      case HISTOGRAM -> switch (suffix) {
        case "_bucket" -> Role.BUCKET;
        case "_count" -> Role.COUNT;
        case "_sum" -> Role.SUM;
        case "_created" -> Role.CREATED;
        default -> null;
      };
      case GAUGE_HISTOGRAM -> switch (suffix) {
        case "_bucket" -> Role.BUCKET;
        case "_gcount" -> Role.COUNT;
        case "_gsum" -> Role.SUM;
        default -> null;
      };
    };
  }

  private void addSample(FamilyBuilder f, Role role, String sampleName) throws ExpositionException {
    parser.labels(labels);
    String bound = null;
    String boundLabel = switch (f.type) {
      case HISTOGRAM, GAUGE_HISTOGRAM -> "le";
      case SUMMARY -> "quantile";
      default -> null;
    };
    if (role == Role.BUCKET || role == Role.QUANTILE) {
      bound = labels.get(boundLabel);
      if (bound.isEmpty()) {
        throw error((role == Role.BUCKET ? "histogram bucket \"" : "summary sample \"") + sampleName
            + "\" has no " + boundLabel + " label");
      }
      labels.del(boundLabel);
    } else if (boundLabel != null && !labels.get(boundLabel).isEmpty()) {
      // The point's own labels cannot hold it: its buckets or quantiles write that label.
      throw error("label \"" + boundLabel + "\" on \"" + sampleName + "\": in a " + f.type.text()
          + " family only " + (boundLabel.equals("le") ? "buckets" : "quantiles") + " carry it");
    }
    labels.del(Labels.METRIC_NAME);
    Labels key = labels.build();
    PointBuilder p = f.points.get(key);
    if (p == null) {
      p = new PointBuilder(parser.hasTimestamp(), parser.timestampMs());
      f.points.put(key, p);
    } else if (p.hasTimestamp != parser.hasTimestamp() || p.timestampMs != parser.timestampMs()) {
      throw error("samples of one " + f.type.text() + " point of \"" + f.name + "\" " + key
          + " have different timestamps");
    }
    double v = parser.value();
    boolean fresh = switch (role) {
      case VALUE -> p.value(v, parser.hasExemplar() ? parser.exemplar() : null);
      case CREATED -> p.created(v);
      case SUM -> p.sum(v);
      case COUNT -> p.count(v);
      case BUCKET -> p.bucket(parseBound(bound, "le", sampleName), v, parser.hasExemplar() ? parser.exemplar() : null);
      case QUANTILE -> p.quantile(parseBound(bound, "quantile", sampleName), v);
    };
    if (!fresh) {
      throw error("duplicate sample " + sampleName + (key.isEmpty() ? "" : key.toString())
          + (bound == null ? "" : " with " + (role == Role.BUCKET ? "le" : "quantile") + "=\"" + bound + "\"")
          + ": the same series appeared earlier in the body");
    }
  }


  private double parseBound(String text, String label, String sampleName) throws ExpositionException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    try {
      double d = FloatSyntax.parse(b, 0, b.length);
      if (!Double.isNaN(d)) {
        return d;
      }
    } catch (IllegalArgumentException | ArithmeticException e) {
      // reported below
    }
    throw error("invalid " + label + " label value \"" + text + "\" on \"" + sampleName
        + "\": expected a number or +Inf");
  }

  private List<MetricFamily> finish() throws ExpositionException {
    List<MetricFamily> out = new ArrayList<>(families.size());
    Map<String, Integer> modelNames = new HashMap<>();
    for (FamilyBuilder f : families.values()) {
      if (f.points.isEmpty()) {
        continue;
      }
      String name = modelName(f);
      Integer previous = modelNames.put(name, f.firstLine);
      if (previous != null) {
        throw at(f.firstLine, "metric family \"" + f.name + "\" is \"" + name
            + "\" in the 0.0.4 model, as is the family at line " + previous);
      }
      List<MetricPoint> points = new ArrayList<>(f.points.size());
      for (Map.Entry<Labels, PointBuilder> e : f.points.entrySet()) {
        PointBuilder p = e.getValue();
        if (!p.hasValue && p.buckets == null && p.quantiles == null && !p.hasSum && !p.hasCount) {
          throw at(f.firstLine, f.type.text() + " \"" + f.name + "\" " + e.getKey()
              + " has a _created sample but no other sample");
        }
        points.add(p.build(f, e.getKey()));
      }
      out.add(new MetricFamily(name, f.type, f.help, f.unit, points));
    }
    return out;
  }

  private String modelName(FamilyBuilder f) {
    if (!openMetrics) {
      return f.name;
    }
    return switch (f.type) {
      case COUNTER -> f.name + "_total";
      case INFO -> f.name + "_info";
      default -> f.name;
    };
  }

  private ExpositionException error(String detail) {
    return at(parser.line(), detail);
  }

  /** For protobuf, line() is the MetricFamily message number, not a text line. */
  private ExpositionException at(int line, String detail) {
    return protobuf ? new ExpositionException(0, 0, -1, "MetricFamily message " + line + ": " + detail)
        : new ExpositionException(line, 1, -1, detail);
  }

  private static final class FamilyBuilder {
    final String name;
    final int firstLine;
    int startedBy;
    boolean mergedProtobuf;
    MetricType type = MetricType.UNKNOWN;
    boolean typeSeen;
    String help;
    String unit = "";
    final Map<Labels, PointBuilder> points = new LinkedHashMap<>();

    FamilyBuilder(String name, int line) {
      this.name = name;
      this.firstLine = line;
      this.startedBy = line;
    }
  }

  /** The samples of one point collected so far; each setter returns false when already set. */
  private static final class PointBuilder {
    final boolean hasTimestamp;
    final long timestampMs;
    boolean hasValue;
    double value;
    Exemplar exemplar;
    boolean hasCreated;
    double created = Double.NaN;
    boolean hasSum;
    double sum;
    boolean hasCount;
    double count;
    List<PointValue.Bucket> buckets;
    List<PointValue.Quantile> quantiles;
    Set<Double> bounds;

    PointBuilder(boolean hasTimestamp, long timestampMs) {
      this.hasTimestamp = hasTimestamp;
      this.timestampMs = timestampMs;
    }

    boolean value(double v, Exemplar e) {
      if (hasValue) {
        return false;
      }
      hasValue = true;
      value = v;
      exemplar = e;
      return true;
    }

    boolean created(double v) {
      if (hasCreated) {
        return false;
      }
      hasCreated = true;
      created = v;
      return true;
    }

    boolean sum(double v) {
      if (hasSum) {
        return false;
      }
      hasSum = true;
      sum = v;
      return true;
    }

    boolean count(double v) {
      if (hasCount) {
        return false;
      }
      hasCount = true;
      count = v;
      return true;
    }

    boolean bucket(double bound, double v, Exemplar e) {
      if (!newBound(bound)) {
        return false;
      }
      if (buckets == null) {
        buckets = new ArrayList<>();
      }
      buckets.add(new PointValue.Bucket(bound, v, e));
      return true;
    }

    boolean quantile(double q, double v) {
      if (!newBound(q)) {
        return false;
      }
      if (quantiles == null) {
        quantiles = new ArrayList<>();
      }
      quantiles.add(new PointValue.Quantile(q, v));
      return true;
    }

    private boolean newBound(double bound) {
      if (bounds == null) {
        bounds = new HashSet<>();
      }
      return bounds.add(bound == 0.0 ? 0.0 : bound); // -0 and 0 are one bound
    }

    MetricPoint build(FamilyBuilder f, Labels labels) {
      PointValue v = switch (f.type) {
        case HISTOGRAM, GAUGE_HISTOGRAM -> {
          List<PointValue.Bucket> b = buckets == null ? List.of() : buckets;
          double c = count;
          if (!hasCount) {
            c = 0;
            for (PointValue.Bucket bucket : b) {
              if (bucket.upperBound() == Double.POSITIVE_INFINITY) {
                c = bucket.cumulativeCount();
              }
            }
          }
          yield new PointValue.Histogram(c, hasSum ? sum : 0, b);
        }
        case SUMMARY -> new PointValue.Summary(hasCount ? count : 0, hasSum ? sum : 0,
            quantiles == null ? List.of() : quantiles);
        default -> new PointValue.Scalar(value, exemplar);
      };
      return new MetricPoint(labels, v, hasTimestamp, timestampMs, created);
    }
  }
}
