package io.vigil.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code storage} section: settings of the storage engine that can change on reload.
 *
 * @param outOfOrderTimeWindow how far behind the newest sample of a series a sample may still be
 *     accepted ({@code storage.tsdb.out_of_order_time_window}); default 0 (in-order only)
 * @param maxExemplars size of the exemplar buffer ({@code storage.exemplars.max_exemplars}); default
 *     100000, 0 or less disables exemplar storage
 */
public record StorageConfig(PromDuration outOfOrderTimeWindow, long maxExemplars) {
  public static final long DEFAULT_MAX_EXEMPLARS = 100_000;
  public static final StorageConfig DEFAULT = new StorageConfig(PromDuration.ZERO, DEFAULT_MAX_EXEMPLARS);

  static StorageConfig read(MappingReader r) {
    PromDuration window = r.object("tsdb", t -> {
      t.ignore("retention", "storage.tsdb.retention is not supported by Vigil; use --storage.tsdb.retention.time "
          + "and --storage.tsdb.retention.size");
      return t.duration("out_of_order_time_window", PromDuration.ZERO);
    });
    long maxExemplars = r.object("exemplars", e -> {
      String key = "max_exemplars";
      String s = e.string(key, null);
      if (s == null) {
        return DEFAULT_MAX_EXEMPLARS;
      }
      try {
        return Long.parseLong(s.strip());
      } catch (NumberFormatException ex) {
        e.error(key, "expected an integer, got \"" + s + "\"");
        return DEFAULT_MAX_EXEMPLARS;
      }
    });
    return new StorageConfig(window, maxExemplars);
  }

  /** Rendered only when something differs from the defaults, as Prometheus omits an absent section. */
  Map<String, Object> render() {
    Map<String, Object> m = new LinkedHashMap<>();
    if (!outOfOrderTimeWindow.isZero()) {
      m.put("tsdb", Map.of("out_of_order_time_window", outOfOrderTimeWindow));
    }
    if (maxExemplars != DEFAULT_MAX_EXEMPLARS) {
      m.put("exemplars", Map.of("max_exemplars", maxExemplars));
    }
    return m;
  }
}
