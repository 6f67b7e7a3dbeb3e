package io.vigil.push;

import io.vigil.exposition.GoFloat;
import io.vigil.exposition.MetricPoint;
import io.vigil.exposition.PointValue;
import io.vigil.model.Labels;
import io.vigil.model.MetricType;
import java.io.OutputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonWriteFeature;

/**
 * The Pushgateway's JSON API bodies: {@code GET /api/v1/metrics} and {@code GET /api/v1/status}, in
 * the shapes of Pushgateway 1.5.1 (fixtures api-v1-metrics.json, api-v1-status.json): every number
 * a string in Go's shortest format, object keys in the order Go's encoding/json writes maps
 * (sorted), times in RFC 3339 with nanoseconds. Groups come sorted by grouping key (the
 * Pushgateway's order is its map order).
 */
final class PushApiJson {
  static final String CONTENT_TYPE = "application/json";

  private static final JsonFactory JSON = JsonFactory.builder()
      .disable(JsonWriteFeature.ESCAPE_FORWARD_SLASHES)
      .build();
  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

  private PushApiJson() {}

  static JsonGenerator generator(OutputStream out) {
    return JSON.createGenerator(ObjectWriteContext.empty(), out);
  }

  static void metrics(Collection<PushGroup> groups, OutputStream out) {
    try (JsonGenerator g = generator(out)) {
      g.writeStartObject();
      g.writeStringProperty("status", "success");
      g.writeArrayPropertyStart("data");
      for (PushGroup group : groups) {
        group(g, group);
      }
      g.writeEndArray();
      g.writeEndObject();
    }
  }

  /** One group: a Go map, so "labels", "last_push_successful" and the family names sorted together. */
  private static void group(JsonGenerator g, PushGroup group) {
    TreeMap<String, Runnable> entries = new TreeMap<>();
    boolean addInstance = group.key().lacksInstance();
    entries.put("labels", () -> labels(g, group.key().labels(), false));
    entries.put("last_push_successful", () -> g.writeBoolean(group.lastPushSuccessful()));
    for (PushedFamily f : group.families()) {
      entries.put(f.name(), () -> family(g, f, addInstance));
    }
    String changed = rfc3339(group.lastChangeNanos());
    entries.put(PushBody.PUSH_TIME, () -> gauge(g, changed, PushgatewayExposition.PUSH_TIME_HELP, group.key().labels(),
        addInstance, PushGroup.seconds(group.pushTimeNanos())));
    entries.put(PushBody.PUSH_FAILURE_TIME, () -> gauge(g, changed, PushgatewayExposition.PUSH_FAILURE_HELP,
        group.key().labels(), addInstance, PushGroup.seconds(group.failureTimeNanos())));
    g.writeStartObject();
    for (Map.Entry<String, Runnable> e : entries.entrySet()) {
      g.writeName(e.getKey());
      e.getValue().run();
    }
    g.writeEndObject();
  }

