package io.vigil.tsdb.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.model.Labels;
import io.vigil.model.Matcher;
import io.vigil.storage.Querier;
import io.vigil.storage.SampleIterator;
import io.vigil.storage.SeriesSet;
import io.vigil.tsdb.Tsdb;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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

  /**
   * Every series of a writer must hold the same batches (a batch is all or nothing), each sample's
   * value its batch number, and every acknowledged batch must be there. Streamed per series: after
   * a hundred kills the store holds tens of millions of samples.
   */
  private static void verify(Path data, Set<Long> acked, int iteration, Path log) throws IOException {
    try (Tsdb db = Tsdb.open(data, CrashWriter.options().withCompactionIntervalMs(0), new PrometheusRegistry());
        Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      long[][] batchesByWriter = new long[WRITERS][];
      for (int w = 0; w < WRITERS; w++) {
        long[] first = null;
        for (int s = 0; s < PER_BATCH; s++) {
          long[] batches = batchesOf(q, CrashWriter.series(w, s), w);
          if (first == null) {
            first = batches;
          } else if (!Arrays.equals(first, batches)) {
            TreeSet<Long> a = new TreeSet<>(Arrays.stream(first).boxed().toList());
            TreeSet<Long> b = new TreeSet<>(Arrays.stream(batches).boxed().toList());
            TreeSet<Long> diff = new TreeSet<>(a);
            diff.addAll(b);
            a.retainAll(b);
            diff.removeAll(a);
            throw new AssertionError("iteration " + iteration + ": writer " + w + " has partly visible batches " + diff
                + " (series 0 vs " + s + "); child log " + log + ":\n" + Files.readString(log));
          }
        }
        batchesByWriter[w] = first;
      }
      List<String> missing = new ArrayList<>();
      long missingCount = 0;
      for (long k : acked) {
        int w = (int) (k % 16);
        long b = k / 16;
        if (Arrays.binarySearch(batchesByWriter[w], b) < 0) {
          missingCount++;
          if (missing.size() < 5) {
            missing.add("writer " + w + " batch " + b);
          }
        }
      }
      if (missingCount > 0) {
        throw new AssertionError("iteration " + iteration + ": " + missingCount + " acknowledged batches missing, e.g. "
            + missing + "; child log:\n" + Files.readString(log));
      }
    }
  }

  /** The batch numbers stored for one series, ascending; checks each value is its batch number. */
  private static long[] batchesOf(Querier q, Labels series, int writer) {
    long[] out = new long[1024];
    int n = 0;
    SeriesSet ss = q.select(true, null, Matcher.equal("__name__", "crash"), Matcher.equal("w", series.get("w")),
        Matcher.equal("s", series.get("s")));
    SampleIterator it = null;
    while (ss.next()) {
      it = ss.at().iterator(it);
      while (it.next()) {
        long b = (it.atT() - CrashWriter.BASE) / CrashWriter.STEP;
        assertThat(it.atV()).as("value of writer %d batch %d", writer, b).isEqualTo((double) b);
        if (n > 0 && out[n - 1] == b) {
          continue; // the same sample in overlapping blocks
        }
        if (n == out.length) {
          out = Arrays.copyOf(out, n * 2);
        }
        out[n++] = b;
      }
    }
    return Arrays.copyOf(out, n);
  }
}
