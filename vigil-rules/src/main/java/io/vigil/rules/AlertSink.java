package io.vigil.rules;

import io.vigil.notify.Alert;
import java.util.List;

/**
 * Where alerting rules send their firing and resolved alerts (Prometheus's NotifyFunc); the server
 * passes {@code notifier::send}. Must not block for long: it is called on the group's thread.
 */
@FunctionalInterface
public interface AlertSink {
  AlertSink NONE = alerts -> {};

  void send(List<Alert> alerts);
}
