package io.vigil.model.relabel;

import java.util.Locale;

/** The relabel actions Prometheus knows, with their configuration spelling. */
public enum RelabelAction {
  REPLACE("replace"),
  KEEP("keep"),
  DROP("drop"),
  KEEP_EQUAL("keepequal"),
  DROP_EQUAL("dropequal"),
  HASHMOD("hashmod"),
  LABELMAP("labelmap"),
  LABELDROP("labeldrop"),
  LABELKEEP("labelkeep"),
  LOWERCASE("lowercase"),
  UPPERCASE("uppercase");

  private final String configName;

  RelabelAction(String configName) {
    this.configName = configName;
  }

  /** The name used in configuration files, e.g. {@code keepequal}. */
  public String configName() {
    return configName;
  }

  /** Whether the action only decides keep-or-drop and never changes labels. */
  public boolean isFilter() {
    return this == KEEP || this == DROP || this == KEEP_EQUAL || this == DROP_EQUAL;
  }

  /**
   * The action for a configuration value; case-insensitive like Prometheus.
   *
   * @throws IllegalArgumentException with Prometheus's message {@code unknown relabel action "x"}
   */
  public static RelabelAction parse(String s) {
    String lower = s.toLowerCase(Locale.ROOT);
    for (RelabelAction a : values()) {
      if (a.configName.equals(lower)) {
        return a;
      }
    }
    throw new IllegalArgumentException("unknown relabel action \"" + s + "\"");
  }

  @Override
  public String toString() {
    return configName;
  }
}
