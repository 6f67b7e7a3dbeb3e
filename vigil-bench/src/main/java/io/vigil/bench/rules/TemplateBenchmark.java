package io.vigil.bench.rules;

import io.vigil.model.Labels;
import io.vigil.rules.template.AlertTemplate;
import io.vigil.rules.template.TemplateException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Expanding alert annotations, as every evaluation of a firing or pending alert does for each of
 * its series: the fixture's annotation ($value | humanize and two labels), a heavier one (range over
 * the labels, if/else, printf), and compiling a template (done once per rule file load).
 *
 * <p>Run: {@code java -jar vigil-bench/target/benchmarks.jar TemplateBenchmark -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class TemplateBenchmark {
  static final String SIMPLE = "Last success was {{ $value | humanize }} seconds ago (job {{ $labels.job }}) on "
      + "{{ $labels.instance }}.";
  static final String COMPLEX = "{{ if gt $value 86400.0 }}CRITICAL{{ else }}warning{{ end }}: "
      + "{{ range $k, $v := $labels }}{{ $k }}={{ $v }} {{ end }}age {{ printf \"%.1f\" $value }}s "
      + "({{ $value | humanizeDuration }}), monitor {{ $externalLabels.monitor | toUpper }}";

  private AlertTemplate simple;
  private AlertTemplate complex;
  private Labels labels;
  private AlertTemplate.Context ctx;
  private double value;

  @Setup
  public void setup() throws TemplateException {
    simple = AlertTemplate.compile("BackupTooOld", SIMPLE);
    complex = AlertTemplate.compile("BackupTooOld", COMPLEX);
    labels = Labels.of("__name__", "restic_backup_last_success_timestamp_seconds", "instance", "host1", "job",
        "restic", "repo", "s3:bucket/path");
    ctx = new AlertTemplate.Context(1_795_290_145_028L, (q, t) -> List.of(), "http://vigil.example:9090",
        Labels.of("monitor", "vigil"));
    value = 90123.52399992943;
  }

  @Benchmark
  public String expandSimple() {
    return simple.expand(labels, value, ctx).text();
  }

  @Benchmark
  public String expandComplex() {
    return complex.expand(labels, value, ctx).text();
  }

  @Benchmark
  public AlertTemplate compileSimple() throws TemplateException {
    return AlertTemplate.compile("BackupTooOld", SIMPLE);
  }
}
