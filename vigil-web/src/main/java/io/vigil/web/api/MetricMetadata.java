package io.vigil.web.api;

import io.vigil.model.Metadata;

/** What a TYPE/HELP/UNIT line said about one metric (family) name. */
public record MetricMetadata(String metric, Metadata metadata) {}
