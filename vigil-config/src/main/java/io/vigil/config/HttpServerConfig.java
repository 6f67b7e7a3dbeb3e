package io.vigil.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code http_server_config} of the web configuration file.
 *
 * @param http2 allow HTTP/2 over TLS; default true
 * @param headers response headers added to every reply; only the security headers exporter-toolkit
 *     allows, with its allowed values
 */
public record HttpServerConfig(boolean http2, Map<String, String> headers) {
  public static final HttpServerConfig DEFAULT = new HttpServerConfig(true, Map.of());

  /** Header name to allowed values (empty: any value), as in exporter-toolkit. */
  private static final Map<String, List<String>> ALLOWED_HEADERS = Map.of(
      "Strict-Transport-Security", List.of(),
      "X-Content-Type-Options", List.of("nosniff"),
      "X-Frame-Options", List.of("deny", "sameorigin"),
      "X-XSS-Protection", List.of(),
      "Content-Security-Policy", List.of());

  public HttpServerConfig {
    headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  static HttpServerConfig read(MappingReader r) {
    boolean http2 = r.bool("http2", true);
    Map<String, String> headers = r.stringMap("headers");
    headers.forEach((name, value) -> {
      List<String> allowed = ALLOWED_HEADERS.get(name);
      if (allowed == null) {
        r.error("headers", "HTTP header \"" + name + "\" can not be configured");
      } else if (!allowed.isEmpty() && !allowed.contains(value)) {
        r.error("headers", "invalid value for " + name + ". Expected one of: " + quoted(allowed) + ", but got: \""
            + value + "\"");
      }
    });
    return new HttpServerConfig(http2, headers);
  }

  private static String quoted(List<String> values) {
    return "[" + String.join(" ", values.stream().map(v -> "\"" + v + "\"").toList()) + "]";
  }
}
