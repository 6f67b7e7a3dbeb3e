package io.vigil.config;

import io.vigil.model.LabelNames;
import io.vigil.model.Labels;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One target group of {@code static_configs}: addresses (host:port) and labels for all of them.
 *
 * @param targets the {@code __address__} of each target, in file order
 * @param labels labels added to every target of the group
 */
public record StaticConfig(List<String> targets, Labels labels) implements DiscoveryConfig {
  public static final String KEY = "static_configs";

  public StaticConfig {
    targets = List.copyOf(targets);
  }

  @Override
  public String key() {
    return KEY;
  }

  /**
   * @param checkAddresses whether to reject URLs as targets (Prometheus does so when the job has no
   *     relabel_configs that could turn them into addresses)
   */
  static StaticConfig read(YamlNode node, String path, Problems p, boolean checkAddresses) {
    MappingReader r = MappingReader.ofItem(node, path, p, "empty or null section in static_configs");
    if (r == null) {
      return null;
    }
    List<String> targets = r.list("targets", (n, itemPath) -> {
      String t = Values.string(n, itemPath, p);
      if (t != null && checkAddresses && t.contains("/")) {
        p.error(n, itemPath, LabelNames.quote(t) + " is not a valid hostname");
      }
      return t;
    });
    Labels labels = readLabels(r, "labels");
    r.finish();
    return new StaticConfig(targets, labels);
  }

  /** A label set field: names must be valid label names. */
  static Labels readLabels(MappingReader r, String key) {
    Map<String, String> map = r.stringMap(key);
    for (String name : map.keySet()) {
      if (!LabelNames.isValidLabelName(name)) {
        r.problems().error(r.at(key), r.path(key) + "." + name, LabelNames.quote(name) + " is not a valid label name");
      }
    }
    return Labels.fromMap(map);
  }

  Map<String, Object> render() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("targets", targets);
    if (!labels.isEmpty()) {
      m.put("labels", labels.toMap());
    }
    return m;
  }
}
