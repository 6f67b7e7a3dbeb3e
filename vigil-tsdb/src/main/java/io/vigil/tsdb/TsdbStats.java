package io.vigil.tsdb;

import java.util.List;

/**
 * What /api/v1/status/tsdb reports, computed from the head as Prometheus does.
 *
 * @param headStats totals of the head
 * @param seriesCountByMetricName metric names with the most series, descending
 * @param labelValueCountByLabelName label names with the most distinct values, descending
 * @param memoryInBytesByLabelName label names by the bytes of their distinct values, descending
 * @param seriesCountByLabelValuePair label pairs ({@code name=value}) with the most series, descending
 */
public record TsdbStats(
    HeadStats headStats,
    List<Stat> seriesCountByMetricName,
    List<Stat> labelValueCountByLabelName,
    List<Stat> memoryInBytesByLabelName,
    List<Stat> seriesCountByLabelValuePair) {

  /**
   * @param minTime oldest sample in the head (ms), Long.MAX_VALUE when empty
   * @param maxTime newest sample in the head (ms), Long.MIN_VALUE when empty
   */
  public record HeadStats(long numSeries, long numLabelPairs, long chunkCount, long minTime, long maxTime) {}

  public record Stat(String name, long value) {}
}
