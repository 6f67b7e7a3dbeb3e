package io.vigil.web.api;

import java.util.List;

/**
 * Statistics of the TSDB head for {@code /api/v1/status/tsdb} and the WAL replay progress for
 * {@code /api/v1/status/walreplay}. Implementations must be thread-safe; they are called on request
 * threads.
 */
public interface TsdbStatus {
  /** An empty head (as Prometheus reports one that holds nothing) and a finished, empty replay. */
  TsdbStatus EMPTY = new TsdbStatus() {
    @Override
    public Stats stats(int limit) {
      return Stats.EMPTY;
    }

    @Override
    public WalReplay walReplay() {
      return new WalReplay(0, 0, 0);
    }
  };

  /**
   * Head statistics with the top {@code limit} entries of each cardinality list, largest first.
   *
   * @param limit at least 1 (the API validates it; Prometheus's default is 10)
   */
  Stats stats(int limit);

  WalReplay walReplay();

  /**
   * @param minTime the head's oldest sample (ms); {@code Long.MAX_VALUE} when empty, as in Prometheus
   * @param maxTime the head's newest sample (ms); {@code Long.MIN_VALUE} when empty
   */
  record HeadStats(long numSeries, long numLabelPairs, long chunkCount, long minTime, long maxTime) {}

  /** One entry of a cardinality list, e.g. {@code job=node} with 515 series. */
  record Stat(String name, long value) {}

  record Stats(HeadStats headStats, List<Stat> seriesCountByMetricName, List<Stat> labelValueCountByLabelName,
      List<Stat> memoryInBytesByLabelName, List<Stat> seriesCountByLabelValuePair) {
    public static final Stats EMPTY = new Stats(new HeadStats(0, 0, 0, Long.MAX_VALUE, Long.MIN_VALUE), List.of(),
        List.of(), List.of(), List.of());

    public Stats {
      seriesCountByMetricName = List.copyOf(seriesCountByMetricName);
      labelValueCountByLabelName = List.copyOf(labelValueCountByLabelName);
      memoryInBytesByLabelName = List.copyOf(memoryInBytesByLabelName);
      seriesCountByLabelValuePair = List.copyOf(seriesCountByLabelValuePair);
    }
  }

  /** WAL segments: first, last and the one being replayed (all equal once replay is done). */
  record WalReplay(int min, int max, int current) {}
}
