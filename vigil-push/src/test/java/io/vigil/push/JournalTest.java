package io.vigil.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Labels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal: replay, torn tails, damage, compaction (docs/format/push-journal.md). */
class JournalTest {
  @TempDir
  Path dir;

  @Test
  void replayRestoresEveryGroupExactly() throws Exception {
    String before;
    try (StoreFixture f = StoreFixture.open(dir)) {
      f.put("/metrics/job/restic/instance/host1/repo@base64/czM6YnVja2V0L3BhdGg=",
          io.vigil.testkit.Fixtures.fixtureText("pushgateway/push-body-restic-backup.txt"));
      f.put("/metrics/job/k10/namespace/default", io.vigil.testkit.Fixtures.fixtureText("pushgateway/push-body-k10-histogram-summary.txt"));
      f.post("/metrics/job/k10/namespace/default", "# HELP extra Extra \\\\ help\\n.\nextra{a=\"x\\ny\"} NaN\n");
      f.put("/metrics/job/gone", "m 1\n");
      f.store.delete(PushPath.parse("/metrics/job/gone"));
      f.put("/metrics/job/t/tenant/a", "m 1\n");
      f.put("/metrics/job/t/tenant/b", "m 2\n");
      f.store.wipe(Labels.of("tenant", "a"));
      f.put("/metrics/job/failing", "x 1\n");
      f.store.recordFailure(PushPath.parse("/metrics/job/failing"));
      f.store.push(PushPath.parse("/metrics/job/ttl"), List.of(), true, 86_400_000);
      before = f.exposition();
    }
    try (StoreFixture f = StoreFixture.open(dir)) {
      assertThat(f.exposition()).isEqualTo(before);
      assertThat(f.store.get(PushPath.parse("/metrics/job/ttl")).ttlMs()).isEqualTo(86_400_000);
      assertThat(f.store.get(PushPath.parse("/metrics/job/failing")).failureTimeNanos()).isPositive();
      assertThat(f.store.size()).isEqualTo(5);
      // and once more after a compaction
      f.store.compact();
    }
    try (StoreFixture f = StoreFixture.open(dir)) {
      assertThat(f.exposition()).isEqualTo(before);
      assertThat(JournalTestSupport.files(dir, "snapshot.")).hasSize(1);
    }
  }

  @Test
  void aTornLastRecordIsCutAtEveryByteOffset() throws Exception {
    String withoutLast;
    try (StoreFixture f = StoreFixture.open(dir)) {
      for (int i = 0; i < 3; i++) {
        f.put("/metrics/job/j/instance/i" + i, "m{x=\"" + i + "\"} " + i + "\n");
      }
      withoutLast = f.exposition();
      f.put("/metrics/job/j/instance/last", "# HELP m_last Last.\n# TYPE m_last gauge\nm_last 4\n");
    }
    Path segment = JournalTestSupport.onlySegmentWithRecords(dir);
    long lastStart = JournalTestSupport.recordOffsets(segment).getLast();
    long size = Files.size(segment);
    byte[] original = Files.readAllBytes(segment);
    for (long cut = lastStart; cut < size; cut++) {
      Path copy = Files.createDirectories(dir.resolve("cut" + cut));
      Files.write(copy.resolve(segment.getFileName()), java.util.Arrays.copyOf(original, (int) cut));
      try (LogCapture log = new LogCapture(Journal.class); StoreFixture f = StoreFixture.open(copy)) {
        assertThat(f.exposition()).as("cut at %d", cut).isEqualTo(withoutLast);
        assertThat(f.corruptRecords()).isZero();
        assertThat(Files.size(copy.resolve(segment.getFileName()))).isEqualTo(lastStart);
        if (cut > lastStart) {
          String dropped = "dropped_bytes=" + (cut - lastStart);
          assertThat(log.lines()).anySatisfy(l -> assertThat(l).startsWith("WARN push journal ends in a torn record")
              .contains("offset=" + lastStart, dropped));
        }
        f.put("/metrics/job/j/instance/after", "m_after 1\n");
      }
      try (StoreFixture f = StoreFixture.open(copy)) {
        assertThat(f.store.size()).isEqualTo(4);
        assertThat(f.corruptRecords()).isZero();
      }
    }
  }

