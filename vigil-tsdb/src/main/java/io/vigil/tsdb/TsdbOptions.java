package io.vigil.tsdb;

import io.vigil.tsdb.wal.WalDescriptor;

/**
 * Options of a {@link Tsdb}. Start from {@link #defaults()} and change what you need with the
 * {@code with...} methods; vigil-server maps Prometheus's {@code --storage.tsdb.*} flags onto them.
 *
 * @param retentionMs blocks whose data ends more than this before the newest block's end are deleted
 *     ({@code --storage.tsdb.retention.time}, default 15 d); 0 disables time retention
 * @param retentionBytes the oldest blocks are deleted while blocks, WAL and head together exceed this
 *     ({@code --storage.tsdb.retention.size}, default 0 = no limit)
 * @param blockRangeMs range of blocks cut from the head, and of head chunks (default 2 h; tests use
 *     minutes)
 * @param maxBlockRangeMs largest range compaction produces; 0 (default) means 10 % of the retention,
 *     at most 31 d and at least {@code blockRangeMs}
 * @param outOfOrderWindowMs samples this much older than the newest sample are still accepted
 *     ({@code --storage.tsdb.out-of-order-time-window}, default 0: out-of-order samples are rejected)
 * @param walSegmentBytes WAL segment size (default 128 MiB)
 * @param walEnabled whether commits are logged (default true); without a WAL the head is lost on exit
 * @param maxHeadSeries series limit of the head, 0 (default) for none
 * @param compactionIntervalMs how often the background task checks for head compaction, block
 *     compaction and retention (default 1 min; 0 disables it, then call {@link Tsdb#compact()})
 * @param verifyChunksOnOpen whether every chunk checksum of a block is verified when the block is
 *     opened (default true; costs one sequential read of the block at startup)
 * @param readerWaitLogMs how often head truncation logs while it waits for old queriers (default 1 min)
 * @param appenderTimeoutMs an appender batch open longer than this (neither committed nor rolled back)
 *     when head compaction needs it is discarded, and its commit fails (default 5 min; scrapes, pushes
 *     and remote writes take seconds)
 * @param querierTimeoutMs head truncation waits at most this long for queriers opened before it that
 *     read the range being dropped (default 10 min, above any sane query timeout); a querier left
 *     open longer may then miss data that moved to a block meanwhile
 */
