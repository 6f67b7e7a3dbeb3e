package io.vigil.web.api;

import java.time.Instant;
import java.util.List;

/**
 * Server notifications for {@code /api/v1/notifications} (Prometheus 3's UI shows them, e.g. a
 * failed configuration reload). Thread-safe; a snapshot per call.
 */
@FunctionalInterface
public interface NotificationSource {
  NotificationSource EMPTY = List::of;

  List<Notification> notifications();

  /** @param active whether the condition still holds */
  record Notification(String text, Instant date, boolean active) {}
}
