package io.vigil.notify;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Summary;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.DoubleSupplier;

/**
 * The notifier's self-metrics: Prometheus's {@code prometheus_notifications_*} (per-Alertmanager
 * send loops, as in Prometheus 3) with the {@code vigil_} prefix. One instance per registry.
 */
final class NotifierMetrics {
  final Summary latency;
  final Counter errors;
  final Counter sent;
  final Counter dropped;
  final Gauge queueLength;

  NotifierMetrics(PrometheusRegistry registry, int queueCapacity, DoubleSupplier alertmanagersDiscovered) {
    latency = Summary.builder().name("vigil_notifications_latency_seconds")
        .help("Latency quantiles for sending alert notifications.").labelNames("alertmanager")
        .quantile(0.5, 0.05).quantile(0.9, 0.01).quantile(0.99, 0.001).register(registry);
    errors = Counter.builder().name("vigil_notifications_errors_total")
        .help("Total number of sent alerts affected by errors (each failed attempt counts).")
        .labelNames("alertmanager").register(registry);
    sent = Counter.builder().name("vigil_notifications_sent_total").help("Total number of alerts sent.")
        .labelNames("alertmanager").register(registry);
    dropped = Counter.builder().name("vigil_notifications_dropped_total")
        .help("Total number of alerts dropped: queue full, or every attempt to send them failed.")
        .labelNames("alertmanager").register(registry);
    queueLength = Gauge.builder().name("vigil_notifications_queue_length")
        .help("The number of alert notifications in the queue.").labelNames("alertmanager").register(registry);
    Gauge capacity = Gauge.builder().name("vigil_notifications_queue_capacity")
        .help("The capacity of the alert notifications queue (per Alertmanager).").register(registry);
    capacity.set(queueCapacity);
    GaugeWithCallback.builder().name("vigil_notifications_alertmanagers_discovered")
        .help("The number of alertmanagers discovered and active.")
        .callback(cb -> cb.call(alertmanagersDiscovered.getAsDouble())).register(registry);
  }

  /** Creates the series of a new Alertmanager at 0, so rates work from its first send. */
  void init(String url) {
    errors.labelValues(url);
    sent.labelValues(url);
    dropped.labelValues(url);
    queueLength.labelValues(url).set(0);
  }

  /** Removes the series of an Alertmanager that is gone. */
  void remove(String url) {
    latency.remove(url);
    errors.remove(url);
    sent.remove(url);
    dropped.remove(url);
    queueLength.remove(url);
  }
}
