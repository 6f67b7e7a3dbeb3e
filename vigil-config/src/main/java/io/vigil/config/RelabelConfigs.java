package io.vigil.config;

import io.vigil.model.LabelNames;
import io.vigil.model.Matcher;
import io.vigil.model.relabel.InvalidRelabelConfigException;
import io.vigil.model.relabel.RelabelAction;
import io.vigil.model.relabel.RelabelConfig;
import io.vigil.model.relabel.RelabelRegex;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads and renders lists of {@link RelabelConfig} (relabel_configs and its siblings). */
final class RelabelConfigs {
  private RelabelConfigs() {}

  /**
   * The rules under {@code key}.
   *
   * @param nullItemMessage Prometheus's message for a null list item, which differs per section
   */
  static List<RelabelConfig> read(MappingReader parent, String key, String nullItemMessage) {
    Problems p = parent.problems();
    return parent.list(key, (n, path) -> {
      if (YamlNode.isNull(n)) {
        p.error(n, path, nullItemMessage);
        return null;
      }
      return readOne(MappingReader.of(n, path, p));
    });
  }

  private static RelabelConfig readOne(MappingReader r) {
    if (!r.isPresent()) {
      return null;
    }
    Problems p = r.problems();
    boolean[] bad = {false};
    List<String> sources = r.list("source_labels", (n, path) -> {
      String s = Values.string(n, path, p);
      if (s != null && !LabelNames.isValidLabelName(s)) {
        p.error(n, path, LabelNames.quote(s) + " is not a valid label name");
        bad[0] = true;
      }
      return s;
    });
    String separator = r.string("separator", RelabelConfig.DEFAULT_SEPARATOR);
    RelabelRegex regex = RelabelRegex.DEFAULT;
    if (r.has("regex")) {
      String source = r.string("regex", "");
      try {
        regex = RelabelRegex.compile(source);
      } catch (Matcher.InvalidRegexException e) {
        r.error("regex", e.getMessage());
        bad[0] = true;
      }
    } else if (r.take("regex") != null) {
      regex = RelabelRegex.compile(""); // an explicit null regex matches only the empty string
    }
    long modulus = r.uint("modulus", 0);
    String target = r.string("target_label", "");
    String replacement = r.string("replacement", RelabelConfig.DEFAULT_REPLACEMENT);
    RelabelAction action = RelabelAction.REPLACE;
    String actionName = r.string("action", null);
    if (actionName != null) {
      try {
        action = RelabelAction.parse(actionName);
      } catch (IllegalArgumentException e) {
        r.error("action", e.getMessage());
        bad[0] = true;
      }
    }
    r.finish();
    if (bad[0]) {
      return null;
    }
    try {
      return new RelabelConfig(sources, separator, regex, modulus, target, replacement, action);
    } catch (InvalidRelabelConfigException e) {
      r.error(e.getMessage());
      return null;
    }
  }

  /** Adds {@code key: <rules>} to a rendered section unless there are no rules (Prometheus omits them). */
  static void renderInto(Map<String, Object> m, String key, List<RelabelConfig> rules) {
    if (!rules.isEmpty()) {
      m.put(key, render(rules));
    }
  }

  /**
   * Prometheus's rendering: defaults shown, except the default regex, a zero modulus and an empty
   * target label; unlike Prometheus, an empty separator or replacement is written rather than
   * omitted, so that the rendering reads back as the same rule.
   */
  static List<Object> render(List<RelabelConfig> rules) {
    List<Object> out = new ArrayList<>(rules.size());
    for (RelabelConfig c : rules) {
      Map<String, Object> m = new LinkedHashMap<>();
      if (!c.sourceLabels().isEmpty()) {
        m.put("source_labels", new YamlWriter.Flow(c.sourceLabels()));
      }
      // Written even when empty (Prometheus omits "" here, which would read back as ";").
      m.put("separator", c.separator());
      if (!c.regex().equals(RelabelRegex.DEFAULT)) {
        m.put("regex", c.regex().source());
      }
      if (c.modulus() != 0) {
        m.put("modulus", c.modulus());
      }
      BasicAuth.putIfSet(m, "target_label", c.targetLabel());
      m.put("replacement", c.replacement()); // "" too: omitted, it would read back as "$1"
      m.put("action", c.action().configName());
      out.add(m);
    }
    return out;
  }
}
