package io.vigil.config;

import io.vigil.model.relabel.RelabelConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One remote write endpoint ({@code remote_write[]}).
 *
 * @param url absolute http(s) URL; may contain user info (rendered with the password hidden)
 * @param name unique among remote write endpoints when set; "" lets the remote module derive one
 * @param remoteTimeout per request, default 30s
 * @param headers extra request headers (reserved ones rejected)
 * @param writeRelabelConfigs relabeling of samples before they are sent
 * @param sendExemplars default false
 * @param sendNativeHistograms default false
 * @param roundRobinDns spread connections over the DNS answers; default false
 * @param protobufMessage {@code prometheus.WriteRequest} (remote write 1.0, default) or
 *     {@code io.prometheus.write.v2.Request}
 * @param httpClient authentication, TLS, redirects, proxy; HTTP/2 off by default as in Prometheus
 */
public record RemoteWriteConfig(
    String url,
    String name,
    PromDuration remoteTimeout,
    Map<String, String> headers,
    List<RelabelConfig> writeRelabelConfigs,
    boolean sendExemplars,
    boolean sendNativeHistograms,
    boolean roundRobinDns,
    String protobufMessage,
    HttpClientConfig httpClient,
    QueueConfig queueConfig,
    MetadataConfig metadataConfig) {

  public static final PromDuration DEFAULT_REMOTE_TIMEOUT = PromDuration.ofSeconds(30);
  public static final String WRITE_V1 = "prometheus.WriteRequest";
  public static final String WRITE_V2 = "io.prometheus.write.v2.Request";

  public RemoteWriteConfig {
    headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    writeRelabelConfigs = List.copyOf(writeRelabelConfigs);
  }

  static RemoteWriteConfig read(YamlNode node, String path, ReadContext ctx) {
    Problems p = ctx.problems();
    MappingReader r = MappingReader.ofItem(node, path, p, "empty or null remote write config section");
    if (r == null) {
      return null;
    }
    String url = RemoteEndpoints.url(r, "remote_write");
    PromDuration timeout = r.duration("remote_timeout", DEFAULT_REMOTE_TIMEOUT);
    Map<String, String> headers = RemoteEndpoints.headers(r);
    List<RelabelConfig> relabel = RelabelConfigs.read(r, "write_relabel_configs",
        "empty or null relabeling rule in remote write config");
    String name = r.string("name", "");
    boolean exemplars = r.bool("send_exemplars", false);
    boolean nativeHistograms = r.bool("send_native_histograms", false);
    boolean roundRobin = r.bool("round_robin_dns", false);
    String message = r.string("protobuf_message", WRITE_V1);
    if (!message.equals(WRITE_V1) && !message.equals(WRITE_V2)) {
      r.error("protobuf_message", "invalid protobuf_message value: unknown remote write protobuf message "
          + message + ", supported: " + WRITE_V1 + ", " + WRITE_V2);
    }
    List<String> auth = new ArrayList<>();
    for (String key : List.of("basic_auth", "authorization", "oauth2", "sigv4", "azuread", "google_iam")) {
      if (r.has(key)) {
        auth.add(key);
      }
    }
    int errorsBefore = p.errorCount();
    HttpClientConfig http = HttpClientConfig.read(r, ctx, false);
    for (String key : List.of("sigv4", "azuread", "google_iam")) {
      r.ignore(key, key + " is not supported by Vigil yet; requests are sent without it");
    }
    if (auth.size() > 1 && p.errorCount() == errorsBefore) { // else already reported
      r.error("at most one of basic_auth, authorization, oauth2, sigv4, azuread or google_iam must be configured. "
          + "Currently configured: [" + String.join(" ", auth) + "]");
    }
    QueueConfig queue = r.object("queue_config", QueueConfig::read);
    MetadataConfig metadata = r.object("metadata_config", MetadataConfig::read);
    r.finish();
    return new RemoteWriteConfig(url, name, timeout, headers, relabel, exemplars, nativeHistograms, roundRobin,
        message, http, queue, metadata);
  }

  Map<String, Object> render() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("url", RemoteEndpoints.redacted(url));
    m.put("remote_timeout", remoteTimeout);
    if (!headers.isEmpty()) {
      m.put("headers", headers);
    }
    RelabelConfigs.renderInto(m, "write_relabel_configs", writeRelabelConfigs);
    BasicAuth.putIfSet(m, "name", name);
    if (sendExemplars) {
      m.put("send_exemplars", true);
    }
    if (sendNativeHistograms) {
      m.put("send_native_histograms", true);
    }
    if (roundRobinDns) {
      m.put("round_robin_dns", true);
    }
    m.put("protobuf_message", protobufMessage);
    httpClient.render(m);
    m.put("queue_config", queueConfig.render());
    m.put("metadata_config", metadataConfig.render());
    return m;
  }
}
