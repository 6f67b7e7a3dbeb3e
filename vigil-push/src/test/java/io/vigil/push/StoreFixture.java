package io.vigil.push;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.exposition.ByteSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;

/** A {@link PushStore} without HTTP, for journal tests. */
final class StoreFixture implements AutoCloseable {
  final PrometheusRegistry registry = new PrometheusRegistry();
  final PushOptions options;
  final PushStore store;
  private final PushBody body;

  StoreFixture(PushOptions options) throws IOException {
    this.options = options;
    this.store = PushStore.open(options, new PushMetrics(registry), InstantSource.system());
    this.body = new PushBody(options);
  }

  static StoreFixture open(Path dir) throws IOException {
    return new StoreFixture(PushOptions.defaults(dir));
  }

  PushGroup put(String path, String text) throws PushRejectedException {
    GroupingKey key = PushPath.parse(path);
    return store.push(key, body.parse(null, text.getBytes(StandardCharsets.UTF_8), key, 0), true, PushGroup.DEFAULT_TTL);
  }

  PushGroup post(String path, String text) throws PushRejectedException {
    GroupingKey key = PushPath.parse(path);
    return store.push(key, body.parse(null, text.getBytes(StandardCharsets.UTF_8), key, 0), false, PushGroup.DEFAULT_TTL);
  }

  /** The whole state as the Pushgateway exposes it (exact values, push times included). */
  String exposition() {
    ByteSink sink = new ByteSink();
    PushgatewayExposition.write(store.sortedGroups(), List.of(), sink);
    return sink.toString();
  }

  double corruptRecords() {
    return registry.scrape().stream()
        .filter(s -> s.getMetadata().getPrometheusName().equals("vigil_push_journal_corrupt_records"))
        .mapToDouble(s -> ((io.prometheus.metrics.model.snapshots.CounterSnapshot) s).getDataPoints().getFirst().getValue())
        .sum();
  }

  @Override
  public void close() throws IOException {
    store.close();
  }
}
