package io.vigil.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a remote write endpoint's queue is sharded, batched and retried (Prometheus's
 * {@code queue_config}, same defaults).
 *
 * @param capacity samples buffered per shard before reading from the WAL blocks; default 10000
 * @param maxShards default 50
 * @param minShards default 1
 * @param maxSamplesPerSend batch size; default 2000
 * @param batchSendDeadline longest a sample waits in a shard's buffer; default 5s
 * @param minBackoff first retry delay after a recoverable error; default 30ms
 * @param maxBackoff retry delay cap; default 5s
 * @param retryOnRateLimit retry on HTTP 429; default false
 * @param sampleAgeLimit samples older than this are dropped instead of sent; 0 (default) disables
 */
public record QueueConfig(
    int capacity,
    int maxShards,
    int minShards,
    int maxSamplesPerSend,
    PromDuration batchSendDeadline,
    PromDuration minBackoff,
    PromDuration maxBackoff,
    boolean retryOnRateLimit,
    PromDuration sampleAgeLimit) {

  public static final QueueConfig DEFAULT = new QueueConfig(10000, 50, 1, 2000, PromDuration.ofSeconds(5),
      PromDuration.ofMillis(30), PromDuration.ofSeconds(5), false, PromDuration.ZERO);

  static QueueConfig read(MappingReader r) {
    QueueConfig d = DEFAULT;
    return new QueueConfig(r.uint32("capacity", d.capacity), r.uint32("max_shards", d.maxShards),
        r.uint32("min_shards", d.minShards), r.uint32("max_samples_per_send", d.maxSamplesPerSend),
        r.duration("batch_send_deadline", d.batchSendDeadline), r.duration("min_backoff", d.minBackoff),
        r.duration("max_backoff", d.maxBackoff), r.bool("retry_on_http_429", false),
        r.duration("sample_age_limit", d.sampleAgeLimit));
  }

  Map<String, Object> render() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("capacity", capacity);
    m.put("max_shards", maxShards);
    m.put("min_shards", minShards);
    m.put("max_samples_per_send", maxSamplesPerSend);
    m.put("batch_send_deadline", batchSendDeadline);
    m.put("min_backoff", minBackoff);
    m.put("max_backoff", maxBackoff);
    if (retryOnRateLimit) {
      m.put("retry_on_http_429", true);
    }
    if (!sampleAgeLimit.isZero()) {
      m.put("sample_age_limit", sampleAgeLimit);
    }
    return m;
  }
}
