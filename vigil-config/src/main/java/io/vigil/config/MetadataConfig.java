package io.vigil.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Whether and how often a remote write endpoint receives metric metadata (Prometheus's
 * {@code metadata_config}).
 *
 * @param send default true
 * @param sendInterval default 1m
 * @param maxSamplesPerSend metadata entries per request; default 2000
 */
public record MetadataConfig(boolean send, PromDuration sendInterval, int maxSamplesPerSend) {
  public static final MetadataConfig DEFAULT = new MetadataConfig(true, PromDuration.ofMinutes(1), 2000);

  static MetadataConfig read(MappingReader r) {
    return new MetadataConfig(r.bool("send", true), r.duration("send_interval", DEFAULT.sendInterval),
        r.uint32("max_samples_per_send", DEFAULT.maxSamplesPerSend));
  }

  Map<String, Object> render() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("send", send);
    m.put("send_interval", sendInterval);
    m.put("max_samples_per_send", maxSamplesPerSend);
    return m;
  }
}
