package io.vigil.tsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.model.Labels;
import io.vigil.model.Matcher;
import io.vigil.model.StaleNaN;
import io.vigil.storage.Appender;
import io.vigil.storage.LabelHints;
import io.vigil.storage.Querier;
import io.vigil.storage.StorageException;
import io.vigil.tsdb.block.Block;
import io.vigil.tsdb.testutil.Read;
import io.vigil.tsdb.testutil.Read.Point;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TsdbTest {
  static final long MIN = 60_000;
  @TempDir Path dir;

  static TsdbOptions small() {
    return TsdbOptions.defaults().withBlockRangeMs(10 * MIN).withCompactionIntervalMs(0).withWalSegmentBytes(64 * 1024)
        .withRetentionMs(0);
  }

  private static Tsdb open(Path dir, TsdbOptions o) {
    return Tsdb.open(dir, o, new PrometheusRegistry());
  }

  private static Labels l(String... kv) {
    return Labels.of(kv);
  }

  /** Appends `series` series at 15 s from `from` to `to` (exclusive), one batch per timestamp. */
  static void fill(Tsdb db, int series, long from, long to) {
    Appender a = db.appender();
    long[] refs = new long[series];
    for (long t = from; t < to; t += 15_000) {
      for (int s = 0; s < series; s++) {
        refs[s] = a.append(refs[s], l("__name__", "m", "s", "" + s), t, t / 1000.0 + s);
      }
      a.commit();
    }
  }

  @Test
  void walReplayRestoresEverythingAndRefs() {
    long ref;
    try (Tsdb db = open(dir, small())) {
      Appender a = db.appender();
      ref = a.append(l("__name__", "up", "job", "a"), 1000, 1);
      a.append(ref, 2000, StaleNaN.VALUE);
      a.commit();
      a.append(l("__name__", "up", "job", "b"), 1000, 5);
      a.rollback();
    }
    try (Tsdb db = open(dir, small())) {
      Map<Labels, List<Point>> got = Read.all(db, 0, 10_000, Matcher.equal("__name__", "up"));
      assertThat(got).containsOnlyKeys(l("__name__", "up", "job", "a"));
      assertThat(got.values().iterator().next()).containsExactly(Point.of(1000, 1), Point.of(2000, StaleNaN.VALUE));
      Appender a = db.appender();
      a.append(ref, 3000, 3); // the reference survived the restart
      a.commit();
      assertThat(db.walReplayStatus().done()).isTrue();
    }
  }

  @Test
  void headIsCutIntoBlocksAndQueriesSpanBoth() throws IOException {
    try (Tsdb db = open(dir, small())) {
      fill(db, 5, 0, 40 * MIN);
      db.compact();
      assertThat(db.blocks()).isNotEmpty();
      assertThat(db.head().minTime()).isGreaterThanOrEqualTo(db.blocks().getLast().maxTime());
      Map<Labels, List<Point>> got = Read.all(db, 0, Long.MAX_VALUE, Matcher.equal("__name__", "m"));
      assertThat(got).hasSize(5);
      got.values().forEach(p -> assertThat(p).hasSize(160));
      assertThat(got.get(l("__name__", "m", "s", "3")).get(7)).isEqualTo(Point.of(7 * 15_000, 7 * 15 + 3));
    }
    // Reopen: blocks load, the WAL replays only the head part.
    try (Tsdb db = open(dir, small())) {
      Map<Labels, List<Point>> got = Read.all(db, 0, Long.MAX_VALUE, Matcher.equal("__name__", "m"));
      got.values().forEach(p -> assertThat(p).hasSize(160));
      try (Querier q = db.querier(0, Long.MAX_VALUE)) {
        assertThat(q.labelValues("s", LabelHints.NONE)).containsExactly("0", "1", "2", "3", "4");
        assertThat(q.labelNames(LabelHints.NONE, Matcher.equal("s", "1"))).containsExactly("__name__", "s");
      }
    }
  }

  @Test
  void blocksAreCompactedIntoLargerRanges() throws IOException {
    try (Tsdb db = open(dir, small().withMaxBlockRangeMs(90 * MIN))) {
      fill(db, 3, 0, 120 * MIN);
      db.compact();
      List<Block> blocks = db.blocks();
      assertThat(blocks.stream().anyMatch(b -> b.meta().compaction().level() > 1)).isTrue();
      // 10 min blocks merge into 30 min ranges, those into one 90 min block (the maximum).
      assertThat(blocks.getFirst().minTime()).isZero();
      assertThat(blocks.getFirst().maxTime()).isEqualTo(90 * MIN);
      assertThat(blocks.getFirst().meta().compaction().level()).isEqualTo(3);
      assertThat(blocks.getFirst().meta().compaction().sources()).hasSize(9);
      Map<Labels, List<Point>> got = Read.all(db, 0, Long.MAX_VALUE, Matcher.equal("__name__", "m"));
      got.values().forEach(p -> assertThat(p).hasSize(480));
    }
  }

  @Test
  void timeRetentionDeletesOldBlocks() throws IOException {
    try (Tsdb db = open(dir, small().withRetentionMs(30 * MIN).withMaxBlockRangeMs(10 * MIN))) {
      fill(db, 2, 0, 100 * MIN);
      db.compact();
      long newest = db.blocks().stream().mapToLong(Block::maxTime).max().orElseThrow();
      assertThat(db.blocks()).allSatisfy(b -> assertThat(newest - b.maxTime()).isLessThan(30 * MIN));
      assertThat(db.startTimeMs()).isGreaterThanOrEqualTo(newest - 40 * MIN);
    }
  }

  @Test
  void sizeRetentionDeletesOldestBlocks() throws IOException {
    try (Tsdb db = open(dir, small().withMaxBlockRangeMs(10 * MIN))) {
      fill(db, 20, 0, 100 * MIN);
      db.compact();
      assertThat(db.blocks().size()).isGreaterThan(3);
    }
    long one;
    try (Tsdb db = open(dir, small().withMaxBlockRangeMs(10 * MIN))) {
      one = db.blocks().stream().mapToLong(Block::sizeBytes).max().orElseThrow();
    }
    long walBytes = io.vigil.tsdb.fs.FileSync.sizeOf(dir.resolve("wal"));
    try (Tsdb db = open(dir, small().withMaxBlockRangeMs(10 * MIN).withRetentionBytes(walBytes + 3 * one + one / 2))) {
      assertThat(db.blocks().size()).isEqualTo(3);
      assertThat(db.blocks().getLast().maxTime()).isGreaterThanOrEqualTo(80 * MIN);
    }
  }

  @Test
  void deleteSeriesHidesDataAndCleanTombstonesRewrites() throws IOException {
    try (Tsdb db = open(dir, small())) {
      fill(db, 3, 0, 40 * MIN);
      db.compact();
      int n = db.deleteSeries(5 * MIN, 35 * MIN, Matcher.equal("s", "1"));
      assertThat(n).isPositive();
      List<Point> p = Read.all(db, 0, Long.MAX_VALUE, Matcher.equal("s", "1")).get(l("__name__", "m", "s", "1"));
      assertThat(p).allSatisfy(x -> assertThat(x.t() < 5 * MIN || x.t() > 35 * MIN).isTrue());
      assertThat(p).hasSize(20 + 19);
      String before = db.blocks().get(0).ulid();
      db.cleanTombstones();
      assertThat(db.blocks().get(0).ulid()).isNotEqualTo(before);
      assertThat(db.blocks()).allSatisfy(b -> assertThat(b.tombstones()).isEmpty());
      assertThat(Read.all(db, 0, Long.MAX_VALUE, Matcher.equal("s", "1")).get(l("__name__", "m", "s", "1"))).isEqualTo(p);
      assertThat(Read.all(db, 0, Long.MAX_VALUE, Matcher.equal("s", "2")).get(l("__name__", "m", "s", "2"))).hasSize(160);
    }
    // Tombstones survive a restart (blocks: tombstones file; head: WAL).
    try (Tsdb db = open(dir, small())) {
      assertThat(Read.all(db, 0, Long.MAX_VALUE, Matcher.equal("s", "1")).get(l("__name__", "m", "s", "1"))).hasSize(39);
    }
  }

  @Test
  void snapshotIsAValidDataDirectory() throws IOException {
    Path snap = dir.resolve("snap");
    Map<Labels, List<Point>> expected;
    try (Tsdb db = open(dir.resolve("data"), small())) {
      fill(db, 4, 0, 25 * MIN);
      db.compact();
      assertThat(db.blocks()).isNotEmpty();
      expected = Read.all(db, 0, Long.MAX_VALUE, Matcher.equal("__name__", "m"));
      db.snapshot(snap, true);
      String name = db.snapshot(false);
      assertThat(Files.isDirectory(dir.resolve("data").resolve("snapshots").resolve(name))).isTrue();
    }
    try (Tsdb db = open(snap, small().withWalEnabled(false))) {
      assertThat(Read.all(db, 0, Long.MAX_VALUE, Matcher.equal("__name__", "m"))).isEqualTo(expected);
    }
  }

  @Test
  void statsDescribeTheHead() {
    try (Tsdb db = open(dir, small())) {
      Appender a = db.appender();
      for (int i = 0; i < 5; i++) {
        a.append(l("__name__", "a", "i", "" + i), 1000, 1);
      }
      a.append(l("__name__", "b", "job", "x"), 1000, 1);
      a.commit();
      TsdbStats st = db.stats(10);
      assertThat(st.headStats().numSeries()).isEqualTo(6);
      assertThat(st.headStats().chunkCount()).isEqualTo(6);
      assertThat(st.headStats().minTime()).isEqualTo(1000);
      assertThat(st.seriesCountByMetricName()).containsExactly(new TsdbStats.Stat("a", 5), new TsdbStats.Stat("b", 1));
      assertThat(st.labelValueCountByLabelName().get(0)).isEqualTo(new TsdbStats.Stat("i", 5));
      assertThat(st.seriesCountByLabelValuePair().get(0)).isEqualTo(new TsdbStats.Stat("__name__=a", 5));
      assertThat(st.memoryInBytesByLabelName()).contains(new TsdbStats.Stat("job", 1));
      assertThat(st.headStats().numLabelPairs()).isEqualTo(2 + 5 + 1);
    }
  }

  @Test
  void secondOpenOfTheSameDirectoryFails() {
    try (Tsdb db = open(dir, small())) {
      assertThatThrownBy(() -> open(dir, small())).isInstanceOf(StorageException.class).hasMessageContaining("in use");
    }
  }

  @Test
  void outOfOrderSamplesWithinTheWindowSurviveCompactionAndRestart() throws IOException {
    TsdbOptions o = small().withOutOfOrderWindowMs(40 * MIN);
    try (Tsdb db = open(dir, o)) {
      fill(db, 1, 0, 40 * MIN);
      db.compact(); // block [0, 10m) is written, the head now starts at 10m
      Appender a = db.appender();
      long ref = a.append(l("__name__", "m", "s", "0"), 5 * MIN + 1, -1); // into the persisted range
      a.append(ref, 25 * MIN + 7, -2); // into the head's range
      a.commit();
      fill(db, 1, 40 * MIN, 60 * MIN);
      db.compact();
    }
    try (Tsdb db = open(dir, o)) {
      List<Point> p = Read.all(db, 0, Long.MAX_VALUE).get(l("__name__", "m", "s", "0"));
      assertThat(p).hasSize(240 + 2);
      assertThat(p).contains(Point.of(5 * MIN + 1, -1), Point.of(25 * MIN + 7, -2));
      for (int i = 1; i < p.size(); i++) {
        assertThat(p.get(i).t()).isGreaterThan(p.get(i - 1).t());
      }
    }
  }
}
