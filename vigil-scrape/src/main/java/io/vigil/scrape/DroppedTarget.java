package io.vigil.scrape;

import io.vigil.model.Labels;

/**
 * A discovered target that target relabeling dropped ({@code droppedTargets} of
 * {@code /api/v1/targets}).
 *
 * @param discoveredLabels its labels before relabeling, defaults included
 * @param scrapePool the job that dropped it
 */
public record DroppedTarget(Labels discoveredLabels, String scrapePool) {}
