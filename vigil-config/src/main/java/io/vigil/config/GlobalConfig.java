package io.vigil.config;

import io.vigil.model.LabelNames;
import io.vigil.model.Labels;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code global} section: defaults for every scrape job and rule group, and the external labels
 * attached when talking to other systems (Alertmanager, remote write, federation). Limits of 0 mean
 * "no limit".
 *
 * @param scrapeInterval default 1m
 * @param scrapeTimeout default 10s, or the scrape interval when that is shorter
 * @param scrapeProtocols formats to negotiate; empty when not set (each job then uses
 *     {@link ScrapeProtocol#DEFAULT})
 * @param evaluationInterval rule evaluation interval, default 1m
 * @param ruleQueryOffset how far in the past rule groups evaluate by default, default 0s
 * @param queryLogFile file PromQL queries are logged to, "" for none
 * @param externalLabels with {@code $VAR}/{@code ${VAR}} already expanded from the environment
 */
public record GlobalConfig(
    PromDuration scrapeInterval,
    PromDuration scrapeTimeout,
    List<ScrapeProtocol> scrapeProtocols,
    PromDuration evaluationInterval,
    PromDuration ruleQueryOffset,
    String queryLogFile,
    Labels externalLabels,
    ByteSize bodySizeLimit,
    long sampleLimit,
    long targetLimit,
    long labelLimit,
    long labelNameLengthLimit,
    long labelValueLengthLimit,
    long keepDroppedTargets) {

  public static final PromDuration DEFAULT_SCRAPE_INTERVAL = PromDuration.ofMinutes(1);
  public static final PromDuration DEFAULT_SCRAPE_TIMEOUT = PromDuration.ofSeconds(10);
  public static final PromDuration DEFAULT_EVALUATION_INTERVAL = PromDuration.ofMinutes(1);

  public static final GlobalConfig DEFAULT = new GlobalConfig(DEFAULT_SCRAPE_INTERVAL, DEFAULT_SCRAPE_TIMEOUT,
      List.of(), DEFAULT_EVALUATION_INTERVAL, PromDuration.ZERO, "", Labels.EMPTY, ByteSize.ZERO, 0, 0, 0, 0, 0, 0);

  /** Prometheus 3 fields that Vigil accepts and ignores (with a warning). */
  static final List<String> IGNORED = List.of("metric_name_validation_scheme", "metric_name_escaping_scheme",
      "scrape_native_histograms", "always_scrape_classic_histograms", "convert_classic_histograms_to_nhcb",
      "extra_scrape_metrics", "scrape_failure_log_file");

  public GlobalConfig {
    scrapeProtocols = List.copyOf(scrapeProtocols);
  }

  static GlobalConfig read(MappingReader r, ReadContext ctx) {
    PromDuration interval = r.nonZeroDuration("scrape_interval", DEFAULT_SCRAPE_INTERVAL);
    PromDuration timeout = scrapeTimeout(r, interval, DEFAULT_SCRAPE_TIMEOUT,
        "global scrape timeout greater than scrape interval");
    List<ScrapeProtocol> protocols = ScrapeProtocol.readList(r, "scrape_protocols");
    PromDuration evaluation = r.nonZeroDuration("evaluation_interval", DEFAULT_EVALUATION_INTERVAL);
    PromDuration ruleQueryOffset = r.duration("rule_query_offset", PromDuration.ZERO);
    String queryLogFile = ctx.resolve(r.string("query_log_file", ""));
    Labels external = readExternalLabels(r, ctx);
    ByteSize bodySizeLimit = r.byteSize("body_size_limit", ByteSize.ZERO);
    long sampleLimit = r.uint("sample_limit", 0);
    long targetLimit = r.uint("target_limit", 0);
    long labelLimit = r.uint("label_limit", 0);
    long labelNameLengthLimit = r.uint("label_name_length_limit", 0);
    long labelValueLengthLimit = r.uint("label_value_length_limit", 0);
    long keepDroppedTargets = r.uint("keep_dropped_targets", 0);
    for (String key : IGNORED) {
      r.ignore(key, key + " is not supported by Vigil and is ignored");
    }
    return new GlobalConfig(interval, timeout, protocols, evaluation, ruleQueryOffset, queryLogFile, external,
        bodySizeLimit, sampleLimit, targetLimit, labelLimit, labelNameLengthLimit, labelValueLengthLimit,
        keepDroppedTargets);
  }

  /**
   * scrape_timeout: never above the interval; when unset, {@code fallback} capped at the interval
   * (Prometheus's rule for both the global section and each job).
   */
  static PromDuration scrapeTimeout(MappingReader r, PromDuration interval, PromDuration fallback, String tooLong) {
    PromDuration timeout = r.duration("scrape_timeout", PromDuration.ZERO);
    if (timeout.compareTo(interval) > 0) {
      r.error("scrape_timeout", tooLong);
    }
    return timeout.isZero() ? fallback.min(interval) : timeout;
  }

  private static Labels readExternalLabels(MappingReader r, ReadContext ctx) {
    MappingReader labels = MappingReader.of(r.take("external_labels"), r.path("external_labels"), ctx.problems());
    Labels.Builder b = new Labels.Builder();
    for (String name : labels.keys()) {
      YamlNode node = labels.at(name);
      String value = labels.string(name, "");
      if (!LabelNames.isValidLabelName(name)) {
        labels.error(name, LabelNames.quote(name) + " is not a valid label name");
        continue;
      }
      String expanded = EnvExpansion.expand(value, ctx.env(), unset -> ctx.problems().warn(node.line(),
          node.column(), labels.path(name), "empty environment variable " + unset));
      b.add(name, expanded);
    }
    labels.finish();
    return b.build();
  }

  Map<String, Object> render() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("scrape_interval", scrapeInterval);
    m.put("scrape_timeout", scrapeTimeout);
    if (!scrapeProtocols.isEmpty()) {
      m.put("scrape_protocols", scrapeProtocols.stream().map(ScrapeProtocol::configName).toList());
    }
    m.put("evaluation_interval", evaluationInterval);
    if (!ruleQueryOffset.isZero()) {
      m.put("rule_query_offset", ruleQueryOffset);
    }
    BasicAuth.putIfSet(m, "query_log_file", queryLogFile);
    if (!externalLabels.isEmpty()) {
      m.put("external_labels", externalLabels.toMap());
    }
    ScrapeConfig.renderLimits(m, bodySizeLimit, sampleLimit, targetLimit, labelLimit, labelNameLengthLimit,
        labelValueLengthLimit, keepDroppedTargets);
    return m;
  }
}