  @Test
  void aFlippedByteInTheMiddleLosesOneRecordIsLoggedCountedAndSetAside() throws Exception {
    try (StoreFixture f = StoreFixture.open(dir)) {
      for (int i = 0; i < 6; i++) {
        f.put("/metrics/job/j/instance/i" + i, "m " + i + "\n");
      }
    }
    Path segment = JournalTestSupport.onlySegmentWithRecords(dir);
    List<Long> offsets = JournalTestSupport.recordOffsets(segment);
    byte[] original = Files.readAllBytes(segment);
    // a byte of the header (type, length, each CRC) and of the payload of the third record
    for (int delta : new int[] {0, 2, 6, 10, 13, 30}) {
      Path copy = Files.createDirectories(dir.resolve("flip" + delta));
      Files.write(copy.resolve(segment.getFileName()), original);
      long at = offsets.get(2) + delta;
      JournalTestSupport.flipByte(copy.resolve(segment.getFileName()), at);
      try (LogCapture log = new LogCapture(Journal.class); StoreFixture f = StoreFixture.open(copy)) {
        assertThat(f.store.sortedGroups()).extracting(g -> g.key().labels().get("instance"))
            .as("flip at +%d", delta).containsExactly("i0", "i1", "i3", "i4", "i5");
        assertThat(f.corruptRecords()).isEqualTo(1);
        assertThat(log.lines()).anySatisfy(l -> assertThat(l).startsWith("ERROR push journal damaged")
            .contains("file=" + copy.resolve(segment.getFileName()), "offset=" + offsets.get(2)));
        assertThat(copy.resolve(segment.getFileName() + ".damaged")).exists();
      }
      try (StoreFixture f = StoreFixture.open(copy)) {
        assertThat(f.store.size()).isEqualTo(5);
        assertThat(f.corruptRecords()).isZero();
      }
    }
  }

  @Test
  void damageInASnapshotLosesOnlyThatGroup() throws Exception {
    try (StoreFixture f = StoreFixture.open(dir)) {
      for (int i = 0; i < 5; i++) {
        f.put("/metrics/job/j/instance/i" + i, "m " + i + "\n");
      }
      f.store.compact();
      f.put("/metrics/job/j/instance/after", "m 9\n");
    }
    Path snapshot = JournalTestSupport.files(dir, "snapshot.").getFirst();
    JournalTestSupport.flipByte(snapshot, JournalTestSupport.recordOffsets(snapshot).get(1) + 20);
    try (StoreFixture f = StoreFixture.open(dir)) {
      assertThat(f.store.sortedGroups()).extracting(g -> g.key().labels().get("instance"))
          .containsExactly("after", "i0", "i2", "i3", "i4");
      assertThat(f.corruptRecords()).isEqualTo(1);
    }
  }

  @Test
  void aGarbageFileIsReportedNotSilentlyIgnored() throws Exception {
    Files.writeString(dir.resolve("journal.00000001"), "garbage\n");
    try (LogCapture log = new LogCapture(Journal.class); StoreFixture f = StoreFixture.open(dir)) {
      assertThat(f.store.size()).isZero();
      assertThat(f.corruptRecords()).isEqualTo(1);
      assertThat(log.lines()).anySatisfy(l -> assertThat(l).startsWith("ERROR push journal damaged")
          .contains("file=" + dir.resolve("journal.00000001"), "offset=0"));
      assertThat(log.lines()).anySatisfy(l -> assertThat(l)
          .startsWith("ERROR push journal is damaged and no group could be recovered"));
      f.put("/metrics/job/j", "m 1\n");
    }
    try (StoreFixture f = StoreFixture.open(dir)) {
      assertThat(f.store.size()).isEqualTo(1);
      assertThat(f.corruptRecords()).isZero();
    }
  }

  @Test
  void aSegmentCutWhileBeingCreatedIsNotDamage() throws Exception {
    String state;
    try (StoreFixture f = StoreFixture.open(dir)) {
      f.put("/metrics/job/a", "m 1\n");
      state = f.exposition();
    }
    Files.write(dir.resolve("journal.00000009"), new byte[] {0x56, 0x50, 0x53});
    try (StoreFixture f = StoreFixture.open(dir)) {
      assertThat(f.exposition()).isEqualTo(state);
      assertThat(f.corruptRecords()).isZero();
    }
    assertThat(dir.resolve("journal.00000009")).doesNotExist();
  }

