package io.vigil.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.model.Labels;
import io.vigil.model.Matcher;
import io.vigil.storage.Appender;
import io.vigil.storage.Querier;
import io.vigil.tsdb.testutil.Read;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Appenders, queriers and background compaction at once: every query sees whole batches only (each
 * writer's series end at the same batch), data moves from the head into blocks under running
 * queries without a gap, and nothing is lost.
 */
class TsdbConcurrencyTest {
  private static final int WRITERS = 4;
  private static final int SERIES = 20;
  private static final long STEP = 15_000;

  @TempDir Path dir;

  private static long slowest(java.util.concurrent.atomic.AtomicLongArray progress) {
    long min = Long.MAX_VALUE;
    for (int i = 0; i < progress.length(); i++) {
      min = Math.min(min, progress.get(i));
    }
    return min;
  }

  @Test
  void aLeakedQuerierDoesNotStopHeadTruncationForever() throws Exception {
    TsdbOptions o = TsdbTest.small().withQuerierTimeoutMs(300).withAppenderTimeoutMs(300);
    try (Tsdb db = Tsdb.open(dir, o, new PrometheusRegistry())) {
      TsdbTest.fill(db, 2, 0, 40 * 60_000L);
      Querier leaked = db.querier(0, Long.MAX_VALUE); // never closed before compaction
      db.compact(); // waits 300 ms for it, then truncates anyway
      assertThat(db.blocks()).isNotEmpty();
      assertThat(db.head().minTime()).isGreaterThan(0);
      assertThat(Read.all(db, Long.MIN_VALUE, Long.MAX_VALUE, Matcher.equal("__name__", "m")))
          .allSatisfy((l, p) -> assertThat(p).hasSize(160));
      leaked.close();
    }
  }

  @Test
  void anAbandonedAppenderDoesNotStopCompactionForever() throws Exception {
    TsdbOptions o = TsdbTest.small().withAppenderTimeoutMs(200);
    try (Tsdb db = Tsdb.open(dir, o, new PrometheusRegistry())) {
      Appender abandoned = db.appender();
      abandoned.append(Labels.of("__name__", "late"), 0, 1);
      TsdbTest.fill(db, 2, 0, 40 * 60_000L);
      db.compact(); // waits 200 ms for the open batch, then discards it
      assertThat(db.blocks()).isNotEmpty();
      org.assertj.core.api.Assertions.assertThatThrownBy(abandoned::commit)
          .isInstanceOf(io.vigil.storage.StorageException.class).hasMessageContaining("discarded its batch");
      assertThat(Read.all(db, Long.MIN_VALUE, Long.MAX_VALUE, Matcher.equal("__name__", "late"))).isEmpty();
      assertThat(Read.all(db, Long.MIN_VALUE, Long.MAX_VALUE, Matcher.equal("__name__", "m"))).hasSize(2)
          .allSatisfy((l, p) -> assertThat(p).hasSize(160));
      abandoned.append(Labels.of("__name__", "late"), 40 * 60_000L, 2); // the appender is usable again
      abandoned.commit();
    }
  }

  @Test
  void appendersQueriersAndCompactionTogether() throws Exception {
    TsdbOptions o = TsdbOptions.defaults().withBlockRangeMs(5 * 60_000).withCompactionIntervalMs(20).withRetentionMs(0)
        .withWalSegmentBytes(64 * 1024);
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong queries = new AtomicLong();
    long[] lastBatch = new long[WRITERS];
    java.util.concurrent.atomic.AtomicLongArray progress = new java.util.concurrent.atomic.AtomicLongArray(WRITERS);
    try (Tsdb db = Tsdb.open(dir, o, new PrometheusRegistry())) {
      Thread[] writers = new Thread[WRITERS];
      for (int w = 0; w < WRITERS; w++) {
        int id = w;
        writers[w] = Thread.ofPlatform().start(() -> {
          try {
            Appender a = db.appender();
            long[] refs = new long[SERIES];
            for (long b = 0; b < 1500 && !stop.get(); b++) {
              // Stay within a few batches of the slowest writer: a writer far behind the head's
              // newest sample would be out of bounds, as in real life.
              while (!stop.get() && b > slowest(progress) + 5) {
                Thread.onSpinWait();
              }
              for (int s = 0; s < SERIES; s++) {
                refs[s] = a.append(refs[s], Labels.of("__name__", "c", "w", "" + id, "s", "" + s), b * STEP, b);
              }
              a.commit();
              lastBatch[id] = b;
              progress.set(id, b);
            }
          } catch (Throwable e) {
            failures.add(e);
            stop.set(true);
          }
        });
      }
      Thread[] readers = new Thread[2];
      for (int r = 0; r < readers.length; r++) {
        long seed = r;
        readers[r] = Thread.ofPlatform().start(() -> {
          Random rnd = new Random(seed);
          try {
            while (!stop.get()) {
              long mint = rnd.nextInt(1500) * STEP;
              try (Querier q = db.querier(mint, Long.MAX_VALUE)) {
                Map<Labels, List<Read.Point>> got = Read.all(q, Matcher.equal("__name__", "c"));
                for (int w = 0; w < WRITERS; w++) {
                  long end = -1;
                  long count = -1;
                  for (int s = 0; s < SERIES; s++) {
                    List<Read.Point> p = got.getOrDefault(Labels.of("__name__", "c", "w", "" + w, "s", "" + s), List.of());
                    long e = p.isEmpty() ? -1 : p.getLast().t();
                    if (s > 0 && (e != end || p.size() != count)) {
                      throw new AssertionError("writer " + w + " series " + s + " ends at " + e + " with " + p.size()
                          + " samples, series 0 at " + end + " with " + count);
                    }
                    for (int i = 1; i < p.size(); i++) {
                      if (p.get(i).t() != p.get(i - 1).t() + STEP) {
                        throw new AssertionError("gap in writer " + w + " series " + s + " after " + p.get(i - 1));
                      }
                    }
                    end = e;
                    count = p.size();
                  }
                }
              }
              queries.incrementAndGet();
            }
          } catch (Throwable e) {
            failures.add(e);
            stop.set(true);
          }
        });
      }
      for (Thread t : writers) {
        t.join();
      }
      stop.set(true);
      for (Thread t : readers) {
        t.join();
      }
      assertThat(failures).isEmpty();
      assertThat(queries.get()).isPositive();
      db.compact();
      assertThat(db.blocks()).isNotEmpty();
      Map<Labels, List<Read.Point>> all = Read.all(db, Long.MIN_VALUE, Long.MAX_VALUE, Matcher.equal("__name__", "c"));
      assertThat(all).hasSize(WRITERS * SERIES);
      all.forEach((l, p) -> assertThat(p).hasSize((int) lastBatch[Integer.parseInt(l.get("w"))] + 1));
      System.out.println("TsdbConcurrencyTest: " + queries.get() + " consistent queries, " + db.blocks().size() + " blocks");
    }
  }
}
