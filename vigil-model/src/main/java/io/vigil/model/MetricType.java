package io.vigil.model;

import java.util.Locale;

/** Metric family types of the text formats (OpenMetrics names; "unknown" is 0.0.4's "untyped"). */
public enum MetricType {
  COUNTER("counter"),
  GAUGE("gauge"),
  HISTOGRAM("histogram"),
  GAUGE_HISTOGRAM("gaugehistogram"),
  SUMMARY("summary"),
  INFO("info"),
  STATESET("stateset"),
  UNKNOWN("unknown");

  private final String text;

  MetricType(String text) {
    this.text = text;
  }

  /** The name used in OpenMetrics TYPE lines and in the metadata API. */
  public String text() {
    return text;
  }

  /** Parses a TYPE token of either format ("untyped" is UNKNOWN); null when unknown. */
  public static MetricType parse(String s) {
    String t = s.toLowerCase(Locale.ROOT);
    if (t.equals("untyped")) {
      return UNKNOWN;
    }
    for (MetricType m : values()) {
      if (m.text.equals(t)) {
        return m;
      }
    }
    return null;
  }
}
