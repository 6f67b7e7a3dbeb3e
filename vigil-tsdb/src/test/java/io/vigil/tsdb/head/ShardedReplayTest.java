package io.vigil.tsdb.head;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.model.Labels;
import io.vigil.model.StaleNaN;
import io.vigil.tsdb.wal.WalRecord;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The sharded WAL replay must build exactly the head the sequential one builds: seeded random record
 * streams (series created, re-created under a second reference, referenced before creation or never;
 * samples in order, out of order, duplicated, stale, before the minimum valid time; tombstones
 * between samples) go through both, and every series' chunks (byte for byte), out-of-order samples
 * at several snapshots, deletions, and the head's totals must match. Prints its seed; reproduce with
 * {@code -Dvigil.property.seed=<seed>}.
 */
class ShardedReplayTest {
  private static final long MIN = 60_000;
  private static final long T0 = 1_700_000_000_000L;

  @Test
  void shardedReplayBuildsTheSameHeadAsSequentialReplay() {
    long seed = Long.getLong("vigil.property.seed", System.nanoTime());
    System.out.println("ShardedReplayTest seed=" + seed);
    Random rnd = new Random(seed);
    for (int round = 0; round < 12; round++) {
      long oooWindow = rnd.nextBoolean() ? 0 : 30 * MIN;
      long minValid = rnd.nextInt(3) == 0 ? Long.MIN_VALUE : T0 + rnd.nextInt(20) * MIN;
      int shards = 1 + rnd.nextInt(4);
      List<WalRecord> records = randomRecords(rnd);
      String context = "seed " + seed + " round " + round + " (ooo window " + oooWindow + ", min valid " + minValid + ", "
          + shards + " shards, " + records.size() + " records)";

      Head sequential = head(oooWindow, minValid);
      long unknownSequential = 0;
      for (WalRecord r : records) {
        switch (r) {
          case WalRecord.Series s -> {
            for (int i = 0; i < s.n(); i++) {
              sequential.replaySeries(s.refs()[i], s.labels()[i]);
            }
          }
          case WalRecord.Samples s -> unknownSequential += sequential.replaySamples(s.refs(), s.ts(), s.valueBits(), s.n());
          case WalRecord.Tombstones t -> sequential.replayTombstones(t.refs(), t.mints(), t.maxts(), t.n());
        }
      }

      Head sharded = head(oooWindow, minValid);
      long unknownSharded;
      try (ShardedReplay replay = sharded.shardedReplay(shards)) {
        for (WalRecord r : records) {
          switch (r) {
            case WalRecord.Series s -> replay.series(s);
            case WalRecord.Samples s -> replay.samples(s);
            case WalRecord.Tombstones t -> replay.tombstones(t);
          }
        }
        replay.finish();
        unknownSharded = replay.unknownRefs();
      }

      assertThat(unknownSharded).as(context).isEqualTo(unknownSequential);
      assertThat(describe(sharded)).as(context).isEqualTo(describe(sequential));
    }
  }

  @Test
  void samplesLoggedUnderARecreatedSeriesReferenceAreKept() {
    Labels l = Labels.of("__name__", "backup_last_success", "job", "restic");
    for (int shards = 1; shards <= 3; shards++) {
      Head h = head(0, Long.MIN_VALUE);
      try (ShardedReplay replay = h.shardedReplay(shards)) {
        replay.series(new WalRecord.Series(new int[] {1}, new Labels[] {l}, 1));
        replay.samples(new WalRecord.Samples(new int[] {1}, new long[] {T0}, new long[] {bits(1)}, 1));
        // The series left the head and came back under reference 2 before a checkpoint dropped ref 1.
        replay.series(new WalRecord.Series(new int[] {2}, new Labels[] {l}, 1));
        replay.samples(new WalRecord.Samples(new int[] {2, 2}, new long[] {T0 + MIN, T0 + 2 * MIN},
            new long[] {bits(2), bits(3)}, 2));
        replay.finish();
        assertThat(replay.unknownRefs()).isZero();
      }
      assertThat(h.numSeries()).isEqualTo(1);
      assertThat(h.isLive(2)).as("the checkpoint must keep samples logged under the alias").isTrue();
      MemSeries s = h.series.get(1);
      assertThat(s.maxT()).isEqualTo(T0 + 2 * MIN);
      assertThat(s.snapshot(Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE).counts()).containsExactly(3);
      // A new series must not reuse a reference the WAL already holds.
      assertThat(h.getOrCreate(Labels.of("__name__", "other")).ref).isEqualTo(3);
    }
  }

