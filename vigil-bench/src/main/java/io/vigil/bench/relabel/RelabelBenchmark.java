package io.vigil.bench.relabel;

import io.vigil.model.Labels;
import io.vigil.model.relabel.RelabelAction;
import io.vigil.model.relabel.RelabelConfig;
import io.vigil.model.relabel.Relabeler;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Relabeling costs per label set. metric_relabel_configs run once per scraped sample that is not
 * cached, so the filter case (a drop rule on {@code __name__}) is the one on the hot path; target
 * relabeling (replace, labelmap, hashmod) runs once per target per discovery update.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RelabelBenchmark {
  private final Labels sample = Labels.of("__name__", "node_cpu_seconds_total", "cpu", "3",
      "instance", "host-17:9100", "job", "node", "mode", "idle");
  private final Labels target = Labels.of("__address__", "10.1.2.3:9100", "__meta_kubernetes_pod_label_app", "restic",
      "__meta_kubernetes_pod_label_team", "backup", "__meta_kubernetes_namespace", "stash", "job", "pods");

  private final List<RelabelConfig> dropGo = List.of(RelabelConfig.builder()
      .sourceLabels("__name__").regex("go_.*").action(RelabelAction.DROP).build());
  private final List<RelabelConfig> keepByNameAndMode = List.of(RelabelConfig.builder()
      .sourceLabels("__name__", "mode").regex("node_cpu_seconds_total;(idle|user|system)")
      .action(RelabelAction.KEEP).build());
  private final List<RelabelConfig> targetRelabeling = List.of(
      RelabelConfig.builder().sourceLabels("__address__").regex("([^:]+):\\d+").targetLabel("host").build(),
      RelabelConfig.builder().regex("__meta_kubernetes_pod_label_(.+)").replacement("$1")
          .action(RelabelAction.LABELMAP).build(),
      RelabelConfig.builder().sourceLabels("__address__").modulus(4).targetLabel("__tmp_shard")
          .action(RelabelAction.HASHMOD).build(),
      RelabelConfig.builder().sourceLabels("__tmp_shard").regex("0|1|2|3").action(RelabelAction.KEEP).build());

  @Benchmark
  public Labels metricDropRule() {
    return Relabeler.process(sample, dropGo);
  }

  @Benchmark
  public Labels metricKeepTwoSources() {
    return Relabeler.process(sample, keepByNameAndMode);
  }

  @Benchmark
  public Labels targetReplaceLabelmapHashmod() {
    return Relabeler.process(target, targetRelabeling);
  }
}
