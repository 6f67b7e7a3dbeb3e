package io.vigil.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.model.Labels;
import io.vigil.model.Matcher;
import io.vigil.model.StaleNaN;
import io.vigil.storage.Appender;
import io.vigil.storage.LabelHints;
import io.vigil.storage.Querier;
import io.vigil.storage.SampleRejectedException;
import io.vigil.tsdb.testutil.Read;
import io.vigil.tsdb.testutil.Read.Point;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded random sequences of append / commit / rollback / query / compact / restart / delete run
 * against the TSDB and against a plain sorted-map model, comparing every query. Prints its seed; a
 * failing run saves its operation log under target/property-failures/. Reproduce with
 * {@code -Dvigil.property.seed=<seed>}.
 */
class TsdbPropertyTest {
  private static final long MIN = 60_000;
  private static final long RANGE = 10 * MIN;
  private static final String[] NAMES = {"m1", "m2", "m3"};
  private static final String[] JOBS = {"a", "b", ""};
  private static final int INSTANCES = 4;

  @TempDir Path tmp;

  @Test
  void inOrderOnly() throws IOException {
    run(0, Integer.getInteger("vigil.property.ops", 1000));
  }

  @Test
  void withOutOfOrderWindow() throws IOException {
    run(30 * MIN, Integer.getInteger("vigil.property.ops", 1000));
  }

  private void run(long oooWindow, int ops) throws IOException {
    long seed = Long.getLong("vigil.property.seed", System.nanoTime());
    System.out.println("TsdbPropertyTest seed=" + seed + " oooWindow=" + oooWindow);
    Scenario s = new Scenario(tmp.resolve("db-" + oooWindow), new Random(seed), oooWindow);
    try {
      s.run(ops);
    } catch (AssertionError | RuntimeException e) {
      Path out = Path.of("target", "property-failures", "tsdb-" + seed + "-ooo" + oooWindow + ".txt");
      Files.createDirectories(out.getParent());
      Files.write(out, s.log);
      throw new AssertionError("seed " + seed + " failed after " + s.log.size() + " operations (log: " + out.toAbsolutePath()
          + "): " + e.getMessage(), e);
    } finally {
      s.close();
    }
  }

  private static final class Scenario {
    final Path dir;
    final Random r;
    final long oooWindow;
    final TsdbOptions opts;
    final List<String> log = new ArrayList<>();
    final List<Labels> pool = new ArrayList<>();
    final Map<Labels, TreeMap<Long, Long>> model = new HashMap<>();
    /** Newest committed sample per series, deleted or not: deletion does not reopen the past. */
    final Map<Labels, long[]> newest = new HashMap<>();
    Tsdb db;
    long now = 1_700_000_000_000L;

    Scenario(Path dir, Random r, long oooWindow) {
      this.dir = dir;
      this.r = r;
      this.oooWindow = oooWindow;
      this.opts = TsdbOptions.defaults().withBlockRangeMs(RANGE).withCompactionIntervalMs(0).withRetentionMs(0)
          .withWalSegmentBytes(16 * 1024).withOutOfOrderWindowMs(oooWindow).withMaxBlockRangeMs(90 * MIN);
      for (String n : NAMES) {
        for (String j : JOBS) {
          for (int i = 0; i < INSTANCES; i++) {
            pool.add(Labels.of("__name__", n, "job", j, "inst", "i" + i));
          }
        }
      }
      db = Tsdb.open(dir, opts, new PrometheusRegistry());
    }

    void close() {
      if (db != null) {
        db.close();
      }
    }

    void run(int ops) throws IOException {
      for (int i = 0; i < ops; i++) {
        int op = r.nextInt(100);
        if (op < 55) {
          batch();
        } else if (op < 80) {
          query();
        } else if (op < 86) {
          log.add("compact");
          db.compact();
        } else if (op < 91) {
          log.add("restart");
          db.close();
          db = Tsdb.open(dir, opts, new PrometheusRegistry());
        } else if (op < 93) {
          delete();
        } else {
          labelValues();
        }
      }
      log.add("final compact and restart");
      db.compact();
      db.close();
      db = Tsdb.open(dir, opts, new PrometheusRegistry());
      compare(Long.MIN_VALUE, Long.MAX_VALUE, Matcher.regex("__name__", ".+"));
      long samples = model.values().stream().mapToLong(TreeMap::size).sum();
      System.out.println("TsdbPropertyTest: " + ops + " ops, " + samples + " samples in " + model.size() + " series, "
          + db.blocks().size() + " blocks, rejections " + rejections);
      assertThat(db.blocks()).as("compaction was exercised").isNotEmpty();
    }

