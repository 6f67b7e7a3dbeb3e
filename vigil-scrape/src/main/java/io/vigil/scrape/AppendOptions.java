package io.vigil.scrape;

import io.vigil.config.ScrapeConfig;
import io.vigil.config.ScrapeProtocol;
import io.vigil.exposition.ParserOptions;
import io.vigil.model.Labels;
import io.vigil.model.relabel.RelabelConfig;
import java.util.List;
import java.util.Objects;

/**
 * How the samples of one target's bodies become series: the parts of a scrape config that change
 * stored data. Limits of 0 mean no limit.
 *
 * @param targetLabels the target's labels (no {@code __} labels), added to every sample
 * @param honorLabels on a conflict keep the exposed label (true) or rename it {@code exported_<name>}
 * @param honorTimestamps use the timestamps a body carries; otherwise every sample gets the scrape time
 * @param trackTimestampsStaleness write staleness markers for series with explicit timestamps too
 * @param metricRelabelConfigs applied to each new series after the target labels
 * @param sampleLimit most samples after metric relabeling; more fail the scrape
 * @param labelLimit most labels per series (metric name included); more fail the scrape
 * @param labelNameLengthLimit longest label name in bytes; longer fails the scrape
 * @param labelValueLengthLimit longest label value in UTF-8 bytes; longer fails the scrape
 * @param fallbackProtocol format for a missing or unknown Content-Type, or null to fail the scrape
 * @param parserOptions the exposition parsers' own bounds
 */
public record AppendOptions(
    Labels targetLabels,
    boolean honorLabels,
    boolean honorTimestamps,
    boolean trackTimestampsStaleness,
    List<RelabelConfig> metricRelabelConfigs,
    long sampleLimit,
    long labelLimit,
    long labelNameLengthLimit,
    long labelValueLengthLimit,
    ScrapeProtocol fallbackProtocol,
    ParserOptions parserOptions) {

  public AppendOptions {
    Objects.requireNonNull(targetLabels, "targetLabels");
    metricRelabelConfigs = List.copyOf(metricRelabelConfigs);
    Objects.requireNonNull(parserOptions, "parserOptions");
  }

  /** The options a scrape job gives one of its targets. */
  public static AppendOptions of(ScrapeConfig cfg, Labels targetLabels) {
    return new AppendOptions(targetLabels, cfg.honorLabels(), cfg.honorTimestamps(), cfg.trackTimestampsStaleness(),
        cfg.metricRelabelConfigs(), cfg.sampleLimit(), cfg.labelLimit(), cfg.labelNameLengthLimit(),
        cfg.labelValueLengthLimit(), cfg.fallbackScrapeProtocol(), ParserOptions.DEFAULTS);
  }

  /**
   * Whether a cache built under {@code this} is valid under {@code other}: everything that shapes
   * the cached labels is equal (Prometheus's {@code reusableCache}; the sample limit only counts).
   */
  boolean cacheCompatible(AppendOptions other) {
    return targetLabels.equals(other.targetLabels) && honorLabels == other.honorLabels
        && metricRelabelConfigs.equals(other.metricRelabelConfigs) && labelLimit == other.labelLimit
        && labelNameLengthLimit == other.labelNameLengthLimit && labelValueLengthLimit == other.labelValueLengthLimit;
  }
}
