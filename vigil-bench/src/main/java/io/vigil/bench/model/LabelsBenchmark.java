package io.vigil.bench.model;

import io.vigil.model.Labels;
import io.vigil.model.Matcher;
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

/** Costs of the label operations every append and every query does. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LabelsBenchmark {
  private final String[] raw = {"__name__", "node_cpu_seconds_total", "cpu", "3", "instance", "host-17:9100",
      "job", "node", "mode", "idle"};
  private final Labels labels = Labels.of(raw);
  private final Labels same = Labels.of(raw);
  private final Matcher setMatcher = Matcher.regex("mode", "user|system|idle|iowait");
  private final Matcher generalMatcher = Matcher.regex("instance", "host-1[0-9]:.*");

  @Benchmark
  public Labels build() {
    return Labels.of(raw);
  }

  @Benchmark
  public boolean equalsDistinctInstances() {
    return labels.equals(same);
  }

  @Benchmark
  public boolean regexSetMatch() {
    return setMatcher.matches("idle");
  }

  @Benchmark
  public boolean regexGeneralMatch() {
    return generalMatcher.matches("host-17:9100");
  }
}