    final Map<String, Integer> rejections = new TreeMap<>();

    /** Appends a batch of samples, mostly in order, some late, some duplicate; commits or rolls back. */
    void batch() {
      now += 5_000 + r.nextInt(20_000);
      Appender a = db.appender();
      Map<Labels, TreeMap<Long, Long>> pending = new LinkedHashMap<>();
      int n = 1 + r.nextInt(40);
      StringBuilder sb = new StringBuilder("batch");
      for (int k = 0; k < n; k++) {
        Labels l = pool.get(r.nextInt(pool.size()));
        long t = switch (r.nextInt(25)) {
          case 0, 1 -> now - r.nextInt((int) (40 * MIN)); // late: out of order or out of bounds
          case 2 -> {
            TreeMap<Long, Long> m = model.get(l);
            yield m == null || m.isEmpty() ? now : m.lastKey(); // duplicate timestamp
          }
          default -> now + k;
        };
        double v = switch (r.nextInt(8)) {
          case 0 -> StaleNaN.VALUE;
          case 1 -> {
            TreeMap<Long, Long> m = model.get(l);
            yield m == null || !m.containsKey(t) ? 1.0 : Double.longBitsToDouble(m.get(t)); // same value again
          }
          default -> r.nextInt(1000) / 4.0;
        };
        sb.append(' ').append(l).append('@').append(t).append('=').append(v);
        try {
          a.append(l, t, v);
          pending.computeIfAbsent(l, x -> new TreeMap<>()).putIfAbsent(t, Double.doubleToRawLongBits(v));
          sb.append(" ok");
        } catch (SampleRejectedException e) {
          sb.append(" rejected:").append(e.reason());
          rejections.merge(e.reason().toString(), 1, Integer::sum);
          checkRejection(e, l, t, v, pending.get(l));
        }
      }
      if (r.nextInt(5) == 0) {
        a.rollback();
        log.add(sb.append(" ROLLBACK").toString());
      } else {
        a.commit();
        log.add(sb.append(" COMMIT").toString());
        pending.forEach((l, m) -> {
          TreeMap<Long, Long> series = model.computeIfAbsent(l, x -> new TreeMap<>());
          m.forEach(series::putIfAbsent); // a repeat of an existing sample changes nothing
          long[] nw = newest.computeIfAbsent(l, x -> new long[] {Long.MIN_VALUE, 0});
          if (m.lastKey() > nw[0]) {
            nw[0] = m.lastKey();
            nw[1] = m.lastEntry().getValue();
          }
        });
      }
    }

    /** A rejection must be justified by what the model holds. */
    void checkRejection(SampleRejectedException e, Labels l, long t, double v, TreeMap<Long, Long> pending) {
      TreeMap<Long, Long> m = model.getOrDefault(l, new TreeMap<>());
      long[] nw = newest.getOrDefault(l, new long[] {Long.MIN_VALUE, 0});
      long seriesMax = Math.max(nw[0], pending == null || pending.isEmpty() ? Long.MIN_VALUE : pending.lastKey());
      switch (e.reason()) {
        case OUT_OF_ORDER -> assertThat(t).as("out of order needs a newer sample: %s", e.getMessage()).isLessThan(seriesMax);
        case DUPLICATE_TIMESTAMP -> {
          Long existing = m.containsKey(t) ? m.get(t) : pending != null && pending.containsKey(t) ? pending.get(t)
              : nw[0] == t ? nw[1] : null;
          if (existing != null) {
            assertThat(existing).as("duplicate must differ: %s", e.getMessage()).isNotEqualTo(Double.doubleToRawLongBits(v));
          } else {
            assertThat(oooWindow).as("a conflict with an unknown sample: %s", e.getMessage()).isPositive();
          }
        }
        case OUT_OF_BOUNDS -> assertThat(t).as("out of bounds must be old: %s", e.getMessage()).isLessThan(now - RANGE / 2 + 1);
        default -> throw new AssertionError("unexpected rejection " + e);
      }
    }

