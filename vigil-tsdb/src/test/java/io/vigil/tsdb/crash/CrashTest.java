package io.vigil.tsdb.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.model.Labels;
import io.vigil.model.Matcher;
import io.vigil.tsdb.Tsdb;
import io.vigil.tsdb.testutil.Read;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the TSDB in a child JVM appending from several threads, kills it with SIGKILL at a random
 * moment, reopens the data and checks that every acknowledged batch is there and that no batch is
 * partly visible. Repeats on the same directory (so replay, checkpoints, compaction and their
 * interruptions pile up). Iterations: system property {@code vigil.crash.iterations} (default 10).
 */
class CrashTest {
  private static final int WRITERS = 4;
  private static final int PER_BATCH = 25;

  @TempDir Path tmp;

  @Test
  void acknowledgedBatchesSurviveKillDashNine() throws Exception {
    int iterations = Integer.getInteger("vigil.crash.iterations", 10);
    long seed = Long.getLong("vigil.crash.seed", System.nanoTime());
    System.out.println("CrashTest seed=" + seed + " iterations=" + iterations);
    Random random = new Random(seed);
    Path data = tmp.resolve("data");
    Set<Long> acked = ConcurrentHashMap.newKeySet();
    long totalAcked = 0;
    for (int it = 0; it < iterations; it++) {
      Path log = tmp.resolve("child-" + it + ".log");
      Process p = ChildJvm.builder(CrashWriter.class, data.toString(), "" + WRITERS, "" + PER_BATCH, "" + random.nextLong())
          .redirectError(log.toFile()).start();
      CountDownLatch ready = new CountDownLatch(1);
      Thread reader = Thread.ofPlatform().start(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            if (line.equals("READY")) {
              ready.countDown();
            } else if (line.startsWith("ACK ")) {
              String[] f = line.split(" ");
              acked.add(key(Integer.parseInt(f[1]), Long.parseLong(f[2])));
            }
          }
        } catch (IOException ignored) {
          // the child died
        }
      });
      boolean started = ready.await(60, TimeUnit.SECONDS);
      assertThat(started).as("child %d started (log: %s)", it, Files.exists(log) ? Files.readString(log) : "").isTrue();
      Thread.sleep(100 + random.nextInt(900));
      p.destroyForcibly(); // SIGKILL: no shutdown hooks, no flushing
      p.waitFor();
      reader.join();
      totalAcked = acked.size();
      verify(data, acked, it, log);
    }
    System.out.println("CrashTest: " + iterations + " kills, " + totalAcked + " acknowledged batches, all present");
    assertThat(totalAcked).isGreaterThan(iterations);
  }

  private static long key(int writer, long batch) {
    return batch * 16 + writer;
  }

  private static void verify(Path data, Set<Long> acked, int iteration, Path log) throws IOException {
    try (Tsdb db = Tsdb.open(data, CrashWriter.options().withCompactionIntervalMs(0), new PrometheusRegistry())) {
      Map<Labels, List<Read.Point>> all = Read.all(db, Long.MIN_VALUE, Long.MAX_VALUE, Matcher.equal("__name__", "crash"));
      Set<Long> present = new HashSet<>();
      for (int w = 0; w < WRITERS; w++) {
        TreeSet<Long> first = null;
        for (int s = 0; s < PER_BATCH; s++) {
          List<Read.Point> pts = all.getOrDefault(CrashWriter.series(w, s), List.of());
          TreeSet<Long> batches = new TreeSet<>();
          for (Read.Point pt : pts) {
            long b = (pt.t() - CrashWriter.BASE) / CrashWriter.STEP;
            assertThat(pt.value()).as("value of writer %d batch %d", w, b).isEqualTo((double) b);
            batches.add(b);
          }
          if (first == null) {
            first = batches;
          } else if (!first.equals(batches)) {
            TreeSet<Long> diff = new TreeSet<>(first);
            diff.addAll(batches);
            TreeSet<Long> common = new TreeSet<>(first);
            common.retainAll(batches);
            diff.removeAll(common);
            throw new AssertionError("iteration " + iteration + ": writer " + w + " has partly visible batches " + diff
                + " (series 0 vs " + s + "); child log " + log + ":\n" + Files.readString(log));
          }
        }
        for (long b : first) {
          present.add(key(w, b));
        }
      }
      Set<Long> missing = new TreeSet<>(acked);
      missing.removeAll(present);
      if (!missing.isEmpty()) {
        throw new AssertionError("iteration " + iteration + ": " + missing.size() + " acknowledged batches missing, e.g. "
            + missing.stream().limit(5).map(k -> "writer " + (k % 16) + " batch " + (k / 16)).toList()
            + "; child log:\n" + Files.readString(log));
      }
    }
  }
}
