package io.vigil.bench.tsdb;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.model.Labels;
import io.vigil.storage.Appender;
import io.vigil.tsdb.Tsdb;
import io.vigil.tsdb.TsdbOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time to open a TSDB whose WAL holds {@code series} series with {@code samplesPerSeries} samples
 * each (no blocks): WAL replay into the head. Single-shot: each iteration opens and closes the same
 * directory. Divide by the series or sample count for seconds per million series / 100 M samples.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g"})
public class WalReplayBenchmark {
  /** series:samplesPerSeries. "1000000:1" measures series records, "20000:500" samples (10 M). */
  @Param({"1000000:1", "20000:500"})
  public String shape;

  private Path dir;

  @Setup(Level.Trial)
  public void setup() throws IOException {
    String[] p = shape.split(":");
    int series = Integer.parseInt(p[0]);
    int samples = Integer.parseInt(p[1]);
    dir = Files.createTempDirectory("vigil-bench-replay");
    try (Tsdb db = Tsdb.open(dir, options(), new PrometheusRegistry())) {
      long[] refs = new long[series];
      Labels[] labels = new Labels[series];
      for (int s = 0; s < series; s++) {
        labels[s] = Labels.of("__name__", "metric_" + (s % 200), "instance", "host-" + (s / 2000) + ":9100", "job", "node",
            "series", Integer.toString(s));
      }
      long t0 = 1_700_000_000_000L;
      for (int i = 0; i < samples; i++) {
        Appender a = db.appender();
        for (int s = 0; s < series; s++) {
          refs[s] = a.append(refs[s], labels[s], t0 + i * 15_000L, s + i * 0.5);
          if ((s & 16383) == 16383) {
            a.commit(); // batches of a realistic size
          }
        }
        a.commit();
      }
    }
  }

  private static TsdbOptions options() {
    return TsdbOptions.defaults().withCompactionIntervalMs(0);
  }

  @Benchmark
  public int openAndReplay() {
    try (Tsdb db = Tsdb.open(dir, options(), new PrometheusRegistry())) {
      return db.head().numSeries();
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
    }
  }
}
