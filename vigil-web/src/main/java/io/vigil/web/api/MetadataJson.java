package io.vigil.web.api;

import io.vigil.model.Metadata;
import tools.jackson.core.JsonGenerator;

/** One metadata object: {@code {"type":"gauge","help":"...","unit":""}}. */
final class MetadataJson {
  private MetadataJson() {}

  static void write(JsonGenerator g, Metadata md) {
    g.writeStartObject();
    g.writeStringProperty("type", md.type().text());
    g.writeStringProperty("help", md.help());
    g.writeStringProperty("unit", md.unit());
    g.writeEndObject();
  }
}
