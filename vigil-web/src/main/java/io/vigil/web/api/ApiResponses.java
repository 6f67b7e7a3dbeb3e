package io.vigil.web.api;

import io.vigil.model.Labels;
import io.vigil.web.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.CharacterEscapes;
import tools.jackson.core.io.SerializedString;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonWriteFeature;

/**
 * Prometheus's response envelopes, streamed with Jackson's generator straight into the response:
 * {@code {"status":"success","data":...,"warnings":[...],"infos":[...]}} (warnings and infos left
 * out when empty) and {@code {"status":"error","errorType":"...","error":"..."}}. Strings are escaped
 * as Go's encoding/json does (HTML-safe: {@code <>&} and U+2028/U+2029 as {@code \}u escapes).
 */
final class ApiResponses {
  static final String CONTENT_TYPE = "application/json";
  /** Prometheus caps the annotations it returns (annotations.AsStrings). */
  static final int MAX_ANNOTATIONS = 10;

  private static final JsonFactory JSON = JsonFactory.builder()
      .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
      .disable(JsonWriteFeature.ESCAPE_FORWARD_SLASHES)
      .characterEscapes(new GoEscapes())
      .build();

  private ApiResponses() {}

  /** Writes the value of "data". */
  @FunctionalInterface
  interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  static JsonGenerator generator(OutputStream out) {
    return JSON.createGenerator(ObjectWriteContext.empty(), out);
  }

  static void success(HttpExchange ex, Body data) throws IOException {
    success(ex, data, List.of(), List.of());
  }

  /** 200 with the success envelope; the body is produced while it is sent. */
  static void success(HttpExchange ex, Body data, List<String> warnings, List<String> infos) throws IOException {
    try (OutputStream out = ex.startResponse(200, CONTENT_TYPE); JsonGenerator g = generator(out)) {
      g.writeStartObject();
      g.writeStringProperty("status", "success");
      g.writeName("data");
      data.write(g);
      annotations(g, "warnings", warnings, "warning");
      annotations(g, "infos", infos, "info");
      g.writeEndObject();
    }
  }

  private static void annotations(JsonGenerator g, String field, List<String> list, String kind) {
    if (list.isEmpty()) {
      return;
    }
    g.writeName(field);
    g.writeStartArray();
    for (int i = 0; i < Math.min(list.size(), MAX_ANNOTATIONS); i++) {
      g.writeString(list.get(i));
    }
    if (list.size() > MAX_ANNOTATIONS) {
      g.writeString((list.size() - MAX_ANNOTATIONS) + " more " + kind + " annotations omitted");
    }
    g.writeEndArray();
  }

  static void error(HttpExchange ex, ApiError e) throws IOException {
    try (OutputStream out = ex.startResponse(e.type.status, CONTENT_TYPE); JsonGenerator g = generator(out)) {
      g.writeStartObject();
      g.writeStringProperty("status", "error");
      g.writeStringProperty("errorType", e.type.text);
      g.writeStringProperty("error", e.getMessage());
      g.writeEndObject();
    }
  }

  /** What Prometheus answers when an endpoint has no data to return (admin deletes). */
  static void noContent(HttpExchange ex) throws IOException {
    ex.respondEmpty(204);
  }

  static void labels(JsonGenerator g, Labels labels) {
    g.writeStartObject();
    for (int i = 0; i < labels.size(); i++) {
      g.writeStringProperty(labels.name(i), labels.value(i));
    }
    g.writeEndObject();
  }

  static void stringArray(JsonGenerator g, List<String> values) {
    g.writeStartArray();
    for (String v : values) {
      g.writeString(v);
    }
    g.writeEndArray();
  }

  /** A sample value: a JSON string, formatted as Prometheus formats it. */
  static void sampleValue(JsonGenerator g, double v) {
    g.writeString(PromFormat.sampleValue(v));
  }

  /** A timestamp: a JSON number of seconds with millisecond fraction. */
  static void timestamp(JsonGenerator g, long ms) {
    g.writeNumber(PromFormat.timestamp(ms));
  }

  /**
   * A [timestamp, "value"] pair, formatted in {@code scratch} (at least
   * {@link PromFormat#MAX_TIMESTAMP_CHARS} long) so that integer values cost no allocation.
   */
  static void point(JsonGenerator g, long ms, double v, char[] scratch) {
    g.writeStartArray();
    g.writeNumber(scratch, 0, PromFormat.timestamp(ms, scratch));
    int n = PromFormat.integerSampleValue(v, scratch);
    if (n >= 0) {
      g.writeString(scratch, 0, n);
    } else {
      g.writeString(PromFormat.sampleValue(v));
    }
    g.writeEndArray();
  }

  /** A float64 field as Go's encoding/json writes it. */
  static void goNumber(JsonGenerator g, double v) {
    g.writeNumber(PromFormat.goJsonNumber(v));
  }

  static void time(JsonGenerator g, java.time.Instant t) {
    g.writeString(PromFormat.rfc3339Nano(t));
  }

  /** Go's encoding/json escaping on top of JSON's: {@code < > &} and the two line separators. */
  private static final class GoEscapes extends CharacterEscapes {
    private final int[] ascii = standardAsciiEscapesForJSON();
    private static final SerializedString LS = new SerializedString("\\u2028");
    private static final SerializedString PS = new SerializedString("\\u2029");

    GoEscapes() {
      ascii['<'] = ESCAPE_STANDARD;
      ascii['>'] = ESCAPE_STANDARD;
      ascii['&'] = ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return ch == 0x2028 ? LS : ch == 0x2029 ? PS : null;
    }
  }
}
