package io.vigil.notify;

import io.vigil.model.Labels;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.CharacterEscapes;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonWriteFeature;

/**
 * The body of {@code POST /api/v2/alerts} exactly as Prometheus writes it: Alertmanager's
 * {@code PostableAlerts} marshalled by Go's encoding/json, i.e. fields in the order annotations,
 * endsAt, startsAt, generatorURL (left out when empty), labels; times in RFC 3339 with milliseconds
 * in UTC (go-openapi's {@code strfmt.DateTime}); an unset time as Go's zero time; {@code <>&} and
 * U+2028/U+2029 escaped as {@code \}u sequences. Stateless and thread-safe.
 */
final class AlertJson {
  private static final DateTimeFormatter RFC3339_MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  /** What strfmt.DateTime prints for Go's zero time.Time; Alertmanager reads it as "not set". */
  static final String ZERO_TIME = "0001-01-01T00:00:00.000Z";

  private static final JsonFactory JSON = JsonFactory.builder()
      .disable(JsonWriteFeature.ESCAPE_FORWARD_SLASHES)
      .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
      .characterEscapes(new HtmlSafeEscapes())
      .build();

  private AlertJson() {}

  static byte[] encode(List<Alert> alerts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 * alerts.size() + 2);
    try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
      g.writeStartArray();
      for (Alert a : alerts) {
        g.writeStartObject();
        g.writeName("annotations");
        labelSet(g, a.annotations());
        g.writeStringProperty("endsAt", time(a.endsAt()));
        g.writeStringProperty("startsAt", time(a.startsAt()));
        if (!a.generatorUrl().isEmpty()) {
          g.writeStringProperty("generatorURL", a.generatorUrl());
        }
        g.writeName("labels");
        labelSet(g, a.labels());
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    return out.toByteArray();
  }

  static String time(Instant t) {
    return t == null ? ZERO_TIME : RFC3339_MILLIS.format(t);
  }

  /** Go maps marshal with sorted keys; Labels are sorted already. */
  private static void labelSet(JsonGenerator g, Labels labels) {
    g.writeStartObject();
    for (int i = 0; i < labels.size(); i++) {
      g.writeStringProperty(labels.name(i), labels.value(i));
    }
    g.writeEndObject();
  }

  /** Go's encoding/json escapes these for safe embedding in HTML; Jackson does not by default. */
  private static final class HtmlSafeEscapes extends CharacterEscapes {
    private final int[] table = standardAsciiEscapesForJSON();

    HtmlSafeEscapes() {
      table['<'] = ESCAPE_STANDARD;
      table['>'] = ESCAPE_STANDARD;
      table['&'] = ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return table;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      if (ch == 0x2028 || ch == 0x2029) {
        return new tools.jackson.core.io.SerializedString(String.format("\\u%04x", ch));
      }
      return null;
    }
  }
}
