package io.vigil.notify;

import io.vigil.model.Labels;
import java.time.Instant;
import java.util.Objects;

/**
 * One alert as sent to Alertmanager (Prometheus's {@code notifier.Alert}). Immutable.
 *
 * @param labels identity of the alert; must hold at least {@code alertname} for Alertmanager to
 *     group it sensibly (it rejects an empty label set)
 * @param annotations extra information that does not define identity (summary, description, ...)
 * @param startsAt when the alert started firing, or null (Alertmanager then uses its receive time)
 * @param endsAt for an active alert, until when it is valid without being sent again; for a resolved
 *     alert, when it was resolved; null for "not set" (Alertmanager then applies its resolve_timeout)
 * @param generatorUrl link back to the expression that produced the alert, or ""
 */
public record Alert(Labels labels, Labels annotations, Instant startsAt, Instant endsAt, String generatorUrl) {
  public Alert {
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(annotations, "annotations");
    generatorUrl = generatorUrl == null ? "" : generatorUrl;
  }

  /** The {@code alertname} label, "" if absent. */
  public String name() {
    return labels.get("alertname");
  }

  /** Whether the alert's activity ended at or before {@code now} (Prometheus's {@code ResolvedAt}). */
  public boolean resolvedAt(Instant now) {
    return endsAt != null && !endsAt.isAfter(now);
  }

  /** The same alert with other labels (after relabeling). */
  public Alert withLabels(Labels newLabels) {
    return new Alert(newLabels, annotations, startsAt, endsAt, generatorUrl);
  }
}
