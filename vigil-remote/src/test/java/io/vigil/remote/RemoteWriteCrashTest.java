package io.vigil.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.model.Labels;
import io.vigil.remote.Stored.Point;
import io.vigil.tsdb.Tsdb;
import io.vigil.tsdb.TsdbOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acknowledged means durable: a child JVM serves the receiver over a TSDB; several client threads
 * write concurrently and record every batch answered 204; the child is killed with SIGKILL at a
 * random moment; the TSDB reopened on the same directory must hold every acknowledged sample with
 * its value. Repeated, each round restarting the child on the same directory.
 */
class RemoteWriteCrashTest {
  static final int ROUNDS = 3;
  static final int THREADS = 4;
  static final int SERIES_PER_THREAD = 50;
  static final int SAMPLES_PER_SERIES = 4;

  @TempDir
  Path dir;

  /** One acknowledged batch; its samples follow from these numbers (see {@link #sample}). */
  record Acked(long base, int writer, int batch) {}

  static Labels series(int writer, int s) {
    return Labels.of("__name__", "crash_test_value", "writer", "w" + writer, "series", "s" + s);
  }

  /** Sample j of series s in batch b of a writer: timestamp and value, both unique per sample. */
  static Point sample(long base, int writer, int s, int b, int j) {
    return Point.of(base + (long) b * SAMPLES_PER_SERIES + j, writer * 1e9 + s * 1e6 + b * 10 + j + 0.25);
  }

  @Test
  void everyAcknowledgedSampleSurvivesKillMinus9() throws Exception {
    long seed = System.nanoTime();
    System.out.println("RemoteWriteCrashTest seed=" + seed);
    Random rnd = new Random(seed);
    Path data = dir.resolve("data");
    ConcurrentLinkedQueue<Acked> acked = new ConcurrentLinkedQueue<>();
    long t0 = System.currentTimeMillis();
    for (int round = 0; round < ROUNDS; round++) {
      Path portFile = dir.resolve("port-" + round);
      Path log = dir.resolve("child-" + round + ".log");
      Process child = childJvm(data, portFile, log);
      try {
        int port = awaitPort(child, portFile, log);
        RemoteWriteClient client = new RemoteWriteClient(URI.create("http://127.0.0.1:" + port + RemoteWriteReceiver.PATH),
            RemoteWriteClient.Options.defaults().withMaxAttempts(1));
        long base = t0 + round * 60_000L; // rounds never overlap in time; all within the 10 min ahead limit
        List<Thread> writers = new ArrayList<>();
        int[] batches = new int[THREADS];
        for (int w = 0; w < THREADS; w++) {
          int writer = w;
          writers.add(Thread.ofPlatform().name("writer-" + w).start(() -> batches[writer] = write(client, writer, base, acked)));
        }
        long killAfterMs = 700 + rnd.nextInt(1500);
        Thread.sleep(killAfterMs);
        child.destroyForcibly(); // SIGKILL
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        for (Thread t : writers) {
          t.join(Duration.ofSeconds(30));
        }
        System.out.printf("round %d: killed after %d ms, batches acknowledged per writer %s%n", round, killAfterMs,
            java.util.Arrays.toString(batches));
        assertThat(java.util.Arrays.stream(batches).min().orElseThrow()).as("writers got acknowledgements before the kill").isPositive();
      } finally {
        child.destroyForcibly();
        child.waitFor();
      }
      assertAllAckedPresent(data, acked);
    }
  }

  /** Writes batches until the server goes away; returns how many were acknowledged. */
  private static int write(RemoteWriteClient client, int writer, long base, ConcurrentLinkedQueue<Acked> acked) {
    WriteRequestEncoder enc = new WriteRequestEncoder();
    Labels[] series = new Labels[SERIES_PER_THREAD];
    for (int s = 0; s < SERIES_PER_THREAD; s++) {
      series[s] = series(writer, s);
    }
    long[] ts = new long[SAMPLES_PER_SERIES];
    double[] vs = new double[SAMPLES_PER_SERIES];
    for (int b = 0; ; b++) {
      enc.reset();
      for (int s = 0; s < SERIES_PER_THREAD; s++) {
        for (int j = 0; j < SAMPLES_PER_SERIES; j++) {
          Point p = sample(base, writer, s, b, j);
          ts[j] = p.t();
          vs[j] = p.value();
        }
        enc.addSeries(series[s], ts, vs, 0, SAMPLES_PER_SERIES);
      }
      try {
        RemoteWriteClient.Response r = client.send(enc);
        if (r.status() != 204) {
          throw new AssertionError("writer " + writer + " batch " + b + ": HTTP " + r.status() + " " + r.body());
        }
        acked.add(new Acked(base, writer, b));
      } catch (IOException e) {
        return b; // the server was killed: this batch's outcome is unknown, so it is not recorded
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return b;
      }
    }
  }

  private static void assertAllAckedPresent(Path data, ConcurrentLinkedQueue<Acked> acked) {
    try (Tsdb db = Tsdb.open(data, TsdbOptions.defaults().withCompactionIntervalMs(0), new PrometheusRegistry())) {
      Map<Labels, List<Point>> stored = Stored.all(db);
      long missing = 0;
      String firstMissing = null;
      for (Acked a : acked) {
        for (int s = 0; s < SERIES_PER_THREAD; s++) {
          List<Point> points = stored.getOrDefault(series(a.writer(), s), List.of());
          for (int j = 0; j < SAMPLES_PER_SERIES; j++) {
            Point want = sample(a.base(), a.writer(), s, a.batch(), j);
            int at = java.util.Collections.binarySearch(points, want, java.util.Comparator.comparingLong(Point::t));
            if (at < 0 || !points.get(at).equals(want)) {
              missing++;
              if (firstMissing == null) {
                firstMissing = series(a.writer(), s) + " " + want + (at < 0 ? " absent" : " stored as " + points.get(at));
              }
            }
          }
        }
      }
      long ackedSamples = (long) acked.size() * SERIES_PER_THREAD * SAMPLES_PER_SERIES;
      long storedCount = stored.values().stream().mapToLong(List::size).sum();
      System.out.printf("acknowledged %d samples, stored %d, missing %d%n", ackedSamples, storedCount, missing);
      assertThat(missing).as("acknowledged samples lost, first: %s", firstMissing).isZero();
      assertThat(storedCount).isGreaterThanOrEqualTo(ackedSamples);
    }
  }

  private static Process childJvm(Path data, Path portFile, Path log) throws IOException {
    String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    return new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), ReceiverMain.class.getName(), data.toString(), portFile.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private static int awaitPort(Process child, Path portFile, Path log) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(portFile)) {
        return Integer.parseInt(Files.readString(portFile).trim());
      }
      if (!child.isAlive()) {
        throw new AssertionError("child exited with " + child.exitValue() + ":\n" + Files.readString(log));
      }
      Thread.sleep(50);
    }
    throw new AssertionError("child did not start in 30 s:\n" + Files.readString(log));
  }
}
