package io.vigil.tsdb.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.vigil.model.Labels;
import io.vigil.model.StaleNaN;
import io.vigil.tsdb.encoding.ByteBuf;
import io.vigil.tsdb.encoding.ByteDecoder;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalTest {
  @TempDir Path dir;
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final WalMetrics metrics = new WalMetrics(registry);

  private static ByteBuf samples(int ref, long t, int n) {
    int[] refs = new int[n];
    long[] ts = new long[n];
    long[] bits = new long[n];
    for (int i = 0; i < n; i++) {
      refs[i] = ref + i;
      ts[i] = t + i;
      bits[i] = Double.doubleToRawLongBits(i == 1 ? StaleNaN.VALUE : i * 1.5);
    }
    ByteBuf b = new ByteBuf();
    WalRecords.encodeSamples(b, refs, ts, bits, n);
    return b;
  }

  /** Collects what replay hands over. */
  static final class Collect implements RecordSink {
    final List<String> seen = new ArrayList<>();

    @Override
    public void series(WalRecord.Series r) {
      for (int i = 0; i < r.n(); i++) {
        seen.add("series " + r.refs()[i] + " " + r.labels()[i]);
      }
    }

    @Override
    public void samples(WalRecord.Samples r) {
      StringBuilder sb = new StringBuilder("samples");
      for (int i = 0; i < r.n(); i++) {
        sb.append(' ').append(r.refs()[i]).append('@').append(r.ts()[i]).append('=').append(Long.toHexString(r.valueBits()[i]));
      }
      seen.add(sb.toString());
    }

    @Override
    public void tombstones(WalRecord.Tombstones r) {
      for (int i = 0; i < r.n(); i++) {
        seen.add("tombstone " + r.refs()[i] + " " + r.mints()[i] + ".." + r.maxts()[i]);
      }
    }
  }

  private Collect replay(Path wal) throws IOException {
    Collect c = new Collect();
    WalReplay.replay(wal, c, s -> { }, metrics);
    return c;
  }

  @Test
  void recordsRoundTripAfterAPrefix() {
    ByteBuf b = new ByteBuf().put(new byte[] {7, 7, 7});
    WalRecords.encodeSeries(b, new int[] {5, 6}, new Labels[] {Labels.of("__name__", "a", "x", "ü"), Labels.of("__name__", "b")}, 2);
    assertThat(b.array()[0]).isEqualTo((byte) 7);
    ByteDecoder d = new ByteDecoder(java.lang.foreign.MemorySegment.ofArray(b.toByteArray()), 3 + WalDescriptor.RECORD_HEADER_BYTES, b.length());
    WalRecord.Series s = (WalRecord.Series) WalRecords.decode(WalDescriptor.TYPE_SERIES, d, null);
    assertThat(s.n()).isEqualTo(2);
    assertThat(s.labels()[0]).isEqualTo(Labels.of("__name__", "a", "x", "ü"));
    assertThat(s.refs()[1]).isEqualTo(6);
    ByteBuf smp = samples(1000, -5, 3);
    WalRecord.Samples r = (WalRecord.Samples) WalRecords.decode(WalDescriptor.TYPE_SAMPLES,
        new ByteDecoder(java.lang.foreign.MemorySegment.ofArray(smp.toByteArray()), WalDescriptor.RECORD_HEADER_BYTES, smp.length()), null);
    assertThat(r.n()).isEqualTo(3);
    assertThat(r.ts()[0]).isEqualTo(-5);
    assertThat(r.refs()[2]).isEqualTo(1002);
    assertThat(r.valueBits()[1]).isEqualTo(StaleNaN.BITS);
  }

  @Test
  void writesRotateAndReplayInOrder() throws IOException {
    Path wal = dir.resolve("wal");
    try (Wal w = Wal.open(wal, 200, metrics)) {
      for (int i = 0; i < 10; i++) {
        w.sync(w.write(samples(1, i * 100L, 5)));
      }
    }
    assertThat(Wal.segments(wal).size()).isGreaterThan(2);
    Collect c = replay(wal);
    assertThat(c.seen).hasSize(10);
    assertThat(c.seen.get(3)).startsWith("samples 1@300=0 2@301=7ff0000000000002");
    // Reopening starts a new segment after the existing ones.
    int before = Wal.segments(wal).getLast();
    try (Wal w = Wal.open(wal, 200, metrics)) {
      assertThat(w.currentSegment()).isEqualTo(before + 1);
    }
  }

  private Path oneSegmentWithThreeRecords() throws IOException {
    Path wal = dir.resolve("wal1");
    try (Wal w = Wal.open(wal, 1 << 20, metrics)) {
      w.write(samples(1, 0, 2));
      w.write(samples(1, 10, 2));
      w.sync(w.write(samples(1, 20, 2)));
    }
    return wal.resolve("00000000");
  }

  private static String readAll(Path seg) {
    try (SegmentReader r = new SegmentReader(seg, "00000000", 0)) {
      int n = 0;
      while (r.next()) {
        n++;
      }
      return "ok " + n;
    } catch (IOException e) {
      return e.getMessage();
    }
  }

  @Test
  void truncationsAndBitFlipsGiveExactErrors() throws IOException {
    Path seg = oneSegmentWithThreeRecords();
    long size = Files.size(seg);
    int rec = (int) (size - WalDescriptor.SEGMENT_HEADER_BYTES) / 3; // equal-sized records
    assertThat(readAll(seg)).isEqualTo("ok 3");
    byte[] original = Files.readAllBytes(seg);

    Files.write(seg, java.util.Arrays.copyOf(original, 5));
    assertThat(readAll(seg)).isEqualTo("WAL segment 00000000 corrupt at offset 0: segment header truncated: 5 of 8 bytes");

    byte[] b = original.clone();
    b[0] = 0x12;
    Files.write(seg, b);
    assertThat(readAll(seg)).isEqualTo("WAL segment 00000000 corrupt at offset 0: bad magic 0x1249574c; not a WAL segment");

    b = original.clone();
    b[4] = 9;
    Files.write(seg, b);
    assertThat(readAll(seg)).isEqualTo("WAL segment 00000000 corrupt at offset 4: unsupported WAL version 9 (known: 1)");

    long third = 8 + 2L * rec;
    Files.write(seg, java.util.Arrays.copyOf(original, (int) third + 4));
    assertThat(readAll(seg)).isEqualTo("WAL segment 00000000 corrupt at offset " + third + ": torn record header: 4 of 9 bytes");

    Files.write(seg, java.util.Arrays.copyOf(original, (int) size - 3));
    assertThat(readAll(seg)).isEqualTo("WAL segment 00000000 corrupt at offset " + third + ": torn record: length "
        + (rec - 9) + " but only " + (rec - 12) + " bytes left");

    b = original.clone();
    b[(int) third + 12] ^= 0x10; // a payload byte of the third record
    Files.write(seg, b);
    assertThat(readAll(seg)).matches("WAL segment 00000000 corrupt at offset " + third
        + ": checksum mismatch: stored 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}");

    b = original.clone();
    b[(int) third + 1] = (byte) 0x7f; // the length field
    Files.write(seg, b);
    assertThat(readAll(seg)).startsWith("WAL segment 00000000 corrupt at offset " + third + ": record length ");

    b = java.util.Arrays.copyOf(original, (int) size + 100); // zero tail: unwritten space
    Files.write(seg, b);
    assertThat(readAll(seg)).isEqualTo("ok 3");
    b[(int) size + 50] = 1;
    Files.write(seg, b);
    assertThat(readAll(seg)).isEqualTo("WAL segment 00000000 corrupt at offset " + size + ": unexpected zero record type followed by data");
  }

  @Test
  void replayTruncatesATornTailAndKeepsEverythingBefore() throws IOException {
    Path seg = oneSegmentWithThreeRecords();
    Path wal = seg.getParent();
    long size = Files.size(seg);
    try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
      f.setLength(size - 2);
    }
    WalReplay.Result r;
    Collect c = new Collect();
    r = WalReplay.replay(wal, c, s -> { }, metrics);
    assertThat(c.seen).hasSize(2);
    assertThat(r.repaired()).isNotNull();
    assertThat(r.repaired().reason()).startsWith("torn record");
    assertThat(Files.size(seg)).isEqualTo(r.repaired().offset());
    // The repair is durable: the next replay is clean and sees the same.
    assertThat(WalReplay.replay(wal, new Collect(), s -> { }, metrics).repaired()).isNull();
    assertThat(replay(wal).seen).hasSize(2);
  }

  @Test
  void damageInAnEarlierSegmentDropsLaterSegments() throws IOException {
    Path wal = dir.resolve("wal");
    try (Wal w = Wal.open(wal, 100, metrics)) {
      for (int i = 0; i < 6; i++) {
        w.sync(w.write(samples(1, i * 100L, 5)));
      }
    }
    List<Integer> segs = Wal.segments(wal);
    assertThat(segs).hasSizeGreaterThan(3);
    Path second = wal.resolve(WalDescriptor.segmentName(segs.get(1)));
    byte[] b = Files.readAllBytes(second);
    b[b.length - 1] ^= 1;
    Files.write(second, b);
    Collect c = new Collect();
    WalReplay.Result r = WalReplay.replay(wal, c, s -> { }, metrics);
    assertThat(r.repaired().segmentIndex()).isEqualTo(segs.get(1));
    assertThat(Wal.segments(wal)).containsExactly(segs.get(0), segs.get(1));
    assertThat(c.seen).hasSizeLessThan(6).isNotEmpty();
  }

  @Test
  void checkpointKeepsLiveSeriesAndRecentSamples() throws IOException {
    Path wal = dir.resolve("wal");
    try (Wal w = Wal.open(wal, 1 << 20, metrics)) {
      ByteBuf s = new ByteBuf();
      WalRecords.encodeSeries(s, new int[] {1, 2}, new Labels[] {Labels.of("__name__", "live"), Labels.of("__name__", "dead")}, 2);
      w.write(s);
      w.write(samples(1, 0, 2)); // refs 1,2 at 0,1
      w.write(samples(1, 100, 2)); // refs 1,2 at 100,101
      ByteBuf tomb = new ByteBuf();
      WalRecords.encodeTombstones(tomb, new int[] {1, 2}, new long[] {5, 5}, new long[] {6, 6}, 2);
      w.sync(w.write(tomb));
      int last = w.nextSegment();
      w.sync(w.write(samples(1, 200, 1)));
      Checkpoint.Stats st = Checkpoint.create(wal, last, ref -> ref == 1, 50, 1 << 20);
      assertThat(st.seriesKept()).isEqualTo(1);
      assertThat(st.samplesKept()).isEqualTo(1);
      assertThat(st.samplesDropped()).isEqualTo(3);
    }
    assertThat(Files.isDirectory(wal.resolve("checkpoint.00000000"))).isTrue();
    assertThat(Wal.segments(wal)).doesNotContain(0);
    Collect c = replay(wal);
    assertThat(c.seen).containsExactly("series 1 {__name__=\"live\"}", "samples 1@100=0", "tombstone 1 5..6", "samples 1@200=0");
  }

  @Test
  void concurrentCommitsShareFsyncs() throws Exception {
    Path wal = dir.resolve("wal");
    int threads = 8;
    int perThread = 50;
    try (Wal w = Wal.open(wal, 1 << 20, metrics); ExecutorService ex = Executors.newFixedThreadPool(threads)) {
      List<Future<?>> fs = new ArrayList<>();
      Object order = new Object();
      for (int t = 0; t < threads; t++) {
        int id = t;
        fs.add(ex.submit(() -> {
          for (int i = 0; i < perThread; i++) {
            long pos;
            synchronized (order) { // the head's commit lock
              pos = w.write(samples(id + 1, i, 1));
            }
            w.sync(pos);
            assertThat(w.syncedPosition()).isGreaterThanOrEqualTo(pos);
          }
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    }
    long fsyncs = registry.scrape().stream().filter(m -> m.getMetadata().getName().equals("vigil_tsdb_wal_fsync_duration_seconds"))
        .mapToLong(m -> ((HistogramSnapshot) m).getDataPoints().get(0).getCount()).sum();
    assertThat(fsyncs).isLessThan(threads * perThread);
    assertThat(replay(wal).seen).hasSize(threads * perThread);
  }

  @Test
  void failedWriteLeavesNoPartialRecord() throws IOException {
    Path wal = dir.resolve("wal");
    try (Wal w = Wal.open(wal, 1 << 20, metrics)) {
      w.sync(w.write(samples(1, 0, 2)));
    }
    // A write past the maximum record size is refused before anything reaches the file.
    ByteBuf huge = new ByteBuf();
    assertThatThrownBy(() -> {
      int start = WalRecords.begin(huge, WalDescriptor.TYPE_SAMPLES);
      huge.ensure(WalDescriptor.MAX_RECORD_BYTES + 1);
      huge.truncate(huge.length());
      for (int i = 0; i < WalDescriptor.MAX_RECORD_BYTES / 8 + 1; i++) {
        huge.putLongBE(0);
      }
      WalRecords.end(huge, start);
    }).isInstanceOf(IllegalStateException.class).hasMessageContaining("exceeds");
    assertThat(replay(wal).seen).hasSize(1);
  }
}