  private static void gauge(JsonGenerator g, String timeStamp, String help, Labels labels, boolean addInstance,
      double value) {
    g.writeStartObject();
    g.writeStringProperty("time_stamp", timeStamp);
    g.writeStringProperty("type", "GAUGE");
    g.writeStringProperty("help", help);
    g.writeArrayPropertyStart("metrics");
    g.writeStartObject();
    g.writeName("labels");
    labels(g, labels, addInstance);
    g.writeStringProperty("value", GoFloat.format(value));
    g.writeEndObject();
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void family(JsonGenerator g, PushedFamily f, boolean addInstance) {
    g.writeStartObject();
    g.writeStringProperty("time_stamp", rfc3339(f.timeNanos()));
    g.writeStringProperty("type", typeName(f.type()));
    if (f.help() != null && !f.help().isEmpty()) {
      g.writeStringProperty("help", f.help());
    }
    g.writeArrayPropertyStart("metrics");
    for (MetricPoint p : f.points()) {
      g.writeStartObject();
      switch (p.value()) {
        case PointValue.Scalar s -> {
          g.writeName("labels");
          labels(g, p.labels(), addInstance);
          g.writeStringProperty("value", GoFloat.format(s.value()));
        }
        case PointValue.Histogram h -> {
          g.writeObjectPropertyStart("buckets");
          TreeMap<String, String> buckets = new TreeMap<>();
          for (PointValue.Bucket b : h.buckets()) {
            buckets.put(GoFloat.format(b.upperBound()), GoFloat.format(b.cumulativeCount()));
          }
          buckets.forEach(g::writeStringProperty);
          g.writeEndObject();
          g.writeStringProperty("count", GoFloat.format(h.count()));
          g.writeName("labels");
          labels(g, p.labels(), addInstance);
          g.writeStringProperty("sum", GoFloat.format(h.sum()));
        }
        case PointValue.Summary s -> {
          g.writeStringProperty("count", GoFloat.format(s.count()));
          g.writeName("labels");
          labels(g, p.labels(), addInstance);
          g.writeObjectPropertyStart("quantiles");
          TreeMap<String, String> quantiles = new TreeMap<>();
          for (PointValue.Quantile q : s.quantiles()) {
            quantiles.put(GoFloat.format(q.quantile()), GoFloat.format(q.value()));
          }
          quantiles.forEach(g::writeStringProperty);
          g.writeEndObject();
          g.writeStringProperty("sum", GoFloat.format(s.sum()));
        }
      }
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  /** A label object; with {@code addInstance}, {@code "instance": ""} as the Pushgateway shows it. */
  private static void labels(JsonGenerator g, Labels labels, boolean addInstance) {
    g.writeStartObject();
    boolean pending = addInstance && !labels.has(GroupingKey.INSTANCE);
    for (int i = 0; i < labels.size(); i++) {
      if (pending && labels.name(i).compareTo(GroupingKey.INSTANCE) > 0) {
        g.writeStringProperty(GroupingKey.INSTANCE, "");
        pending = false;
      }
      g.writeStringProperty(labels.name(i), labels.value(i));
    }
    if (pending) {
      g.writeStringProperty(GroupingKey.INSTANCE, "");
    }
    g.writeEndObject();
  }

  private static String typeName(MetricType t) {
    return switch (t) {
      case COUNTER -> "COUNTER";
      case GAUGE -> "GAUGE";
      case HISTOGRAM -> "HISTOGRAM";
      case SUMMARY -> "SUMMARY";
      default -> "UNTYPED";
    };
  }

  /** Go's time.RFC3339Nano in UTC: fraction without trailing zeros, none when whole seconds. */
  static String rfc3339(long unixNanos) {
    Instant t = Instant.ofEpochSecond(Math.floorDiv(unixNanos, 1_000_000_000L), Math.floorMod(unixNanos, 1_000_000_000L));
    StringBuilder sb = new StringBuilder(SECONDS.format(t));
    int nanos = t.getNano();
    if (nanos != 0) {
      String frac = String.format("%09d", nanos);
      int end = frac.length();
      while (frac.charAt(end - 1) == '0') {
        end--;
      }
      sb.append('.').append(frac, 0, end);
    }
    return sb.append('Z').toString();
  }

  /** {@code GET /api/v1/status}: build information, flags, start time. */
  static void status(Map<String, String> buildInformation, Map<String, String> flags, long startNanos,
      OutputStream out) {
    try (JsonGenerator g = generator(out)) {
      g.writeStartObject();
      g.writeStringProperty("status", "success");
      g.writeObjectPropertyStart("data");
      g.writeObjectPropertyStart("build_information");
      new TreeMap<>(buildInformation).forEach(g::writeStringProperty);
      g.writeEndObject();
      g.writeObjectPropertyStart("flags");
      new TreeMap<>(flags).forEach(g::writeStringProperty);
      g.writeEndObject();
      g.writeStringProperty("start_time", rfc3339(startNanos));
      g.writeEndObject();
      g.writeEndObject();
    }
  }
}