public record TsdbOptions(
    long retentionMs,
    long retentionBytes,
    long blockRangeMs,
    long maxBlockRangeMs,
    long outOfOrderWindowMs,
    long walSegmentBytes,
    boolean walEnabled,
    int maxHeadSeries,
    long compactionIntervalMs,
    boolean verifyChunksOnOpen,
    long readerWaitLogMs,
    long appenderTimeoutMs,
    long querierTimeoutMs) {
  public static final long MINUTE_MS = 60_000L;
  public static final long HOUR_MS = 60 * MINUTE_MS;
  public static final long DAY_MS = 24 * HOUR_MS;
  /** Prometheus's cap on compacted block ranges: a month keeps index sizes and deletion steps sane. */
  public static final long MAX_BLOCK_RANGE_CAP_MS = 31 * DAY_MS;

  public TsdbOptions {
    if (blockRangeMs <= 0) {
      throw new IllegalArgumentException("blockRangeMs must be positive: " + blockRangeMs);
    }
    if (retentionMs < 0 || retentionBytes < 0 || maxBlockRangeMs < 0 || outOfOrderWindowMs < 0
        || compactionIntervalMs < 0 || maxHeadSeries < 0 || readerWaitLogMs <= 0 || appenderTimeoutMs <= 0
        || querierTimeoutMs <= 0) {
      throw new IllegalArgumentException("negative option in " + this);
    }
    if (walSegmentBytes < 1024) {
      throw new IllegalArgumentException("walSegmentBytes must be at least 1 KiB: " + walSegmentBytes);
    }
  }

  public static TsdbOptions defaults() {
    return new TsdbOptions(15 * DAY_MS, 0, 2 * HOUR_MS, 0, 0, WalDescriptor.DEFAULT_SEGMENT_BYTES, true, 0,
        MINUTE_MS, true, MINUTE_MS, 5 * MINUTE_MS, 10 * MINUTE_MS);
  }

  /** The largest block range compaction may produce (see {@link #maxBlockRangeMs}). */
  public long effectiveMaxBlockRangeMs() {
    if (maxBlockRangeMs > 0) {
      return Math.max(maxBlockRangeMs, blockRangeMs);
    }
    long fromRetention = retentionMs > 0 ? retentionMs / 10 : MAX_BLOCK_RANGE_CAP_MS;
    return Math.max(blockRangeMs, Math.min(fromRetention, MAX_BLOCK_RANGE_CAP_MS));
  }

  public TsdbOptions withRetentionMs(long v) {
    return new TsdbOptions(v, retentionBytes, blockRangeMs, maxBlockRangeMs, outOfOrderWindowMs, walSegmentBytes,
        walEnabled, maxHeadSeries, compactionIntervalMs, verifyChunksOnOpen, readerWaitLogMs, appenderTimeoutMs, querierTimeoutMs);
  }

  public TsdbOptions withRetentionBytes(long v) {
    return new TsdbOptions(retentionMs, v, blockRangeMs, maxBlockRangeMs, outOfOrderWindowMs, walSegmentBytes,
        walEnabled, maxHeadSeries, compactionIntervalMs, verifyChunksOnOpen, readerWaitLogMs, appenderTimeoutMs, querierTimeoutMs);
  }

  public TsdbOptions withBlockRangeMs(long v) {
    return new TsdbOptions(retentionMs, retentionBytes, v, maxBlockRangeMs, outOfOrderWindowMs, walSegmentBytes,
        walEnabled, maxHeadSeries, compactionIntervalMs, verifyChunksOnOpen, readerWaitLogMs, appenderTimeoutMs, querierTimeoutMs);
  }

  public TsdbOptions withMaxBlockRangeMs(long v) {
    return new TsdbOptions(retentionMs, retentionBytes, blockRangeMs, v, outOfOrderWindowMs, walSegmentBytes,
        walEnabled, maxHeadSeries, compactionIntervalMs, verifyChunksOnOpen, readerWaitLogMs, appenderTimeoutMs, querierTimeoutMs);
  }

  public TsdbOptions withOutOfOrderWindowMs(long v) {
    return new TsdbOptions(retentionMs, retentionBytes, blockRangeMs, maxBlockRangeMs, v, walSegmentBytes,
        walEnabled, maxHeadSeries, compactionIntervalMs, verifyChunksOnOpen, readerWaitLogMs, appenderTimeoutMs, querierTimeoutMs);
  }

  public TsdbOptions withWalSegmentBytes(long v) {
    return new TsdbOptions(retentionMs, retentionBytes, blockRangeMs, maxBlockRangeMs, outOfOrderWindowMs, v,
        walEnabled, maxHeadSeries, compactionIntervalMs, verifyChunksOnOpen, readerWaitLogMs, appenderTimeoutMs, querierTimeoutMs);
  }

  public TsdbOptions withWalEnabled(boolean v) {
    return new TsdbOptions(retentionMs, retentionBytes, blockRangeMs, maxBlockRangeMs, outOfOrderWindowMs,
        walSegmentBytes, v, maxHeadSeries, compactionIntervalMs, verifyChunksOnOpen, readerWaitLogMs, appenderTimeoutMs, querierTimeoutMs);
  }

  public TsdbOptions withMaxHeadSeries(int v) {
    return new TsdbOptions(retentionMs, retentionBytes, blockRangeMs, maxBlockRangeMs, outOfOrderWindowMs,
        walSegmentBytes, walEnabled, v, compactionIntervalMs, verifyChunksOnOpen, readerWaitLogMs, appenderTimeoutMs, querierTimeoutMs);
  }

  public TsdbOptions withCompactionIntervalMs(long v) {
    return new TsdbOptions(retentionMs, retentionBytes, blockRangeMs, maxBlockRangeMs, outOfOrderWindowMs,
        walSegmentBytes, walEnabled, maxHeadSeries, v, verifyChunksOnOpen, readerWaitLogMs, appenderTimeoutMs, querierTimeoutMs);
  }

  public TsdbOptions withAppenderTimeoutMs(long v) {
    return new TsdbOptions(retentionMs, retentionBytes, blockRangeMs, maxBlockRangeMs, outOfOrderWindowMs,
        walSegmentBytes, walEnabled, maxHeadSeries, compactionIntervalMs, verifyChunksOnOpen, readerWaitLogMs, v, querierTimeoutMs);
  }

  public TsdbOptions withQuerierTimeoutMs(long v) {
    return new TsdbOptions(retentionMs, retentionBytes, blockRangeMs, maxBlockRangeMs, outOfOrderWindowMs,
        walSegmentBytes, walEnabled, maxHeadSeries, compactionIntervalMs, verifyChunksOnOpen, readerWaitLogMs,
        appenderTimeoutMs, v);
  }

  public TsdbOptions withVerifyChunksOnOpen(boolean v) {
    return new TsdbOptions(retentionMs, retentionBytes, blockRangeMs, maxBlockRangeMs, outOfOrderWindowMs,
        walSegmentBytes, walEnabled, maxHeadSeries, compactionIntervalMs, v, readerWaitLogMs, appenderTimeoutMs, querierTimeoutMs);
  }
}
