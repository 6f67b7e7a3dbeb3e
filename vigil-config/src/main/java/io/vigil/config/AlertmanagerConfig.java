package io.vigil.config;

import io.vigil.model.relabel.RelabelConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One set of Alertmanagers to send alerts to ({@code alerting.alertmanagers[]}).
 *
 * @param httpClient authentication, TLS, redirects, proxy
 * @param scheme {@code http} (default) or {@code https}
 * @param pathPrefix prefix of the API path on the Alertmanagers, "" by default
 * @param timeout per request, default 10s
 * @param apiVersion always {@code v2}: v1 was removed in Prometheus 3 and is rejected
 * @param relabelConfigs relabeling of the discovered Alertmanager targets
 * @param alertRelabelConfigs relabeling of alerts sent to this set only
 * @param serviceDiscoveryConfigs where the Alertmanagers come from, ordered as in {@link ScrapeConfig}
 */
public record AlertmanagerConfig(
    HttpClientConfig httpClient,
    String scheme,
    String pathPrefix,
    PromDuration timeout,
    String apiVersion,
    List<RelabelConfig> relabelConfigs,
    List<RelabelConfig> alertRelabelConfigs,
    List<DiscoveryConfig> serviceDiscoveryConfigs) {

  public static final PromDuration DEFAULT_TIMEOUT = PromDuration.ofSeconds(10);
  public static final String API_V2 = "v2";

  public AlertmanagerConfig {
    relabelConfigs = List.copyOf(relabelConfigs);
    alertRelabelConfigs = List.copyOf(alertRelabelConfigs);
    serviceDiscoveryConfigs = List.copyOf(serviceDiscoveryConfigs);
  }

  public List<StaticConfig> staticConfigs() {
    return serviceDiscoveryConfigs.stream().filter(StaticConfig.class::isInstance).map(StaticConfig.class::cast).toList();
  }

  public List<FileSdConfig> fileSdConfigs() {
    return serviceDiscoveryConfigs.stream().filter(FileSdConfig.class::isInstance).map(FileSdConfig.class::cast).toList();
  }

  static AlertmanagerConfig read(YamlNode node, String path, ReadContext ctx) {
    Problems p = ctx.problems();
    MappingReader r = MappingReader.ofItem(node, path, p, "empty or null section in alertmanagers");
    if (r == null) {
      return null;
    }
    HttpClientConfig http = HttpClientConfig.read(r, ctx, true);
    r.ignore("sigv4", "sigv4 is not supported by Vigil yet; alerts are sent without it");
    String scheme = r.string("scheme", "http");
    if (!scheme.equals("http") && !scheme.equals("https")) {
      r.error("scheme", "scheme must be \"http\" or \"https\", got \"" + scheme + "\"");
    }
    String pathPrefix = r.string("path_prefix", "");
    PromDuration timeout = r.duration("timeout", DEFAULT_TIMEOUT);
    String apiVersion = r.string("api_version", API_V2);
    if (!apiVersion.equals(API_V2)) {
      r.error("api_version", "expected Alertmanager api version to be one of [v2] but got " + apiVersion);
    }
    List<RelabelConfig> relabel = RelabelConfigs.read(r, "relabel_configs",
        "empty or null Alertmanager target relabeling rule");
    List<RelabelConfig> alertRelabel = RelabelConfigs.read(r, "alert_relabel_configs",
        "empty or null Alertmanager alert relabeling rule");
    List<DiscoveryConfig> discovery = Discovery.read(r, ctx, relabel.isEmpty());
    r.finish();
    return new AlertmanagerConfig(http, scheme, pathPrefix, timeout, apiVersion, relabel, alertRelabel, discovery);
  }

  Map<String, Object> render() {
    Map<String, Object> m = new LinkedHashMap<>();
    httpClient.render(m);
    m.put("scheme", scheme);
    BasicAuth.putIfSet(m, "path_prefix", pathPrefix);
    m.put("timeout", timeout);
    m.put("api_version", apiVersion);
    RelabelConfigs.renderInto(m, "relabel_configs", relabelConfigs);
    RelabelConfigs.renderInto(m, "alert_relabel_configs", alertRelabelConfigs);
    Discovery.render(serviceDiscoveryConfigs, m);
    return m;
  }
}