    Matcher[] randomMatchers() {
      return switch (r.nextInt(9)) {
        case 0 -> new Matcher[] {Matcher.equal("__name__", NAMES[r.nextInt(NAMES.length)])};
        case 1 -> new Matcher[] {Matcher.regex("__name__", "m.*")};
        case 2 -> new Matcher[] {Matcher.equal("job", "a")};
        case 3 -> new Matcher[] {Matcher.equal("__name__", "m2"), Matcher.notEqual("job", "b")};
        case 4 -> new Matcher[] {Matcher.regex("__name__", "m1|m3"), Matcher.regex("inst", "i[0-2]")};
        case 5 -> new Matcher[] {Matcher.regex("__name__", ".+"), Matcher.equal("job", "")};
        case 6 -> new Matcher[] {Matcher.equal("__name__", "m3"), Matcher.notRegex("inst", "i1|i2")};
        case 7 -> new Matcher[] {Matcher.regex("job", "a|"), Matcher.notEqual("inst", "i0")};
        default -> new Matcher[] {Matcher.equal("inst", "i" + r.nextInt(INSTANCES)), Matcher.regex("job", ".*")};
      };
    }

    void query() {
      Matcher[] ms = randomMatchers();
      long span = (long) r.nextInt((int) (200 * MIN));
      long maxt = now - r.nextInt((int) (60 * MIN)) + 1000;
      long mint = r.nextInt(10) == 0 ? Long.MIN_VALUE : maxt - span;
      log.add("query " + mint + ".." + maxt + " " + List.of(ms));
      compare(mint, maxt, ms);
    }

    void compare(long mint, long maxt, Matcher... ms) {
      Map<Labels, List<Point>> expected = expected(mint, maxt, ms);
      Map<Labels, List<Point>> got = new LinkedHashMap<>();
      Read.all(db, mint, maxt, ms).forEach((l, p) -> {
        if (!p.isEmpty()) {
          got.put(l, p); // a series whose chunks overlap the range may have no sample in it
        }
      });
      assertThat(got.keySet()).as("series for %s in [%d, %d]", List.of(ms), mint, maxt).containsExactlyElementsOf(expected.keySet());
      expected.forEach((l, p) -> assertThat(got.get(l)).as("samples of %s in [%d, %d]", l, mint, maxt).isEqualTo(p));
    }

    Map<Labels, List<Point>> expected(long mint, long maxt, Matcher... ms) {
      TreeMap<Labels, List<Point>> out = new TreeMap<>();
      model.forEach((l, samples) -> {
        for (Matcher m : ms) {
          if (!m.matches(l.get(m.name()))) {
            return;
          }
        }
        List<Point> pts = new ArrayList<>();
        samples.subMap(mint, true, maxt, true).forEach((t, bits) -> pts.add(new Point(t, bits)));
        if (!pts.isEmpty()) {
          out.put(l, pts);
        }
      });
      return out;
    }

    void delete() {
      // Only ranges no future sample can fall into: tombstones in the head also hide later appends.
      long maxt = now - Math.max(RANGE / 2, oooWindow) - 1 - r.nextInt((int) (30 * MIN));
      long mint = maxt - r.nextInt((int) (60 * MIN));
      Matcher[] ms = randomMatchers();
      log.add("delete " + mint + ".." + maxt + " " + List.of(ms));
      db.deleteSeries(mint, maxt, ms);
      model.forEach((l, samples) -> {
        for (Matcher m : ms) {
          if (!m.matches(l.get(m.name()))) {
            return;
          }
        }
        samples.subMap(mint, true, maxt, true).clear();
      });
      if (r.nextBoolean()) {
        log.add("cleanTombstones");
        try {
          db.cleanTombstones();
        } catch (IOException e) {
          throw new RuntimeException(e);
        }
      }
    }

    void labelValues() {
      Matcher[] ms = randomMatchers();
      long maxt = now;
      long mint = now - r.nextInt((int) (120 * MIN));
      String name = r.nextBoolean() ? "inst" : "job";
      log.add("labelValues " + name + " " + mint + ".." + maxt + " " + List.of(ms));
      TreeSet<String> inRange = new TreeSet<>();
      expected(mint, maxt, ms).keySet().forEach(l -> {
        if (l.has(name)) {
          inRange.add(l.get(name));
        }
      });
      TreeSet<String> ever = new TreeSet<>();
      expected(Long.MIN_VALUE, Long.MAX_VALUE, ms).keySet().forEach(l -> {
        if (l.has(name)) {
          ever.add(l.get(name));
        }
      });
      try (Querier q = db.querier(mint, maxt)) {
        List<String> got = q.labelValues(name, LabelHints.NONE, ms);
        assertThat(got).isSorted().doesNotHaveDuplicates();
        // Chunk-level precision: everything in range is listed, nothing that never existed is.
        assertThat(got).containsAll(inRange);
        assertThat(ever).containsAll(got);
      }
    }
  }
}
