package io.vigil.push;

import io.vigil.exposition.ExpositionException;
import io.vigil.exposition.ExpositionFormat;
import io.vigil.exposition.ExpositionParser;
import io.vigil.exposition.FamilyCollector;
import io.vigil.exposition.MetricFamily;
import io.vigil.exposition.MetricPoint;
import io.vigil.exposition.ParserOptions;
import io.vigil.exposition.PointValue;
import io.vigil.model.LabelNames;
import io.vigil.model.Labels;
import io.vigil.model.MetricType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a push body into the families a group will hold, with the Pushgateway's rules: the format
 * comes from the Content-Type (protobuf-delimited when it says so, OpenMetrics when it says so, text
 * 0.0.4 otherwise); timestamps, reserved label names and a series given twice are rejected; the
 * grouping labels override the body's labels of the same name; families named
 * {@code push_time_seconds} or {@code push_failure_time_seconds} are dropped (the store makes its
 * own); exemplars and created timestamps are dropped (0.0.4 has no place for them). Also checks the
 * size limits of {@link PushOptions}. Stateless and thread-safe.
 */
final class PushBody {
  static final String PUSH_TIME = "push_time_seconds";
  static final String PUSH_FAILURE_TIME = "push_failure_time_seconds";

  private final PushOptions options;
  private final ParserOptions parserOptions;

  PushBody(PushOptions options) {
    this.options = options;
    // Strict escapes as the Pushgateway's parser (client_golang expfmt); the label limits are
    // checked exactly below, after the grouping labels are added, so the parser gets slack.
    this.parserOptions = ParserOptions.DEFAULTS.withStrictEscapes(true)
        .withMaxLabelValueBytes(Math.max(options.maxLabelValueBytes() * 4 + 16, 1024))
        .withMaxLabelsPerSeries(Math.max(options.maxLabelsPerSeries() + 1, 8));
  }

  /**
   * Parses and checks a body for the group {@code key}; the result is sorted by name, every family
   * stamped with {@code nowNanos}.
   *
   * @throws PushRejectedException {@link PushRejectedException.Kind#INVALID} for syntax errors and
   *     limits, {@link PushRejectedException.Kind#INCONSISTENT} for the Pushgateway's consistency
   *     errors
   */
  List<PushedFamily> parse(String contentType, byte[] body, GroupingKey key, long nowNanos)
      throws PushRejectedException {
    ExpositionFormat format = ExpositionFormat.fromContentType(contentType);
    List<MetricFamily> families = collect(format, body);
    return check(families, key, nowNanos);
  }

