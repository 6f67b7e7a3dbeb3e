package io.vigil.config;

import io.vigil.model.Labels;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One remote read endpoint ({@code remote_read[]}).
 *
 * @param url absolute http(s) URL
 * @param name unique among remote read endpoints when set
 * @param remoteTimeout per request, default 1m
 * @param chunkedReadLimit largest streamed response frame in bytes; default 50 000 000
 * @param headers extra request headers (reserved ones rejected)
 * @param readRecent also query for time ranges local storage has complete data for; default false
 * @param httpClient authentication, TLS, redirects, proxy
 * @param requiredMatchers equality matchers a query must contain to be sent here; empty for none
 * @param filterExternalLabels add the external labels as matchers; default true
 */
public record RemoteReadConfig(
    String url,
    String name,
    PromDuration remoteTimeout,
    long chunkedReadLimit,
    Map<String, String> headers,
    boolean readRecent,
    HttpClientConfig httpClient,
    Labels requiredMatchers,
    boolean filterExternalLabels) {

  public static final PromDuration DEFAULT_REMOTE_TIMEOUT = PromDuration.ofMinutes(1);
  /** Prometheus's default: 50 MB, about 100k full chunks with an average label set. */
  public static final long DEFAULT_CHUNKED_READ_LIMIT = 50_000_000L;

  public RemoteReadConfig {
    headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  static RemoteReadConfig read(YamlNode node, String path, ReadContext ctx) {
    Problems p = ctx.problems();
    MappingReader r = MappingReader.ofItem(node, path, p, "empty or null remote read config section");
    if (r == null) {
      return null;
    }
    String url = RemoteEndpoints.url(r, "remote_read");
    PromDuration timeout = r.duration("remote_timeout", DEFAULT_REMOTE_TIMEOUT);
    long chunkedReadLimit = r.uint("chunked_read_limit", DEFAULT_CHUNKED_READ_LIMIT);
    Map<String, String> headers = RemoteEndpoints.headers(r);
    boolean readRecent = r.bool("read_recent", false);
    String name = r.string("name", "");
    HttpClientConfig http = HttpClientConfig.read(r, ctx, true);
    Labels required = StaticConfig.readLabels(r, "required_matchers");
    boolean filterExternal = r.bool("filter_external_labels", true);
    r.finish();
    return new RemoteReadConfig(url, name, timeout, chunkedReadLimit == 0 ? DEFAULT_CHUNKED_READ_LIMIT
        : chunkedReadLimit, headers, readRecent, http, required, filterExternal);
  }

  Map<String, Object> render() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("url", RemoteEndpoints.redacted(url));
    m.put("remote_timeout", remoteTimeout);
    m.put("chunked_read_limit", chunkedReadLimit);
    if (!headers.isEmpty()) {
      m.put("headers", headers);
    }
    if (readRecent) {
      m.put("read_recent", true);
    }
    BasicAuth.putIfSet(m, "name", name);
    httpClient.render(m);
    if (!requiredMatchers.isEmpty()) {
      m.put("required_matchers", requiredMatchers.toMap());
    }
    // Always written: Prometheus omits false here, which would read back as the default, true.
    m.put("filter_external_labels", filterExternalLabels);
    return m;
  }
}
