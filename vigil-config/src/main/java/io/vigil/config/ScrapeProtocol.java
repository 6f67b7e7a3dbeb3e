package io.vigil.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The exposition formats a scrape can ask for, in Prometheus's configuration spelling. */
public enum ScrapeProtocol {
  PROMETHEUS_PROTO("PrometheusProto",
      "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited"),
  PROMETHEUS_TEXT_0_0_4("PrometheusText0.0.4", "text/plain;version=0.0.4"),
  PROMETHEUS_TEXT_1_0_0("PrometheusText1.0.0", "text/plain;version=1.0.0"),
  OPENMETRICS_TEXT_0_0_1("OpenMetricsText0.0.1", "application/openmetrics-text;version=0.0.1"),
  OPENMETRICS_TEXT_1_0_0("OpenMetricsText1.0.0", "application/openmetrics-text;version=1.0.0");

  /** Prometheus's default order of preference when a job does not set scrape_protocols. */
  public static final List<ScrapeProtocol> DEFAULT = List.of(
      OPENMETRICS_TEXT_1_0_0, OPENMETRICS_TEXT_0_0_1, PROMETHEUS_TEXT_1_0_0, PROMETHEUS_TEXT_0_0_4);

  private final String configName;
  private final String mediaType;

  ScrapeProtocol(String configName, String mediaType) {
    this.configName = configName;
    this.mediaType = mediaType;
  }

  /** The name in configuration files, e.g. {@code OpenMetricsText1.0.0}. */
  public String configName() {
    return configName;
  }

  /** The media type with parameters, for building the scrape's Accept header. */
  public String mediaType() {
    return mediaType;
  }

  /** @throws IllegalArgumentException with Prometheus's message listing the supported names */
  public static ScrapeProtocol parse(String s) {
    for (ScrapeProtocol p : values()) {
      if (p.configName.equals(s)) {
        return p;
      }
    }
    List<String> names = new ArrayList<>();
    for (ScrapeProtocol p : values()) {
      names.add(p.configName);
    }
    names.sort(null);
    throw new IllegalArgumentException("unknown scrape protocol " + s + ", supported: ["
        + String.join(" ", names) + "]");
  }

  /** Reads a scrape_protocols list; empty when the field is absent. */
  static List<ScrapeProtocol> readList(MappingReader r, String key) {
    if (!r.has(key)) {
      r.take(key);
      return List.of();
    }
    List<String> names = r.strings(key);
    if (names.isEmpty()) {
      r.error(key, "scrape_protocols cannot be empty");
      return List.of();
    }
    List<ScrapeProtocol> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String n : names) {
      if (!seen.add(n.toLowerCase(Locale.ROOT))) {
        r.error(key, "duplicated protocol in scrape_protocols, got [" + String.join(" ", names) + "]");
        return List.of();
      }
      try {
        out.add(parse(n));
      } catch (IllegalArgumentException e) {
        r.error(key, "scrape_protocols: " + e.getMessage());
        return List.of();
      }
    }
    return List.copyOf(out);
  }

  @Override
  public String toString() {
    return configName;
  }
}
