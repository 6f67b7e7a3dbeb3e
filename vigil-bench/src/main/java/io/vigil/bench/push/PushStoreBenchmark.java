package io.vigil.bench.push;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.push.PushOptions;
import io.vigil.push.PushRejectedException;
import io.vigil.push.PushService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Pushes per second through the push store: grouping-key parsing, body parsing, the consistency
 * checks across groups, the journal append and the wait for durability, for a restic-style group of
 * 9 gauges replaced by PUT, while {@code groups} groups exist. The Pushgateway gathers and re-checks
 * every group on every push, so its cost grows with the number of groups; this must stay flat.
 * {@code fsync=false} measures the CPU path (the journal is written but not fsynced);
 * {@code fsync=true} is bound by the disk's fsync latency with one client and shows group commit
 * with eight.
 *
 * <p>The pushes go to {@link #HOT} of the groups in turn, as in real use where a few jobs finish
 * at a time while the rest of the groups sit still. Rewriting every one of 10,000 groups each
 * fraction of a second instead keeps all of them in the young generation, and the benchmark then
 * measures the garbage collector copying them.
 *
 * <p>Run: {@code java -jar vigil-bench/target/benchmarks.jar PushStoreBenchmark}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class PushStoreBenchmark {
  /** Distinct bodies (different values) cycled through, so values change as in real pushes. */
  private static final int BODIES = 64;
  /** Groups pushed to in turn (at most {@code groups}). */
  static final int HOT = 10;

  @Param({"10", "1000", "10000"})
  public int groups;

  @Param({"false", "true"})
  public boolean fsync;

  private Path dir;
  private PushService service;
  private byte[][] bodies;
  private String[] paths;

  @Setup(Level.Trial)
  public void setUp() throws IOException, PushRejectedException {
    dir = Files.createTempDirectory("push-bench");
    service = PushService.open(PushOptions.defaults(dir).withFsync(fsync), new PrometheusRegistry());
    bodies = new byte[BODIES][];
    for (int i = 0; i < BODIES; i++) {
      bodies[i] = resticBody(i).getBytes(StandardCharsets.UTF_8);
    }
    paths = new String[groups];
    for (int g = 0; g < groups; g++) {
      paths[g] = "/metrics/job/restic/instance/host" + g + "/repo@base64/czM6YnVja2V0L3BhdGg=";
      service.push(true, paths[g], null, bodies[g % BODIES]);
    }
  }

  /** The 9 gauges a restic wrapper script pushes after each backup. */
  static String resticBody(int i) {
    StringBuilder sb = new StringBuilder();
    String[][] gauges = {
        {"restic_backup_files_new", "New files."}, {"restic_backup_files_changed", "Changed files."},
        {"restic_backup_files_unmodified", "Unmodified files."}, {"restic_backup_dirs_new", "New directories."},
        {"restic_backup_dirs_changed", "Changed directories."}, {"restic_backup_dirs_unmodified", "Unmodified directories."},
        {"restic_backup_added_bytes", "Bytes added to the repository."},
        {"restic_backup_duration_seconds", "Duration of the backup."},
        {"restic_backup_last_success_timestamp_seconds", "Unix time of the last successful backup."}};
    for (int g = 0; g < gauges.length; g++) {
      sb.append("# HELP ").append(gauges[g][0]).append(' ').append(gauges[g][1]).append('\n');
      sb.append("# TYPE ").append(gauges[g][0]).append(" gauge\n");
      sb.append(gauges[g][0]).append(' ').append(g == 8 ? 1.7952e9 + i : 1000 * g + i * 7.5).append('\n');
    }
    return sb.toString();
  }

  /** Per-thread position, so threads replace different groups. */
  @State(Scope.Thread)
  public static class Cursor {
    int next;

    @Setup(Level.Trial)
    public void setUp() {
      next = (int) (Thread.currentThread().threadId() * 7919);
    }
  }

  @Benchmark
  @Threads(1)
  public void putOneClient(Cursor c) throws PushRejectedException {
    put(c);
  }

  @Benchmark
  @Threads(8)
  public void putEightClients(Cursor c) throws PushRejectedException {
    put(c);
  }

  private void put(Cursor c) throws PushRejectedException {
    int n = c.next++ & Integer.MAX_VALUE;
    service.push(true, paths[n % Math.min(HOT, groups)], null, bodies[n % BODIES]);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    service.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
