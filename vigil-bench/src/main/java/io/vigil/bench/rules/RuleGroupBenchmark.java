package io.vigil.bench.rules;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.model.Labels;
import io.vigil.promql.Engine;
import io.vigil.promql.EngineOptions;
import io.vigil.rules.RuleClock;
import io.vigil.rules.RuleManager;
import io.vigil.rules.RuleOptions;
import io.vigil.storage.Appender;
import io.vigil.tsdb.Tsdb;
import io.vigil.tsdb.TsdbOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * One evaluation of a rule group on a real TSDB head: a recording rule (avg by job) and an alerting
 * rule over {@code hosts} pushed restic jobs of which half are too old and fire (label and
 * annotation templates expanded per alert, ALERTS and ALERTS_FOR_STATE appended, alerts handed to
 * the sink every resend delay). Each operation is the next evaluation, 10 ms later (so that the
 * ALERTS appends stay in order).
 *
 * <p>Run: {@code java -jar vigil-bench/target/benchmarks.jar RuleGroupBenchmark -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class RuleGroupBenchmark {
  @Param({"100", "1000"})
  public int hosts;

  private Path dir;
  private Tsdb db;
  private RuleManager manager;
  private long ts;
  private final LongAdder sent = new LongAdder();
  private static final long DAY_MS = 86_400_000L;

  /** A clock that never reaches any evaluation, so that only the benchmark evaluates. */
  private static final class FrozenClock implements RuleClock {
    private final long now;

    FrozenClock(long now) {
      this.now = now;
    }

    @Override
    public long nowMs() {
      return now;
    }

    @Override
    public boolean sleepUntil(long deadlineMs, CountDownLatch stop) throws InterruptedException {
      stop.await();
      return false;
    }
  }

  @Setup
  public void setup() throws Exception {
    dir = Files.createTempDirectory("vigil-rule-bench");
    PrometheusRegistry registry = new PrometheusRegistry();
    db = Tsdb.open(dir.resolve("tsdb"), TsdbOptions.defaults(), registry);
    long now = System.currentTimeMillis();
    // samples every 4 minutes for a day, so that every evaluation of the run sees all series
    for (long t = now - 60_000; t < now + DAY_MS; t += 240_000) {
      Appender app = db.appender();
      for (int i = 0; i < hosts; i++) {
        Labels base = Labels.of("job", "restic", "instance", "host" + i, "repo", "s3:bucket/r" + (i % 10));
        // every other host last succeeded two hours before the run: its alert fires
        double lastSuccess = (now - (i % 2 == 0 ? 2 * 3_600_000L : 600_000L)) / 1000.0;
        app.append(base.toBuilder().set("__name__", "restic_backup_last_success_timestamp_seconds").build(), t,
            lastSuccess);
        app.append(base.toBuilder().set("__name__", "restic_backup_duration_seconds").build(), t, 30 + i % 100);
      }
      app.commit();
    }
    Path rules = dir.resolve("rules.yml");
    Files.writeString(rules, """
        groups:
          - name: backup
            rules:
              - record: job:restic_backup_duration_seconds:avg
                expr: avg by (job) (restic_backup_duration_seconds)
              - alert: BackupTooOld
                expr: time() - restic_backup_last_success_timestamp_seconds > 3600
                labels:
                  severity: warning
                annotations:
                  summary: "Backup on {{ $labels.instance }} is too old"
                  description: "Last success was {{ $value | humanize }} seconds ago (job {{ $labels.job }})."
        """);
    manager = new RuleManager(new Engine(EngineOptions.DEFAULTS), db, db, alerts -> sent.add(alerts.size()),
        RuleOptions.DEFAULTS.withClock(new FrozenClock(now)), registry);
    manager.update(List.of(rules.toString()), 60_000, 0, Labels.of("monitor", "vigil"));
    ts = now;
  }

  @Benchmark
  public long evaluateGroup() {
    ts += 10; // 10 ms per evaluation: a day of data lasts 8.6 million of them
    manager.evaluateAll(ts);
    return sent.sum();
  }

  @TearDown
  public void tearDown() throws IOException {
    manager.close();
    db.close();
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
