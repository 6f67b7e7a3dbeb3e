package io.vigil.config;

import io.vigil.model.relabel.RelabelConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code alerting} section.
 *
 * @param alertRelabelConfigs relabeling applied to every alert before it is sent
 * @param alertmanagers where alerts go; empty when alerting is not configured
 */
public record AlertingConfig(List<RelabelConfig> alertRelabelConfigs, List<AlertmanagerConfig> alertmanagers) {
  public static final AlertingConfig NONE = new AlertingConfig(List.of(), List.of());

  public AlertingConfig {
    alertRelabelConfigs = List.copyOf(alertRelabelConfigs);
    alertmanagers = List.copyOf(alertmanagers);
  }

  static AlertingConfig read(MappingReader r, ReadContext ctx) {
    List<RelabelConfig> relabel = RelabelConfigs.read(r, "alert_relabel_configs", "empty or null alert relabeling rule");
    List<AlertmanagerConfig> managers = r.list("alertmanagers", (n, path) -> AlertmanagerConfig.read(n, path, ctx));
    return new AlertingConfig(relabel, managers);
  }

  Map<String, Object> render() {
    Map<String, Object> m = new LinkedHashMap<>();
    RelabelConfigs.renderInto(m, "alert_relabel_configs", alertRelabelConfigs);
    if (!alertmanagers.isEmpty()) {
      m.put("alertmanagers", alertmanagers.stream().map(AlertmanagerConfig::render).toList());
    }
    return m;
  }
}
