package io.vigil.config;

import io.vigil.model.LabelNames;
import io.vigil.model.relabel.RelabelConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One scrape job ({@code scrape_configs[]}), with the global defaults already applied: intervals,
 * timeouts, protocols and limits are final values, never "unset". Limits of 0 mean "no limit".
 *
 * @param jobName unique among jobs; the default {@code job} label
 * @param honorLabels keep the target's labels on conflicts with server-side ones; default false
 * @param honorTimestamps use timestamps the target exposes; default true
 * @param trackTimestampsStaleness write staleness markers for series with explicit timestamps; default false
 * @param params URL query parameters for every scrape, in file order
 * @param scrapeInterval the job's or the global interval
 * @param scrapeTimeout the job's timeout, else min(global timeout, interval); never above the interval
 * @param scrapeProtocols order of preference for content negotiation; never empty
 * @param fallbackScrapeProtocol format assumed when the target's Content-Type is missing or unknown,
 *     or null to fail such scrapes
 * @param metricsPath default {@code /metrics}
 * @param scheme {@code http} (default) or {@code https}
 * @param enableCompression ask for gzip; default true
 * @param httpClient authentication, TLS, redirects, proxy
 * @param relabelConfigs target relabeling
 * @param metricRelabelConfigs relabeling of scraped samples
 * @param serviceDiscoveryConfigs where targets come from: grouped by YAML key in alphabetical order
 *     (Prometheus's order), file order within a key
 */
public record ScrapeConfig(
    String jobName,
    boolean honorLabels,
    boolean honorTimestamps,
    boolean trackTimestampsStaleness,
    Map<String, List<String>> params,
    PromDuration scrapeInterval,
    PromDuration scrapeTimeout,
    List<ScrapeProtocol> scrapeProtocols,
    ScrapeProtocol fallbackScrapeProtocol,
    String metricsPath,
    String scheme,
    boolean enableCompression,
    ByteSize bodySizeLimit,
    long sampleLimit,
    long targetLimit,
    long labelLimit,
    long labelNameLengthLimit,
    long labelValueLengthLimit,
    long keepDroppedTargets,
    HttpClientConfig httpClient,
    List<RelabelConfig> relabelConfigs,
    List<RelabelConfig> metricRelabelConfigs,
    List<DiscoveryConfig> serviceDiscoveryConfigs) {

  public static final String DEFAULT_METRICS_PATH = "/metrics";

  /** Prometheus fields that Vigil accepts and ignores (with a warning). */
  private static final List<String> IGNORED = List.of("scrape_native_histograms", "always_scrape_classic_histograms",
      "convert_classic_histograms_to_nhcb", "native_histogram_bucket_limit", "native_histogram_min_bucket_factor",
      "metric_name_validation_scheme", "metric_name_escaping_scheme", "extra_scrape_metrics",
      "scrape_failure_log_file", "scrape_classic_histograms");

  public ScrapeConfig {
    params = unmodifiable(params);
    scrapeProtocols = List.copyOf(scrapeProtocols);
    relabelConfigs = List.copyOf(relabelConfigs);
    metricRelabelConfigs = List.copyOf(metricRelabelConfigs);
    serviceDiscoveryConfigs = List.copyOf(serviceDiscoveryConfigs);
  }

  private static Map<String, List<String>> unmodifiable(Map<String, List<String>> m) {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    m.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    return java.util.Collections.unmodifiableMap(copy);
  }

  /** The static target groups among {@link #serviceDiscoveryConfigs()}. */
  public List<StaticConfig> staticConfigs() {
    return serviceDiscoveryConfigs.stream().filter(StaticConfig.class::isInstance).map(StaticConfig.class::cast).toList();
  }

  /** The file discovery entries among {@link #serviceDiscoveryConfigs()}. */
  public List<FileSdConfig> fileSdConfigs() {
    return serviceDiscoveryConfigs.stream().filter(FileSdConfig.class::isInstance).map(FileSdConfig.class::cast).toList();
  }

  static ScrapeConfig read(YamlNode node, String path, GlobalConfig g, ReadContext ctx) {
    Problems p = ctx.problems();
    MappingReader r = MappingReader.ofItem(node, path, p, "empty or null scrape config section");
    if (r == null) {
      return null;
    }
    String jobName = r.string("job_name", "");
    if (jobName.isEmpty()) {
      r.error("job_name is empty");
    }
    boolean honorLabels = r.bool("honor_labels", false);
    boolean honorTimestamps = r.bool("honor_timestamps", true);
    boolean trackStaleness = r.bool("track_timestamps_staleness", false);
    Map<String, List<String>> params = readParams(r);
    PromDuration interval = r.nonZeroDuration("scrape_interval", g.scrapeInterval());
    PromDuration timeout = GlobalConfig.scrapeTimeout(r, interval, g.scrapeTimeout(),
        "scrape timeout greater than scrape interval for scrape config with job name " + LabelNames.quote(jobName));
    List<ScrapeProtocol> protocols = ScrapeProtocol.readList(r, "scrape_protocols");
    if (protocols.isEmpty()) {
      protocols = g.scrapeProtocols().isEmpty() ? ScrapeProtocol.DEFAULT : g.scrapeProtocols();
    }
    ScrapeProtocol fallback = null;
    String fallbackName = r.string("fallback_scrape_protocol", "");
    if (!fallbackName.isEmpty()) {
      try {
        fallback = ScrapeProtocol.parse(fallbackName);
      } catch (IllegalArgumentException e) {
        r.error("fallback_scrape_protocol", "invalid fallback_scrape_protocol for scrape config with job name "
            + LabelNames.quote(jobName) + ": " + e.getMessage());
      }
    }
    String metricsPath = r.string("metrics_path", DEFAULT_METRICS_PATH);
    String scheme = r.string("scheme", "http");
    if (!scheme.equals("http") && !scheme.equals("https")) {
      r.error("scheme", "scheme must be \"http\" or \"https\", got " + LabelNames.quote(scheme));
    }
    boolean compression = r.bool("enable_compression", true);
    ByteSize bodySizeLimit = r.byteSize("body_size_limit", ByteSize.ZERO);
    long sampleLimit = orGlobal(r.uint("sample_limit", 0), g.sampleLimit());
    long targetLimit = orGlobal(r.uint("target_limit", 0), g.targetLimit());
    long labelLimit = orGlobal(r.uint("label_limit", 0), g.labelLimit());
    long nameLengthLimit = orGlobal(r.uint("label_name_length_limit", 0), g.labelNameLengthLimit());
    long valueLengthLimit = orGlobal(r.uint("label_value_length_limit", 0), g.labelValueLengthLimit());
    long keepDropped = orGlobal(r.uint("keep_dropped_targets", 0), g.keepDroppedTargets());
    for (String key : IGNORED) {
      r.ignore(key, key + " is not supported by Vigil and is ignored");
    }
    HttpClientConfig http = HttpClientConfig.read(r, ctx, true);
    List<RelabelConfig> relabel = RelabelConfigs.read(r, "relabel_configs",
        "empty or null target relabeling rule in scrape config");
    List<RelabelConfig> metricRelabel = RelabelConfigs.read(r, "metric_relabel_configs",
        "empty or null metric relabeling rule in scrape config");
    List<DiscoveryConfig> discovery = Discovery.read(r, ctx, relabel.isEmpty());
    r.finish();
    return new ScrapeConfig(jobName, honorLabels, honorTimestamps, trackStaleness, params, interval, timeout,
        protocols, fallback, metricsPath, scheme, compression,
        bodySizeLimit.isZero() ? g.bodySizeLimit() : bodySizeLimit, sampleLimit, targetLimit, labelLimit,
        nameLengthLimit, valueLengthLimit, keepDropped, http, relabel, metricRelabel, discovery);
  }

  private static long orGlobal(long local, long global) {
    return local == 0 ? global : local;
  }

  private static Map<String, List<String>> readParams(MappingReader r) {
    MappingReader params = MappingReader.of(r.take("params"), r.path("params"), r.problems());
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String name : params.keys()) {
      out.put(name, params.strings(name));
    }
    params.finish();
    return out;
  }

  Map<String, Object> render() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("job_name", jobName);
    if (honorLabels) {
      m.put("honor_labels", true);
    }
    m.put("honor_timestamps", honorTimestamps);
    m.put("track_timestamps_staleness", trackTimestampsStaleness);
    if (!params.isEmpty()) {
      m.put("params", params);
    }
    m.put("scrape_interval", scrapeInterval);
    m.put("scrape_timeout", scrapeTimeout);
    m.put("scrape_protocols", scrapeProtocols.stream().map(ScrapeProtocol::configName).toList());
    if (fallbackScrapeProtocol != null) {
      m.put("fallback_scrape_protocol", fallbackScrapeProtocol.configName());
    }
    m.put("metrics_path", metricsPath);
    m.put("scheme", scheme);
    m.put("enable_compression", enableCompression);
    renderLimits(m, bodySizeLimit, sampleLimit, targetLimit, labelLimit, labelNameLengthLimit,
        labelValueLengthLimit, keepDroppedTargets);
    httpClient.render(m);
    RelabelConfigs.renderInto(m, "relabel_configs", relabelConfigs);
    RelabelConfigs.renderInto(m, "metric_relabel_configs", metricRelabelConfigs);
    Discovery.render(serviceDiscoveryConfigs, m);
    return m;
  }

  /** The limit fields in Prometheus's order, each only when set (Prometheus omits zeros). */
  static void renderLimits(Map<String, Object> m, ByteSize body, long samples, long targets, long labels,
      long nameLength, long valueLength, long keepDropped) {
    if (!body.isZero()) {
      m.put("body_size_limit", body);
    }
    String[] keys = {"sample_limit", "target_limit", "label_limit", "label_name_length_limit",
        "label_value_length_limit", "keep_dropped_targets"};
    long[] values = {samples, targets, labels, nameLength, valueLength, keepDropped};
    for (int i = 0; i < keys.length; i++) {
      if (values[i] != 0) {
        m.put(keys[i], values[i]);
      }
    }
  }
}
