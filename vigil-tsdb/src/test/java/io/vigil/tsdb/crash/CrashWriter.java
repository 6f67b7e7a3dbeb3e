package io.vigil.tsdb.crash;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.model.Labels;
import io.vigil.model.Matcher;
import io.vigil.storage.Appender;
import io.vigil.storage.Querier;
import io.vigil.storage.SampleIterator;
import io.vigil.storage.SampleRejectedException;
import io.vigil.storage.SeriesSet;
import io.vigil.storage.StorageException;
import io.vigil.tsdb.Tsdb;
import io.vigil.tsdb.TsdbOptions;
import java.nio.file.Path;
import java.util.Random;

/**
 * The child process of the crash test: appends batches from several threads until it is killed,
 * printing {@code ACK <writer> <batch>} only after commit() returned. Batch b of writer w writes
 * value b at time {@code BASE + b * 15 s} to each of the writer's series; it resumes after the
 * newest batch already stored. Some batches are rolled back on purpose.
 *
 * <p>Arguments: data dir, writers, series per batch, seed.
 */
public final class CrashWriter {
  public static final long BASE = 1_700_000_000_000L;
  public static final long STEP = 15_000;

  public static TsdbOptions options() {
    return TsdbOptions.defaults().withBlockRangeMs(10 * 60_000).withWalSegmentBytes(128 * 1024)
        .withCompactionIntervalMs(50).withRetentionMs(0);
  }

  public static Labels series(int writer, int s) {
    return Labels.of("__name__", "crash", "w", "" + writer, "s", "" + s);
  }

  /** The newest stored batch per writer (-1 if none). */
  static long[] newestBatches(Tsdb db, int writers) {
    long[] newest = new long[writers];
    java.util.Arrays.fill(newest, -1);
    // Streamed, not materialised: after many kills the store holds millions of samples, more than
    // the child's small heap.
    try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet ss = q.select(false, null, Matcher.equal("__name__", "crash"));
      SampleIterator it = null;
      while (ss.next()) {
        int w = Integer.parseInt(ss.at().labels().get("w"));
        it = ss.at().iterator(it);
        long last = Long.MIN_VALUE;
        while (it.next()) {
          last = it.atT();
        }
        if (w < writers && last != Long.MIN_VALUE) {
          newest[w] = Math.max(newest[w], (last - BASE) / STEP);
        }
      }
    }
    return newest;
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int writers = Integer.parseInt(args[1]);
    int perBatch = Integer.parseInt(args[2]);
    long seed = Long.parseLong(args[3]);
    Tsdb db = Tsdb.open(dir, options(), new PrometheusRegistry());
    long[] newest = newestBatches(db, writers);
    System.out.println("READY");
    System.out.flush();
    Thread[] threads = new Thread[writers];
    for (int w = 0; w < writers; w++) {
      int writer = w;
      threads[w] = Thread.ofPlatform().start(() -> {
        Random r = new Random(seed + writer);
        Appender a = db.appender();
        long[] refs = new long[perBatch];
        for (long b = newest[writer] + 1; ; b++) {
          long t = BASE + b * STEP;
          try {
            for (int s = 0; s < perBatch; s++) {
              refs[s] = a.append(refs[s], series(writer, s), t, b);
            }
            if (r.nextInt(10) == 0) {
              a.rollback();
              continue;
            }
            a.commit();
          } catch (SampleRejectedException | StorageException e) {
            System.err.println("writer " + writer + " batch " + b + ": " + e);
            a.rollback();
            continue;
          }
          synchronized (System.out) {
            System.out.println("ACK " + writer + " " + b);
            System.out.flush();
          }
        }
      });
    }
    for (Thread t : threads) {
      t.join();
    }
  }
}
