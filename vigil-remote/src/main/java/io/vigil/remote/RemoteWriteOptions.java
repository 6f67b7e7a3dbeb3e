package io.vigil.remote;

/**
 * Limits and tuning of the remote write receiver. Start from {@link #defaults()}; vigil-server maps
 * flags onto it. Prometheus itself has no such limits; the defaults are far above what any sender
 * sends by default (Prometheus: 2,000 samples per request, ~100-300 KiB decompressed; vmagent and
 * Grafana Agent: up to a few MiB) so they only stop abuse.
 *
 * @param maxCompressedBytes largest snappy body read (default 32 MiB, the web server's body limit);
 *     larger bodies get 413 and are not read further
 * @param maxDecompressedBytes largest declared uncompressed size (default 64 MiB); checked from the
 *     snappy header before anything is allocated, so a small body claiming gigabytes costs nothing: 413
 * @param maxSeriesPerRequest TimeSeries entries per request (default 500,000); beyond it the whole
 *     request is refused with 413 and nothing of it is stored
 * @param maxSamplesPerRequest float and histogram samples per request (default 1,000,000; each
 *     buffered sample costs ~30 bytes until commit); beyond it, 413 and nothing is stored
 * @param maxLabelsPerSeries labels per series (default 128); a series over it is rejected (reason
 *     {@code label_limits}) and the rest of the request is still written
 * @param maxLabelNameBytes UTF-8 length of a label name (default 1,024), rejected as above
 * @param maxLabelValueBytes UTF-8 length of a label value (default 16,384), rejected as above
 * @param maxAheadMs samples more than this in the future are rejected as out of bounds (default
 *     10 min, Prometheus's maxAheadTime for remote write)
 * @param seriesCacheSize series remembered, over all requests, to skip label decoding (default: one
 *     per 2 KiB of maximum heap, between 65,536 and 1,048,576; 0 disables); about 250 bytes per
 *     entry, at most twice this many kept
 * @param pooledContexts decode contexts (buffers, string tables) kept between requests (default:
 *     twice the number of processors, at least 8); more concurrent requests get fresh ones that are
 *     dropped afterwards
 */
public record RemoteWriteOptions(
    long maxCompressedBytes,
    long maxDecompressedBytes,
    int maxSeriesPerRequest,
    int maxSamplesPerRequest,
    int maxLabelsPerSeries,
    int maxLabelNameBytes,
    int maxLabelValueBytes,
    long maxAheadMs,
    int seriesCacheSize,
    int pooledContexts) {
  public static final long DEFAULT_MAX_COMPRESSED_BYTES = 32L << 20;
  public static final long DEFAULT_MAX_DECOMPRESSED_BYTES = 64L << 20;
  /** The snappy format cannot declare more than 2^32 - 1 bytes; Java arrays hold at most ~2^31. */
  static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

  public RemoteWriteOptions {
    if (maxCompressedBytes <= 0 || maxDecompressedBytes <= 0 || maxSeriesPerRequest <= 0 || maxSamplesPerRequest <= 0
        || maxLabelsPerSeries <= 0 || maxLabelNameBytes <= 0 || maxLabelValueBytes <= 0 || maxAheadMs < 0
        || seriesCacheSize < 0 || pooledContexts < 0) {
      throw new IllegalArgumentException("remote write limits must be positive: " + this);
    }
    if (maxDecompressedBytes > MAX_ARRAY_BYTES) {
      throw new IllegalArgumentException("maxDecompressedBytes must be below 2 GiB: " + maxDecompressedBytes);
    }
  }

  public static RemoteWriteOptions defaults() {
    return new RemoteWriteOptions(DEFAULT_MAX_COMPRESSED_BYTES, DEFAULT_MAX_DECOMPRESSED_BYTES, 500_000, 1_000_000, 128,
        1024, 16 * 1024, 10 * 60_000L, defaultSeriesCacheSize(Runtime.getRuntime().maxMemory()),
        Math.max(8, 2 * Runtime.getRuntime().availableProcessors()));
  }

  /**
   * Enough to hold every active series of a server whose heap was sized for them (a series costs
   * 1.3-2 KiB of heap in the head), so that senders hit the cache in steady state: with more active
   * series than this, every generation of the cache is outgrown within each round of a sender's
   * series and about a third of the lookups miss (measured with 100 k series and the earlier one per
   * 8 KiB of a 512 MiB heap: label building and head lookups on misses were 40% of the receiver's CPU).
   */
  static int defaultSeriesCacheSize(long maxHeapBytes) {
    return (int) Math.clamp(maxHeapBytes / 2048, 65_536, 1_048_576);
  }

  public RemoteWriteOptions withMaxCompressedBytes(long v) {
    return new RemoteWriteOptions(v, maxDecompressedBytes, maxSeriesPerRequest, maxSamplesPerRequest, maxLabelsPerSeries,
        maxLabelNameBytes, maxLabelValueBytes, maxAheadMs, seriesCacheSize, pooledContexts);
  }

  public RemoteWriteOptions withMaxDecompressedBytes(long v) {
    return new RemoteWriteOptions(maxCompressedBytes, v, maxSeriesPerRequest, maxSamplesPerRequest, maxLabelsPerSeries,
        maxLabelNameBytes, maxLabelValueBytes, maxAheadMs, seriesCacheSize, pooledContexts);
  }

  public RemoteWriteOptions withMaxSeriesPerRequest(int v) {
    return new RemoteWriteOptions(maxCompressedBytes, maxDecompressedBytes, v, maxSamplesPerRequest, maxLabelsPerSeries,
        maxLabelNameBytes, maxLabelValueBytes, maxAheadMs, seriesCacheSize, pooledContexts);
  }

  public RemoteWriteOptions withMaxSamplesPerRequest(int v) {
    return new RemoteWriteOptions(maxCompressedBytes, maxDecompressedBytes, maxSeriesPerRequest, v, maxLabelsPerSeries,
        maxLabelNameBytes, maxLabelValueBytes, maxAheadMs, seriesCacheSize, pooledContexts);
  }

  public RemoteWriteOptions withLabelLimits(int maxLabels, int maxNameBytes, int maxValueBytes) {
    return new RemoteWriteOptions(maxCompressedBytes, maxDecompressedBytes, maxSeriesPerRequest, maxSamplesPerRequest,
        maxLabels, maxNameBytes, maxValueBytes, maxAheadMs, seriesCacheSize, pooledContexts);
  }

  public RemoteWriteOptions withSeriesCacheSize(int v) {
    return new RemoteWriteOptions(maxCompressedBytes, maxDecompressedBytes, maxSeriesPerRequest, maxSamplesPerRequest,
        maxLabelsPerSeries, maxLabelNameBytes, maxLabelValueBytes, maxAheadMs, v, pooledContexts);
  }
}
