package io.vigil.scrape.discovery;

import java.util.List;
import java.util.function.Consumer;

/**
 * One service-discovery mechanism instance (Prometheus's {@code discovery.Discoverer}): static
 * targets, files, and later Kubernetes endpoints or ServiceMonitor objects. The scrape side only
 * ever sees the {@link TargetGroup}s it reports, so new mechanisms need no change to scrape pools
 * or loops; they join through {@link Discoverers}.
 */
public interface Discoverer {
  /**
   * Runs until the calling thread is interrupted (or returns early when nothing can change any
   * more, as static targets). First reports every group it knows, then each group that changes;
   * a group of a source that disappeared is reported {@link TargetGroup#removed empty}.
   *
   * <p>{@code updates} is thread-safe and cheap: it records the groups and returns. A discoverer
   * that fails to read its source logs the problem and keeps its last groups; it never throws
   * for bad input.
   *
   * @throws InterruptedException when interrupted: the normal way to stop
   */
  void run(Consumer<List<TargetGroup>> updates) throws InterruptedException;
}