  private List<MetricFamily> collect(ExpositionFormat format, byte[] body) throws PushRejectedException {
    if (body.length == 0) {
      return List.of();
    }
    try {
      return FamilyCollector.collect(ExpositionParser.create(format, body, 0, body.length, parserOptions));
    } catch (ExpositionException e) {
      if (e.detail().startsWith("duplicate sample")) {
        // The Pushgateway finds a repeated series in its consistency check, not in its parser.
        throw PushRejectedException.inconsistent(e.getMessage());
      }
      throw PushRejectedException.invalid(formatName(format) + " parsing error in " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw PushRejectedException.invalid(formatName(format) + " parsing error: " + e.getMessage());
    }
  }

  private static String formatName(ExpositionFormat f) {
    return switch (f) {
      case PROMETHEUS_TEXT -> "text format";
      case OPENMETRICS_TEXT -> "OpenMetrics";
      case PROMETHEUS_PROTOBUF -> "protobuf";
    };
  }

  List<PushedFamily> check(List<MetricFamily> families, GroupingKey key, long nowNanos) throws PushRejectedException {
    int samples = 0;
    for (MetricFamily f : families) {
      for (MetricPoint p : f.points()) {
        samples += PushedFamily.samples(p.value());
      }
    }
    if (samples > options.maxSeriesPerPush()) {
      throw PushRejectedException.invalid("push rejected: it holds " + samples + " series, more than the limit of "
          + options.maxSeriesPerPush() + " series per push");
    }
    checkKeyLimits(key);
    Map<String, PushedFamily> out = new LinkedHashMap<>();
    Labels.Builder b = new Labels.Builder();
    for (MetricFamily f : families) {
      if (f.name().equals(PUSH_TIME) || f.name().equals(PUSH_FAILURE_TIME)) {
        continue;
      }
      MetricType type = PushedFamily.storedType(f.type());
      String bound = type == MetricType.HISTOGRAM ? "le" : type == MetricType.SUMMARY ? "quantile" : null;
      if (bound != null && key.labels().has(bound)) {
        throw PushRejectedException.inconsistent("the grouping label " + bound + " cannot be applied to the "
            + typeWord(type) + " " + f.name() + ", whose samples carry their own " + bound + " label");
      }
      List<MetricPoint> points = new ArrayList<>(f.points().size());
      Set<Labels> seen = new HashSet<>();
      for (MetricPoint p : f.points()) {
        if (p.hasTimestamp()) {
          throw PushRejectedException.inconsistent("pushed metrics must not have timestamps");
        }
        Labels labels = withKey(b, p.labels(), key, f.name());
        if (!seen.add(labels)) {
          throw PushRejectedException.inconsistent("metric " + f.name() + labels
              + " was pushed twice: the same series appears more than once in the body once the grouping labels "
              + key + " are applied");
        }
        points.add(MetricPoint.of(labels, withoutExemplars(p.value())));
      }
      out.put(f.name(), new PushedFamily(f.name(), type, f.help(), nowNanos, points));
    }
    List<PushedFamily> sorted = new ArrayList<>(out.values());
    sorted.sort(Comparator.comparing(PushedFamily::name));
    String clash = NameClaims.clashWithin(sorted);
    if (clash != null) {
      throw PushRejectedException.inconsistent(clash);
    }
    return sorted;
  }

  /** The point's labels with the grouping labels applied, checked against the label limits. */
  private Labels withKey(Labels.Builder b, Labels body, GroupingKey key, String name) throws PushRejectedException {
    for (int i = 0; i < body.size(); i++) {
      String n = body.name(i);
      if (LabelNames.isReserved(n)) {
        throw PushRejectedException.inconsistent("metric " + name + body + " has a label with an invalid name: " + n);
      }
      checkValue(name, n, body.value(i));
    }
    b.reset(body);
    Labels k = key.labels();
    for (int i = 0; i < k.size(); i++) {
      b.set(k.name(i), k.value(i));
    }
    Labels labels = b.build();
    if (labels.size() > options.maxLabelsPerSeries()) {
      throw PushRejectedException.invalid("metric " + name + labels + " has " + labels.size()
          + " labels, more than the limit of " + options.maxLabelsPerSeries() + " labels per series");
    }
    return labels;
  }

  private void checkKeyLimits(GroupingKey key) throws PushRejectedException {
    Labels k = key.labels();
    if (k.size() > options.maxLabelsPerSeries()) {
      throw PushRejectedException.invalid("the grouping key " + k + " has " + k.size()
          + " labels, more than the limit of " + options.maxLabelsPerSeries() + " labels per series");
    }
    for (int i = 0; i < k.size(); i++) {
      checkValue("grouping key", k.name(i), k.value(i));
    }
  }

  private void checkValue(String where, String name, String value) throws PushRejectedException {
    // Cheap upper bound first: a String of n chars has at most 3n UTF-8 bytes.
    if (value.length() * 3L > options.maxLabelValueBytes()) {
      int bytes = value.getBytes(StandardCharsets.UTF_8).length;
      if (bytes > options.maxLabelValueBytes()) {
        throw PushRejectedException.invalid("label " + name + " of " + where + " has a value of " + bytes
            + " bytes, more than the limit of " + options.maxLabelValueBytes() + " bytes");
      }
    }
  }

  private static PointValue withoutExemplars(PointValue v) {
    return switch (v) {
      case PointValue.Scalar s -> s.exemplar() == null ? s : new PointValue.Scalar(s.value());
      case PointValue.Histogram h -> {
        boolean any = false;
        for (PointValue.Bucket bucket : h.buckets()) {
          any |= bucket.exemplar() != null;
        }
        if (!any) {
          yield h;
        }
        List<PointValue.Bucket> plain = new ArrayList<>(h.buckets().size());
        for (PointValue.Bucket bucket : h.buckets()) {
          plain.add(new PointValue.Bucket(bucket.upperBound(), bucket.cumulativeCount()));
        }
        yield new PointValue.Histogram(h.count(), h.sum(), plain);
      }
      case PointValue.Summary s -> s;
    };
  }

  /** The 0.0.4 family type of a stored family, as in TYPE lines. */
  static String typeWord(MetricType t) {
    return switch (t) {
      case COUNTER -> "counter";
      case GAUGE -> "gauge";
      case HISTOGRAM -> "histogram";
      case SUMMARY -> "summary";
      default -> "untyped";
    };
  }
}
