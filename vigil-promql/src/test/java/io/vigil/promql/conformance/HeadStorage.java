package io.vigil.promql.conformance;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.storage.Appender;
import io.vigil.storage.Querier;
import io.vigil.storage.Storage;
import io.vigil.tsdb.head.Head;
import io.vigil.tsdb.head.HeadMetrics;
import io.vigil.tsdb.head.HeadOptions;

/** A memory-only TSDB head as a {@link Storage}, so that scripts run against the real head. */
final class HeadStorage implements Storage {
  /** Scripts load series one after the other from t=0: allow any order and age within the test's span. */
  private static final long WIDE_MS = 3650L * 24 * 3600 * 1000;

  private final Head head = new Head(new HeadOptions(WIDE_MS, WIDE_MS, 0), new HeadMetrics(new PrometheusRegistry()),
      null);

  @Override
  public Appender appender() {
    return head.appender();
  }

  @Override
  public Querier querier(long mint, long maxt) {
    return head.querier(mint, maxt);
  }

  @Override
  public long startTimeMs() {
    return head.minTime();
  }

  @Override
  public void close() {
    head.close();
  }
}
