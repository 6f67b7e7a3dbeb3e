package io.vigil.push;

import io.vigil.model.Labels;

/**
 * The labels that identify a group: {@code job} plus the label pairs of the push path (and the
 * tenant label when the push carried a tenant). As everywhere in Prometheus an empty value is no
 * label, so {@code /metrics/job/x/instance@base64/=} and {@code /metrics/job/x} name the same group
 * (Pushgateway treats them as two groups whose series collide). Immutable.
 */
record GroupingKey(Labels labels) implements Comparable<GroupingKey> {
  static final String JOB = "job";
  static final String INSTANCE = "instance";

  GroupingKey {
    if (labels.get(JOB).isEmpty()) {
      throw new IllegalArgumentException("a grouping key needs a job: " + labels);
    }
  }

  String job() {
    return labels.get(JOB);
  }

  /** Whether the exposition must add {@code instance=""}, as the Pushgateway does for keys without one. */
  boolean lacksInstance() {
    return !labels.has(INSTANCE);
  }

  /** Whether every label of {@code filter} is in this key (an empty filter matches every key). */
  boolean matches(Labels filter) {
    for (int i = 0; i < filter.size(); i++) {
      if (!labels.get(filter.name(i)).equals(filter.value(i))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int compareTo(GroupingKey o) {
    return labels.compareTo(o.labels);
  }

  @Override
  public String toString() {
    return labels.toString();
  }
}
