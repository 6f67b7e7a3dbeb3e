package io.vigil.promql.engine;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Warnings and infos of one query, with Prometheus's texts, each at most once. */
public final class Annotations {
  private final Set<String> warnings = new LinkedHashSet<>();
  private final Set<String> infos = new LinkedHashSet<>();

  public void warn(String text) {
    warnings.add("PromQL warning: " + text);
  }

  public void info(String text) {
    infos.add("PromQL info: " + text);
  }

  /** A warning that comes from storage (not prefixed). */
  public void storageWarning(String text) {
    warnings.add(text);
  }

  public List<String> warnings() {
    return new ArrayList<>(warnings);
  }

  public List<String> infos() {
    return new ArrayList<>(infos);
  }
}