  @Test
  void compactionUnderConcurrentPushes() throws Exception {
    String finalState;
    try (StoreFixture f = new StoreFixture(PushOptions.defaults(dir))) {
      AtomicBoolean stop = new AtomicBoolean();
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<Integer>> pushers = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        int thread = t;
        pushers.add(pool.submit(() -> {
          int n = 0;
          Random r = new Random(thread);
          while (!stop.get() || n < 200) {
            String path = "/metrics/job/c/instance/t" + thread + "_" + r.nextInt(50);
            if (r.nextInt(10) == 0) {
              f.store.delete(PushPath.parse(path));
            } else {
              f.put(path, "m_c{n=\"" + n + "\"} " + n + "\n");
            }
            n++;
          }
          return n;
        }));
      }
      Future<Integer> compactor = pool.submit(() -> {
        int n = 0;
        while (!stop.get() || n < 10) {
          f.store.compact();
          n++;
        }
        return n;
      });
      Thread.sleep(1500);
      stop.set(true);
      for (Future<Integer> p : pushers) {
        assertThat(p.get()).isGreaterThanOrEqualTo(200);
      }
      assertThat(compactor.get()).isGreaterThanOrEqualTo(10);
      pool.shutdown();
      finalState = f.exposition();
    }
    try (Stream<Path> files = Files.list(dir)) {
      List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
      assertThat(names.stream().filter(n -> n.startsWith("snapshot."))).hasSize(1);
      assertThat(names).noneMatch(n -> n.endsWith(".tmp"));
    }
    try (StoreFixture f = StoreFixture.open(dir)) {
      assertThat(f.exposition()).isEqualTo(finalState);
      assertThat(f.corruptRecords()).isZero();
    }
  }

  @Test
  void aCrashBetweenSnapshotRenameAndCleanupLeavesAValidState() throws Exception {
    String state;
    try (StoreFixture f = StoreFixture.open(dir)) {
      f.put("/metrics/job/a", "m 1\n");
      f.put("/metrics/job/b", "m 2\n");
      Path seg = JournalTestSupport.onlySegmentWithRecords(dir);
      byte[] oldSegment = Files.readAllBytes(seg);
      f.put("/metrics/job/b", "m 3\n");
      f.store.compact();
      f.put("/metrics/job/c", "m 4\n");
      state = f.exposition();
      // Put back what the compaction removed after its rename, as if it had crashed right there,
      // and a temp file of an attempt that crashed before its rename.
      Files.write(seg, oldSegment);
      Files.copy(JournalTestSupport.files(dir, "snapshot.").getFirst(), dir.resolve("snapshot.00000099.tmp"));
    }
    Path seg = JournalTestSupport.files(dir, "journal.").getFirst();
    try (StoreFixture f = StoreFixture.open(dir)) {
      assertThat(f.exposition()).isEqualTo(state);
      assertThat(f.corruptRecords()).isZero();
    }
    assertThat(dir.resolve("snapshot.00000099.tmp")).doesNotExist();
    assertThat(seg).doesNotExist();
  }

  @Test
  void recordsRoundTripSeeded() throws Exception {
    long seed = System.nanoTime();
    System.out.println("JournalTest.recordsRoundTripSeeded seed=" + seed);
    Random r = new Random(seed);
    for (int i = 0; i < 200; i++) {
      PushGroup g = RandomGroups.group(r);
      RecordBuffer b = new RecordBuffer(64);
      b.writeByte(0x77); // a prefix the encoder must not touch
      RecordCodec.encodeGroup(g, b);
      byte[] payload = java.util.Arrays.copyOfRange(b.array(), 1, b.size());
      assertThat(b.array()[0]).isEqualTo((byte) 0x77);
      JournalRecord decoded = RecordCodec.decode(JournalDescriptor.TYPE_GROUP, payload);
      PushGroup back = ((JournalRecord.Group) decoded).group();
      assertThat(RandomGroups.describe(back)).as("seed %d, group %d", seed, i).isEqualTo(RandomGroups.describe(g));
    }
  }
}
