package io.vigil.push;

import io.vigil.exposition.GoFloat;
import io.vigil.exposition.MetricPoint;
import io.vigil.exposition.PointValue;
import io.vigil.model.Labels;

/**
 * A group flattened into the series a Prometheus scraping the Pushgateway with
 * {@code honor_labels: true} would store: one per sample line of the exposition, labels taken from
 * the exposition (grouping labels included; the {@code instance=""} the Pushgateway adds to groups
 * without an instance means no label), plus {@code push_time_seconds} and
 * {@code push_failure_time_seconds}. Arrays are parallel; immutable once built.
 */
record SampleView(Labels[] labels, double[] values) {

  static SampleView of(PushGroup g) {
    int n = g.sampleCount();
    Labels[] labels = new Labels[n];
    double[] values = new double[n];
    int i = 0;
    Labels.Builder b = new Labels.Builder();
    for (PushedFamily f : g.families()) {
      String name = f.name();
      for (MetricPoint p : f.points()) {
        switch (p.value()) {
          case PointValue.Scalar s -> {
            labels[i] = series(b, p.labels(), name, null, null);
            values[i++] = s.value();
          }
          case PointValue.Histogram h -> {
            for (PointValue.Bucket bucket : h.buckets()) {
              labels[i] = series(b, p.labels(), name + "_bucket", "le", labelFloat(bucket.upperBound()));
              values[i++] = bucket.cumulativeCount();
            }
            labels[i] = series(b, p.labels(), name + "_sum", null, null);
            values[i++] = h.sum();
            labels[i] = series(b, p.labels(), name + "_count", null, null);
            values[i++] = h.count();
          }
          case PointValue.Summary s -> {
            for (PointValue.Quantile q : s.quantiles()) {
              labels[i] = series(b, p.labels(), name, "quantile", labelFloat(q.quantile()));
              values[i++] = q.value();
            }
            labels[i] = series(b, p.labels(), name + "_sum", null, null);
            values[i++] = s.sum();
            labels[i] = series(b, p.labels(), name + "_count", null, null);
            values[i++] = s.count();
          }
        }
      }
    }
    labels[i] = series(b, g.key().labels(), PushBody.PUSH_TIME, null, null);
    values[i++] = PushGroup.seconds(g.pushTimeNanos());
    labels[i] = series(b, g.key().labels(), PushBody.PUSH_FAILURE_TIME, null, null);
    values[i] = PushGroup.seconds(g.failureTimeNanos());
    return new SampleView(labels, values);
  }

  /** Same series as {@code old} (the group's families did not change), new values. */
  SampleView withValuesOf(PushGroup g) {
    double[] v = values.clone();
    v[v.length - 2] = PushGroup.seconds(g.pushTimeNanos());
    v[v.length - 1] = PushGroup.seconds(g.failureTimeNanos());
    return new SampleView(labels, v);
  }

  private static Labels series(Labels.Builder b, Labels base, String name, String extra, String extraValue) {
    b.reset(base);
    b.set(Labels.METRIC_NAME, name);
    if (extra != null) {
      b.set(extra, extraValue);
    }
    return b.build();
  }

  /**
   * An {@code le} or {@code quantile} value as Prometheus 3 stores it: it normalises both to the
   * OpenMetrics float form whatever the exposition wrote, so a bound of 1 is "1.0" (Go's shortest
   * form with ".0" added to integers), 0.5 stays "0.5", 1e+06 stays "1e+06", +Inf is "+Inf".
   */
  static String labelFloat(double v) {
    String s = GoFloat.format(v);
    if (Double.isNaN(v) || Double.isInfinite(v) || s.indexOf('.') >= 0 || s.indexOf('e') >= 0) {
      return s;
    }
    return s + ".0";
  }

  int size() {
    return labels.length;
  }
}
