package io.vigil.tsdb.head;

/**
 * @param chunkRangeMs the block range: head chunks never span a multiple of it, and in-order samples
 *     more than half of it older than the head's newest sample are out of bounds (Prometheus's rule)
 * @param outOfOrderWindowMs samples up to this much older than the head's newest sample are accepted
 *     out of order; 0 rejects every out-of-order sample
 * @param maxSeries at most this many series in the head, 0 for no limit (appends creating more are
 *     rejected with reason LIMIT)
 */
public record HeadOptions(long chunkRangeMs, long outOfOrderWindowMs, int maxSeries) {
  public HeadOptions {
    if (chunkRangeMs <= 0) {
      throw new IllegalArgumentException("chunkRangeMs must be positive: " + chunkRangeMs);
    }
    if (outOfOrderWindowMs < 0) {
      throw new IllegalArgumentException("outOfOrderWindowMs must not be negative: " + outOfOrderWindowMs);
    }
    if (maxSeries < 0) {
      throw new IllegalArgumentException("maxSeries must not be negative: " + maxSeries);
    }
  }
}
