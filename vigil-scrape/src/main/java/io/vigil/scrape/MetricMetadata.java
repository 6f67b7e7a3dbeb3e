package io.vigil.scrape;

import io.vigil.model.Metadata;

/**
 * What a target's TYPE, HELP and UNIT lines said about one metric family.
 *
 * @param metric the family name as written on those lines (OpenMetrics: without {@code _total})
 */
public record MetricMetadata(String metric, Metadata metadata) {}
