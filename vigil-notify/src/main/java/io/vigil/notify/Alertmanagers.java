package io.vigil.notify;

import java.util.List;

/**
 * The Alertmanagers alerts go to, for {@code /api/v1/alertmanagers}.
 *
 * @param active alert-receiving URLs, e.g. {@code http://127.0.0.1:9093/api/v2/alerts}, in
 *     configuration and discovery order
 * @param dropped URLs of discovered Alertmanagers that relabel_configs dropped
 */
public record Alertmanagers(List<String> active, List<String> dropped) {
  public Alertmanagers {
    active = List.copyOf(active);
    dropped = List.copyOf(dropped);
  }
}
