package io.vigil.bench.tsdb;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.storage.Appender;
import io.vigil.tsdb.Tsdb;
import io.vigil.tsdb.TsdbOptions;
import io.vigil.tsdb.head.Head;
import io.vigil.tsdb.head.HeadMetrics;
import io.vigil.tsdb.head.HeadOptions;
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
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Appending scrapes of the fleet workload with cached references, one commit per scrape of all
 * series, on one thread. {@code wal=false}: the head alone (Head with no commit log). {@code
 * wal=true}: a whole Tsdb with its WAL, so every commit is encoded, written and fsynced. Scores are
 * samples per second per core. Every simulated hour the head is truncated to the last hour, as
 * compaction would keep it bounded (in a real TSDB that happens on another thread).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class HeadAppendBenchmark {
  /** 10 hosts of the fleet workload: about this many series per scrape. */
  static final int HOSTS = 10;
  static final int SCRAPES = 240;

  @Param({"false", "true"})
  public boolean wal;

  private WorkloadData data;
  private Head head;
  private Tsdb db;
  private Path dir;
  private long[] refs;
  private int scrape;
  private long shiftMs;
  private int n;

  @Setup(Level.Trial)
  public void setup() throws IOException {
    data = new WorkloadData(HOSTS, SCRAPES, 3);
    n = data.size();
    if (n != SERIES) {
      throw new IllegalStateException("the workload has " + n + " series per scrape; update SERIES to match");
    }
    if (wal) {
      dir = Files.createTempDirectory("vigil-bench-append");
      db = Tsdb.open(dir, TsdbOptions.defaults().withCompactionIntervalMs(0), new PrometheusRegistry());
      head = db.head();
    } else {
      head = new Head(new HeadOptions(2 * 3_600_000, 0, 0), new HeadMetrics(new PrometheusRegistry()), null);
    }
    refs = new long[n];
    Appender a = head.appender();
    for (int i = 0; i < n; i++) {
      refs[i] = a.append(0, data.series.get(i), data.ts[0][i], data.vs[0][i]);
    }
    a.commit();
    scrape = 1;
  }

  /** Series per scrape of {@link #HOSTS} hosts (a constant for OperationsPerInvocation; checked in setup). */
  static final int SERIES = 21600;

  @Benchmark
  @OperationsPerInvocation(SERIES)
  public void appendScrape() {
    if (scrape == SCRAPES) {
      scrape = 0;
      shiftMs += SCRAPES * data.intervalMs;
      // Keep the head at one to two hours, as compaction would, so the score is a steady state and
      // not a measure of a heap that only grows. (Dropping data without writing a block is fine here.)
      head.truncate(data.ts[0][0] + shiftMs - SCRAPES * data.intervalMs, Long.MAX_VALUE, 60_000, 60_000, 60_000);
    }
    long[] t = data.ts[scrape];
    double[] v = data.vs[scrape];
    Appender a = head.appender();
    for (int i = 0; i < n; i++) {
      a.append(refs[i], t[i] + shiftMs, v[i]);
    }
    a.commit();
    scrape++;
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    if (db != null) {
      db.close();
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
