package io.vigil.scrape;

import static io.vigil.scrape.discovery.TargetLabels.ADDRESS;
import static io.vigil.scrape.discovery.TargetLabels.METRICS_PATH;
import static io.vigil.scrape.discovery.TargetLabels.PARAM_PREFIX;
import static io.vigil.scrape.discovery.TargetLabels.RESERVED_PREFIX;
import static io.vigil.scrape.discovery.TargetLabels.SCHEME;

import io.vigil.config.PromDuration;
import io.vigil.model.Labels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One scrape target after target relabeling: immutable. Two targets are the same target when their
 * {@link #fullLabels()} are equal (which fixes address, scheme, path, parameters, interval and
 * timeout), so a reload that yields the same labels keeps the running loop.
 *
 * @param discoveredLabels labels before relabeling, with Prometheus's defaults
 * @param fullLabels labels after relabeling, {@code __meta_*} removed, {@code instance} defaulted;
 *     still holds {@code __address__}, {@code __scheme__}, {@code __param_*} and the like
 * @param labels {@code fullLabels} without any {@code __}-prefixed label: what every series gets
 * @param url the scrape URL
 * @param interval from {@code __scrape_interval__}
 * @param timeout from {@code __scrape_timeout__}
 */
public record Target(Labels discoveredLabels, Labels fullLabels, Labels labels, String url, PromDuration interval,
    PromDuration timeout) {

  public static Target of(Labels discovered, Labels full, Map<String, List<String>> configParams, PromDuration interval,
      PromDuration timeout) {
    Labels.Builder pub = new Labels.Builder(full.size());
    for (int i = 0; i < full.size(); i++) {
      if (!full.name(i).startsWith(RESERVED_PREFIX)) {
        pub.add(full.name(i), full.value(i));
      }
    }
    return new Target(discovered, full, pub.build(), url(full, configParams), interval, timeout);
  }

  String scheme() {
    return fullLabels.get(SCHEME);
  }

  String address() {
    return fullLabels.get(ADDRESS);
  }

  /** Path and query of the URL, e.g. {@code /metrics?module=http_2xx}. */
  String pathAndQuery() {
    return url.substring(scheme().length() + 3 + address().length());
  }

  /**
   * Prometheus's {@code Target.URL()}: the configured parameters, each {@code __param_<name>}
   * label replacing the first value of its parameter, encoded in key order as Go's
   * {@code url.Values.Encode}.
   */
  static String url(Labels full, Map<String, List<String>> configParams) {
    Map<String, List<String>> params = new TreeMap<>();
    configParams.forEach((k, v) -> params.put(k, new ArrayList<>(v)));
    for (int i = 0; i < full.size(); i++) {
      String name = full.name(i);
      if (name.startsWith(PARAM_PREFIX)) {
        List<String> values = params.computeIfAbsent(name.substring(PARAM_PREFIX.length()), k -> new ArrayList<>());
        if (values.isEmpty()) {
          values.add(full.value(i));
        } else {
          values.set(0, full.value(i));
        }
      }
    }
    StringBuilder sb = new StringBuilder(64).append(full.get(SCHEME)).append("://").append(full.get(ADDRESS));
    escapePath(sb, full.get(METRICS_PATH));
    char sep = '?';
    for (Map.Entry<String, List<String>> e : params.entrySet()) {
      for (String v : e.getValue()) {
        sb.append(sep);
        sep = '&';
        queryEscape(sb, e.getKey());
        sb.append('=');
        queryEscape(sb, v);
      }
    }
    return sb.toString();
  }

  /** Go's url.QueryEscape: unreserved bytes stay, space becomes '+', the rest %XX. */
  private static void queryEscape(StringBuilder sb, String s) {
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (isUnreserved(c)) {
        sb.append((char) c);
      } else if (c == ' ') {
        sb.append('+');
      } else {
        hex(sb, c);
      }
    }
  }

  /** Go's escaping of a URL path: sub-delimiters, ':', '@' and '/' stay. */
  private static void escapePath(StringBuilder sb, String s) {
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (isUnreserved(c) || "/!$&'()*+,;=:@".indexOf(c) >= 0) {
        sb.append((char) c);
      } else {
        hex(sb, c);
      }
    }
  }

  private static boolean isUnreserved(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
        || c == '.' || c == '~';
  }

  private static void hex(StringBuilder sb, int c) {
    sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
  }
}
