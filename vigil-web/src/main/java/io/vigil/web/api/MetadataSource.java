package io.vigil.web.api;

import java.util.List;

/**
 * Metric metadata for {@code /api/v1/metadata}: everything scraped targets (and pushed groups)
 * reported. Entries may repeat; the API keeps each distinct (type, help, unit) once per metric.
 * Thread-safe; a snapshot per call.
 */
@FunctionalInterface
public interface MetadataSource {
  MetadataSource EMPTY = List::of;

  List<MetricMetadata> metadata();
}
