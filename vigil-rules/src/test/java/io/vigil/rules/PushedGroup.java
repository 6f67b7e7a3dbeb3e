package io.vigil.rules;

import io.vigil.model.Labels;
import io.vigil.storage.Appender;
import io.vigil.storage.Storage;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A pushed group as Vigil's push store holds it: the last pushed gauges plus push_time_seconds and
 * push_failure_time_seconds, all with the grouping labels, written into the storage at every
 * sampling round like the push sampler does (tests only).
 */
final class PushedGroup {
  private final Labels grouping;
  private final Map<String, Double> gauges = new LinkedHashMap<>();
  private double pushTime;
  private double failureTime;

  PushedGroup(String... groupingLabels) {
    this.grouping = Labels.of(groupingLabels);
  }

  /** A successful push replacing the group's metrics (PUT). */
  PushedGroup push(long atMs, Map<String, Double> metrics) {
    gauges.clear();
    gauges.putAll(metrics);
    pushTime = atMs / 1000.0;
    return this;
  }

  /** A rejected push: only push_failure_time_seconds changes. */
  PushedGroup fail(long atMs) {
    failureTime = atMs / 1000.0;
    return this;
  }

  /** Writes the group's series at every step from {@code fromMs} to {@code toMs}. */
  void sample(Storage storage, long fromMs, long toMs, long stepMs) {
    Appender app = storage.appender();
    for (long t = fromMs; t <= toMs; t += stepMs) {
      for (var e : gauges.entrySet()) {
        app.append(series(e.getKey()), t, e.getValue());
      }
      app.append(series("push_time_seconds"), t, pushTime);
      app.append(series("push_failure_time_seconds"), t, failureTime);
    }
    app.commit();
  }

  private Labels series(String name) {
    return new Labels.Builder(grouping).set(Labels.METRIC_NAME, name).build();
  }
}
