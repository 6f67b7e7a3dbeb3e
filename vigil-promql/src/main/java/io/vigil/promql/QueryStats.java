package io.vigil.promql;

/**
 * What a query cost, like Prometheus's stats=all.
 *
 * @param totalQueryableSamples samples loaded from storage and produced by evaluation
 * @param peakSamples the most samples held at once
 * @param queueTimeNanos time spent waiting for a concurrency slot
 * @param parseTimeNanos time spent parsing (0 for pre-parsed queries)
 * @param evalTimeNanos time spent evaluating
 */
public record QueryStats(long totalQueryableSamples, long peakSamples, long queueTimeNanos, long parseTimeNanos,
    long evalTimeNanos) {}
