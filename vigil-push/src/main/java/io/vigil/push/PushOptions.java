package io.vigil.push;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the push store keeps and limits groups. Build with {@link #defaults(Path)} and the
 * {@code with...} methods; vigil-server maps its {@code --push.*} flags onto these fields.
 *
 * @param journalDir where the journal and its snapshots live (e.g. {@code <data>/push}); created if
 *     missing
 * @param groupTtl groups not pushed to successfully for this long are deleted (journaled) and their
 *     series end with staleness markers. Default {@link Duration#ZERO}: groups live until deleted, as
 *     in the Pushgateway. A push may override it per group with {@code ?ttl=<duration>}.
 * @param maxBodyBytes request body size after decompression. Default 16 MiB: pushes are KiBs (a
 *     restic summary is under 1 KiB); 16 MiB holds ~200,000 series and bounds what one request can
 *     make the server buffer.
 * @param maxSeriesPerPush samples one push may carry (a histogram bucket, _sum and _count each count),
 *     also the most one group may hold after a POST merges into it. Default 100,000: far above
 *     batch-job metrics, low enough that one push cannot take hundreds of MB of heap.
 * @param maxLabelsPerSeries labels of one series, grouping labels included, metric name not.
 *     Default 64: Prometheus's scrape default is unlimited, but pushed series carry a handful; a
 *     series with more is almost surely a broken script.
 * @param maxLabelValueBytes UTF-8 bytes of one label value, path values included. Default 4096: paths
 *     and command lines fit; every byte is kept per series in memory here and in the TSDB head.
 * @param maxGroups groups the store holds. Default 100,000: about 1 KiB of heap per small group, so
 *     ~100 MB at the limit; a loop pushing a new grouping key per run hits it instead of the heap.
 * @param fsync whether a change is fsynced before it is acknowledged. Default true; false only for
 *     benchmarks and tests that measure everything but the disk (a crash then loses changes).
 * @param compactionMinBytes journal bytes written since the last snapshot that start a compaction,
 *     if they are also more than twice the snapshot. Default 64 MiB: replay reads that in well under
 *     a second; compacting more often only rewrites the live groups for nothing.
 * @param compactionCheckInterval how often the size above is checked. Default 1 minute.
 */
public record PushOptions(Path journalDir, Duration groupTtl, long maxBodyBytes, int maxSeriesPerPush,
    int maxLabelsPerSeries, int maxLabelValueBytes, int maxGroups, boolean fsync, long compactionMinBytes,
    Duration compactionCheckInterval) {

  public static final long DEFAULT_MAX_BODY_BYTES = 16L << 20;
  public static final int DEFAULT_MAX_SERIES_PER_PUSH = 100_000;
  public static final int DEFAULT_MAX_LABELS_PER_SERIES = 64;
  public static final int DEFAULT_MAX_LABEL_VALUE_BYTES = 4096;
  public static final int DEFAULT_MAX_GROUPS = 100_000;
  public static final long DEFAULT_COMPACTION_MIN_BYTES = 64L << 20;

  public PushOptions {
    Objects.requireNonNull(journalDir, "journalDir");
    Objects.requireNonNull(groupTtl, "groupTtl");
    Objects.requireNonNull(compactionCheckInterval, "compactionCheckInterval");
    if (groupTtl.isNegative()) {
      throw new IllegalArgumentException("push group TTL must not be negative: " + groupTtl);
    }
    if (maxBodyBytes < 1 || maxSeriesPerPush < 1 || maxLabelsPerSeries < 1 || maxLabelValueBytes < 1
        || maxGroups < 1 || compactionMinBytes < 1) {
      throw new IllegalArgumentException("push limits must be positive");
    }
    if (compactionCheckInterval.isNegative() || compactionCheckInterval.isZero()) {
      throw new IllegalArgumentException("compaction check interval must be positive");
    }
  }

  public static PushOptions defaults(Path journalDir) {
    return new PushOptions(journalDir, Duration.ZERO, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_SERIES_PER_PUSH,
        DEFAULT_MAX_LABELS_PER_SERIES, DEFAULT_MAX_LABEL_VALUE_BYTES, DEFAULT_MAX_GROUPS, true,
        DEFAULT_COMPACTION_MIN_BYTES, Duration.ofMinutes(1));
  }

  public PushOptions withGroupTtl(Duration ttl) {
    return new PushOptions(journalDir, ttl, maxBodyBytes, maxSeriesPerPush, maxLabelsPerSeries,
        maxLabelValueBytes, maxGroups, fsync, compactionMinBytes, compactionCheckInterval);
  }

  public PushOptions withLimits(long maxBodyBytes, int maxSeriesPerPush, int maxLabelsPerSeries,
      int maxLabelValueBytes, int maxGroups) {
    return new PushOptions(journalDir, groupTtl, maxBodyBytes, maxSeriesPerPush, maxLabelsPerSeries,
        maxLabelValueBytes, maxGroups, fsync, compactionMinBytes, compactionCheckInterval);
  }

  public PushOptions withFsync(boolean fsync) {
    return new PushOptions(journalDir, groupTtl, maxBodyBytes, maxSeriesPerPush, maxLabelsPerSeries,
        maxLabelValueBytes, maxGroups, fsync, compactionMinBytes, compactionCheckInterval);
  }

  public PushOptions withCompaction(long minBytes, Duration checkInterval) {
    return new PushOptions(journalDir, groupTtl, maxBodyBytes, maxSeriesPerPush, maxLabelsPerSeries,
        maxLabelValueBytes, maxGroups, fsync, minBytes, checkInterval);
  }
}
