package io.vigil.scrape;

import io.vigil.model.Labels;
import java.util.List;

/**
 * The metadata one active target reported ({@code /api/v1/targets/metadata}).
 *
 * @param target the target's labels after relabeling
 * @param metrics one entry per family seen in the recent scrapes of this target, sorted by name
 */
public record TargetMetadata(Labels target, List<MetricMetadata> metrics) {
  public TargetMetadata {
    metrics = List.copyOf(metrics);
  }
}
