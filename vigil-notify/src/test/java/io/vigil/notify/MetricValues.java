package io.vigil.notify;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

/** Reads one value of a self-metric from a registry (tests only). */
public final class MetricValues {
  private MetricValues() {}

  /**
   * The value of the series {@code name} (counters without {@code _total}) whose labels include the
   * given name/value pairs, or NaN when there is none.
   */
  public static double value(PrometheusRegistry registry, String name, String... labelPairs) {
    for (MetricSnapshot s : registry.scrape()) {
      if (!s.getMetadata().getName().equals(name)) {
        continue;
      }
      for (DataPointSnapshot p : s.getDataPoints()) {
        boolean ok = true;
        for (int i = 0; i < labelPairs.length; i += 2) {
          ok &= labelPairs[i + 1].equals(p.getLabels().get(labelPairs[i]));
        }
        if (!ok) {
          continue;
        }
        if (p instanceof CounterSnapshot.CounterDataPointSnapshot c) {
          return c.getValue();
        }
        if (p instanceof GaugeSnapshot.GaugeDataPointSnapshot g) {
          return g.getValue();
        }
      }
    }
    return Double.NaN;
  }
}
