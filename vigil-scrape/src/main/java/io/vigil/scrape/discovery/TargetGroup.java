package io.vigil.scrape.discovery;

import io.vigil.model.Labels;
import java.util.List;
import java.util.Objects;

/**
 * A set of targets with common labels, as one discovery mechanism reports it (Prometheus's
 * {@code targetgroup.Group}). A discoverer reports a group again whenever it changes; a group with
 * no targets for a known source removes that source's targets.
 *
 * @param source identifies the group within its discoverer, stable across updates (static configs:
 *     the index; file discovery: {@code path:index})
 * @param targets one label set per target, each holding at least {@code __address__}
 * @param labels labels shared by every target of the group; a target's own labels win
 */
public record TargetGroup(String source, List<Labels> targets, Labels labels) {
  public TargetGroup {
    Objects.requireNonNull(source, "source");
    targets = List.copyOf(targets);
    Objects.requireNonNull(labels, "labels");
  }

  /** An empty group: tells the receiver that {@code source} has no targets any more. */
  public static TargetGroup removed(String source) {
    return new TargetGroup(source, List.of(), Labels.EMPTY);
  }
}
