package io.vigil.web.api;

import java.util.List;

/** The Alertmanagers alerts are sent to, for {@code /api/v1/alertmanagers}. Thread-safe. */
public interface AlertmanagerRetriever {
  AlertmanagerRetriever EMPTY = new AlertmanagerRetriever() {
    @Override
    public List<String> activeAlertmanagers() {
      return List.of();
    }

    @Override
    public List<String> droppedAlertmanagers() {
      return List.of();
    }
  };

  /** Alert-receiving URLs, e.g. {@code http://127.0.0.1:9093/api/v2/alerts}. */
  List<String> activeAlertmanagers();

  List<String> droppedAlertmanagers();
}
