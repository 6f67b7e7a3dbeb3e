package io.vigil.exposition;

import java.util.Locale;

/** The three exposition formats Prometheus scrapes and the Pushgateway accepts. */
public enum ExpositionFormat {
  PROMETHEUS_TEXT("text/plain; version=0.0.4; charset=utf-8"),
  OPENMETRICS_TEXT("application/openmetrics-text; version=1.0.0; charset=utf-8"),
  PROMETHEUS_PROTOBUF(
      "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited");

  private final String contentType;

  ExpositionFormat(String contentType) {
    this.contentType = contentType;
  }

  /** The Content-Type header value a writer of this format sends (as client_golang does). */
  public String contentType() {
    return contentType;
  }

  /**
   * The format a Content-Type header announces. {@code application/openmetrics-text} (any version,
   * in practice 1.0.0 or 0.0.1) is OpenMetrics; {@code application/vnd.google.protobuf} with
   * {@code proto=io.prometheus.client.MetricFamily} and {@code encoding=delimited} is protobuf;
   * everything else, including a missing header and {@code text/plain} of any version, is text
   * 0.0.4, the format every Prometheus client can write (the Pushgateway's rule as well).
   */
  public static ExpositionFormat fromContentType(String header) {
    if (header == null) {
      return PROMETHEUS_TEXT;
    }
    String[] parts = header.split(";");
    String mediaType = parts[0].trim().toLowerCase(Locale.ROOT);
    if (mediaType.equals("application/openmetrics-text")) {
      return OPENMETRICS_TEXT;
    }
    if (mediaType.equals("application/vnd.google.protobuf")) {
      String proto = null;
      String encoding = null;
      for (int i = 1; i < parts.length; i++) {
        String p = parts[i].trim();
        int eq = p.indexOf('=');
        if (eq < 0) {
          continue;
        }
        String key = p.substring(0, eq).trim().toLowerCase(Locale.ROOT);
        String value = unquote(p.substring(eq + 1).trim());
        if (key.equals("proto")) {
          proto = value;
        } else if (key.equals("encoding")) {
          encoding = value;
        }
      }
      if ("io.prometheus.client.MetricFamily".equals(proto) && "delimited".equals(encoding)) {
        return PROMETHEUS_PROTOBUF;
      }
    }
    return PROMETHEUS_TEXT;
  }

  private static String unquote(String s) {
    return s.length() >= 2 && s.charAt(0) == '"' && s.charAt(s.length() - 1) == '"'
        ? s.substring(1, s.length() - 1) : s;
  }
}