  @Test
  void closeWithoutFinishStopsTheShards() throws InterruptedException {
    Head h = head(0, Long.MIN_VALUE);
    ShardedReplay replay = h.shardedReplay(3);
    replay.series(new WalRecord.Series(new int[] {1}, new Labels[] {Labels.of("__name__", "m")}, 1));
    replay.samples(new WalRecord.Samples(new int[] {1}, new long[] {T0}, new long[] {bits(1)}, 1));
    replay.close();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("vigil-tsdb-replay-shard-")) {
        t.join(5_000);
        assertThat(t.isAlive()).as(t.getName()).isFalse();
      }
    }
  }

  private static Head head(long oooWindow, long minValid) {
    Head h = new Head(new HeadOptions(10 * MIN, oooWindow, 0), new HeadMetrics(new PrometheusRegistry()), null);
    if (minValid != Long.MIN_VALUE) {
      h.setMinValidTime(minValid);
    }
    return h;
  }

  private static long bits(double v) {
    return Double.doubleToRawLongBits(v);
  }

  /** A WAL's worth of records: series, samples (several thousand a record at times) and tombstones. */
  private static List<WalRecord> randomRecords(Random rnd) {
    int labelSets = 20 + rnd.nextInt(200);
    List<Labels> pool = new ArrayList<>();
    for (int i = 0; i < labelSets; i++) {
      pool.add(Labels.of("__name__", "m" + (i % 7), "instance", "i" + i));
    }
    List<WalRecord> out = new ArrayList<>();
    int nextRef = 1;
    TreeMap<Integer, Long> clock = new TreeMap<>();
    int records = 50 + rnd.nextInt(150);
    for (int r = 0; r < records; r++) {
      int kind = rnd.nextInt(10);
      if (kind < 2 || nextRef == 1) {
        int n = 1 + rnd.nextInt(20);
        int[] refs = new int[n];
        Labels[] labels = new Labels[n];
        for (int i = 0; i < n; i++) {
          // Mostly new references; some repeat one (checkpoint then segment), and labels may repeat
          // under a new reference (a series re-created after it left the head).
          refs[i] = nextRef > 1 && rnd.nextInt(10) == 0 ? 1 + rnd.nextInt(nextRef - 1) : nextRef++;
          labels[i] = pool.get(rnd.nextInt(pool.size()));
        }
        out.add(new WalRecord.Series(refs, labels, n));
      } else if (kind == 9) {
        int n = 1 + rnd.nextInt(5);
        int[] refs = new int[n];
        long[] mints = new long[n];
        long[] maxts = new long[n];
        for (int i = 0; i < n; i++) {
          refs[i] = 1 + rnd.nextInt(nextRef + 2);
          mints[i] = T0 + rnd.nextInt(60) * MIN;
          maxts[i] = mints[i] + rnd.nextInt(10) * MIN;
        }
        out.add(new WalRecord.Tombstones(refs, mints, maxts, n));
      } else {
        int n = rnd.nextInt(4) == 0 ? 3000 + rnd.nextInt(6000) : 1 + rnd.nextInt(300);
        int[] refs = new int[n];
        long[] ts = new long[n];
        long[] vals = new long[n];
        int i = 0;
        while (i < n) {
          // Runs of one series, as remote write logs them; a few references unknown.
          int ref = 1 + rnd.nextInt(nextRef + 2);
          int run = Math.min(n - i, 1 + rnd.nextInt(12));
          for (int j = 0; j < run; j++, i++) {
            long last = clock.getOrDefault(ref, T0 - rnd.nextInt(30) * MIN);
            long t;
            int p = rnd.nextInt(100);
            if (p < 8) {
              t = last - rnd.nextInt(40) * MIN / 2; // out of order (accepted or not by the window)
            } else if (p < 12) {
              t = last; // duplicate timestamp
            } else {
              t = last + 15_000 + (rnd.nextInt(20) == 0 ? rnd.nextInt(5_000) : 0);
              clock.put(ref, t);
            }
            refs[i] = ref;
            ts[i] = t;
            int v = rnd.nextInt(100);
            vals[i] = v < 3 ? StaleNaN.BITS : v < 10 ? bits(rnd.nextInt(3)) : bits(t / 1000.0 + rnd.nextDouble());
          }
        }
        out.add(new WalRecord.Samples(refs, ts, vals, n));
      }
    }
    return out;
  }

  /** Everything replay determines, per series in reference order, then the head's totals. */
  private static String describe(Head h) {
    StringBuilder sb = new StringBuilder();
    HexFormat hex = HexFormat.of();
    long last = h.isolation.lowWatermark();
    h.series.forEach(s -> {
      sb.append(s.ref).append(' ').append(s.labels).append(" maxT=").append(s.maxT()).append(" last=").append(s.lastValueBits())
          .append(" chunks=").append(s.numChunks()).append(" bytes=").append(s.chunkBytes()).append('\n');
      ChunkSnapshot snap = s.snapshot(Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE);
      if (snap != null) {
        for (int i = 0; i < snap.n(); i++) {
          sb.append("  chunk ").append(snap.times()[2 * i]).append("..").append(snap.times()[2 * i + 1]).append(" n=")
              .append(snap.counts()[i]).append(' ').append(hex.formatHex(snap.data()[i], 0, snap.lengths()[i])).append('\n');
        }
      }
      for (int i = 0; i < s.deleted.size(); i++) {
        sb.append("  deleted ").append(s.deleted.mint(i)).append("..").append(s.deleted.maxt(i)).append('\n');
      }
      if (s.ooo != null) {
        // Out-of-order samples carry the commit sequence that wrote them: compare what snapshots see.
        for (long seq : new long[] {last / 3, last / 2, last}) {
          OooSamples.View v = s.ooo.view(seq, Long.MIN_VALUE, Long.MAX_VALUE, io.vigil.tsdb.query.Intervals.NONE);
          sb.append("  ooo@").append(seq).append(':');
          for (int i = 0; v != null && i < v.n(); i++) {
            sb.append(' ').append(v.ts()[i]).append('=').append(Double.doubleToRawLongBits(v.vs()[i]));
          }
          sb.append('\n');
        }
      }
    });
    sb.append("series=").append(h.numSeries()).append(" chunks=").append(h.numChunks()).append(" minTime=").append(h.minTime())
        .append(" maxTime=").append(h.maxTime()).append(" oooMinTime=").append(h.oooMinTime()).append(" memory=")
        .append(h.estimatedMemoryBytes()).append(" visibleSeq=").append(last);
    return sb.toString();
  }
}
