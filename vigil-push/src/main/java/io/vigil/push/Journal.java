package io.vigil.push;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.SequencedMap;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The push journal of one directory (docs/format/push-journal.md): replay at open, appends with group
 * commit through {@link JournalWriter}, and compaction into snapshots. The store serialises appends
 * and the first half of a compaction under its lock; everything else here is thread-safe.
 */
final class Journal implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Journal.class);

  private final Path dir;
  private final boolean fsync;
  private final PushMetrics metrics;
  private final JournalWriter writer;
  /** Files in which replay found damage: renamed *.damaged (not deleted) by the next compaction. */
  private final Set<Path> damaged = new HashSet<>();
  private final Object compaction = new Object();
  private volatile long closedSegmentBytes;
  private volatile long snapshotBytes;
  private final boolean hadDamage;

  private Journal(Path dir, boolean fsync, PushMetrics metrics, boolean hadDamage) {
    this.dir = dir;
    this.fsync = fsync;
    this.metrics = metrics;
    this.writer = new JournalWriter(dir, fsync, metrics);
    this.hadDamage = hadDamage;
  }

  /**
   * Replays the directory into {@code groups} (in the order the groups were last written) and opens
   * a new segment for appends.
   */
  static Journal open(Path dir, boolean fsync, PushMetrics metrics, SequencedMap<GroupingKey, PushGroup> groups)
      throws IOException {
    Files.createDirectories(dir);
    long start = System.nanoTime();
    TreeMap<Long, Path> segments = new TreeMap<>();
    TreeMap<Long, Path> snapshots = new TreeMap<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        if (name.endsWith(JournalDescriptor.TMP_SUFFIX)) {
          Files.delete(p); // an interrupted compaction
          continue;
        }
        long n = JournalDescriptor.number(name, JournalDescriptor.SEGMENT_PREFIX);
        if (n >= 0) {
          segments.put(n, p);
        }
        n = JournalDescriptor.number(name, JournalDescriptor.SNAPSHOT_PREFIX);
        if (n >= 0) {
          snapshots.put(n, p);
        }
      }
    }
    Replay replay = new Replay(metrics, groups);
    long base = snapshots.isEmpty() ? -1 : snapshots.lastKey();
    long snapshotSize = 0;
    if (base >= 0) {
      replay.snapshot(snapshots.get(base));
      snapshotSize = JournalFiles.sizeOrZero(snapshots.get(base));
    }
    long maxNumber = Math.max(base, segments.isEmpty() ? 0 : segments.lastKey());
    List<Path> live = new ArrayList<>(segments.tailMap(Math.max(base, 0), true).values());
    long closedBytes = 0;
    for (int i = 0; i < live.size(); i++) {
      closedBytes += replay.segment(live.get(i), i == live.size() - 1);
    }
    // Leftovers of a compaction that got as far as its rename: already in the snapshot.
    for (Path p : segments.headMap(Math.max(base, 0), false).values()) {
      Files.deleteIfExists(p);
    }
    for (Path p : snapshots.headMap(Math.max(base, 0), false).values()) {
      Files.deleteIfExists(p);
    }
    if (fsync) {
      JournalFiles.syncDir(dir);
    }
    Journal j = new Journal(dir, fsync, metrics, !replay.damagedFiles.isEmpty());
    j.damaged.addAll(replay.damagedFiles);
    j.snapshotBytes = snapshotSize;
    j.closedSegmentBytes = closedBytes;
    j.writer.startSegment(maxNumber + 1);
    long ms = (System.nanoTime() - start) / 1_000_000;
    if (!replay.damagedFiles.isEmpty() && groups.isEmpty()) {
      log.atError().addKeyValue("dir", dir).addKeyValue("damaged_files", replay.damagedFiles)
          .log("push journal is damaged and no group could be recovered; the store starts empty");
    } else if (replay.records > 0 || !groups.isEmpty()) {
      log.atInfo().addKeyValue("dir", dir).addKeyValue("groups", groups.size()).addKeyValue("records", replay.records)
          .addKeyValue("duration_ms", ms).log("push journal replayed");
    }
    return j;
  }

  /** Applies records to the group map and reports damage. */
  private static final class Replay {
    final PushMetrics metrics;
    final SequencedMap<GroupingKey, PushGroup> groups;
    final JournalReader reader = new JournalReader();
    final List<Path> damagedFiles = new ArrayList<>();
    int records;

    Replay(PushMetrics metrics, SequencedMap<GroupingKey, PushGroup> groups) {
      this.metrics = metrics;
      this.groups = groups;
    }

    void apply(JournalRecord r) {
      records++;
      switch (r) {
        case JournalRecord.Group g -> {
          groups.remove(g.group().key()); // re-insert at the end: the map is in order of last write
          groups.put(g.group().key(), g.group());
        }
        case JournalRecord.Delete d -> groups.remove(d.key());
        case JournalRecord.Wipe w -> groups.keySet().removeIf(k -> k.matches(w.filter()));
        case JournalRecord.SnapshotEnd e -> { }
      }
    }

    void snapshot(Path file) throws IOException {
      long[] groupRecords = {0};
      long[] endCount = {-1};
      boolean[] misplaced = {false};
      JournalReader.Result res = reader.read(file, JournalDescriptor.KIND_SNAPSHOT, (r, offset) -> {
        if (endCount[0] >= 0 || !(r instanceof JournalRecord.Group || r instanceof JournalRecord.SnapshotEnd)) {
          misplaced[0] = true;
        }
        if (r instanceof JournalRecord.SnapshotEnd e) {
          endCount[0] = e.groups();
        } else if (r instanceof JournalRecord.Group) {
          groupRecords[0]++;
        }
        apply(r);
      });
      for (JournalCorruption c : res.damage()) {
        corrupt(c);
      }
      String problem = null;
      if (endCount[0] < 0) {
        problem = "snapshot end record missing";
      } else if (endCount[0] != groupRecords[0] && res.damage().isEmpty()) {
        problem = "snapshot holds " + groupRecords[0] + " group records but its end record says " + endCount[0];
      } else if (misplaced[0]) {
        problem = "snapshot holds records other than groups before its end record";
      }
      if (problem != null) {
        corrupt(new JournalCorruption(file, res.size(), problem, 0, false));
      }
      if (problem != null || !res.damage().isEmpty()) {
        damagedFiles.add(file);
      }
    }

    /** Replays a segment; returns its size afterwards (a torn tail is cut off). */
    long segment(Path file, boolean newest) throws IOException {
      JournalReader.Result res = reader.read(file, JournalDescriptor.KIND_SEGMENT, (r, offset) -> apply(r));
      List<JournalCorruption> damage = res.damage();
      boolean torn = newest && res.damagedAtEnd() && tornWrite(file, res);
      for (int i = 0; i < damage.size(); i++) {
        if (torn && i == damage.size() - 1) {
          JournalCorruption tail = damage.get(i);
          log.atWarn().addKeyValue("file", file).addKeyValue("offset", tail.offset())
              .addKeyValue("dropped_bytes", res.size() - tail.offset()).addKeyValue("cause", tail.message())
              .log("push journal ends in a torn record (a write cut short by a crash, never acknowledged); truncating it");
          truncate(file, tail.offset());
        } else {
          corrupt(damage.get(i));
        }
      }
      if (damage.size() > (torn ? 1 : 0)) {
        damagedFiles.add(file);
      }
      return torn ? Math.max(0, res.validEnd()) : res.size();
    }

    /**
     * Whether damage running to the end of the newest segment can be a write cut short: it starts
     * after an intact file header, or the file is a prefix of a header (cut while being created).
     * Anything else (a wrong magic, say) is not what a crash leaves behind.
     */
    private static boolean tornWrite(Path file, JournalReader.Result res) throws IOException {
      if (res.damage().getLast().offset() >= JournalDescriptor.FILE_HEADER_BYTES) {
        return true;
      }
      if (res.size() >= JournalDescriptor.FILE_HEADER_BYTES) {
        return false;
      }
      byte[] present = Files.readAllBytes(file);
      byte[] header = JournalFiles.header(JournalDescriptor.KIND_SEGMENT).array();
      return java.util.Arrays.equals(present, 0, present.length, header, 0, present.length);
    }

    private void corrupt(JournalCorruption c) {
      metrics.journalCorruption();
      log.atError().addKeyValue("file", c.file()).addKeyValue("offset", c.offset()).addKeyValue("cause", c.message())
          .addKeyValue("skipped_bytes", c.skippedBytes())
          .log("push journal damaged; recovering every intact record before and after the damage");
    }

    private static void truncate(Path file, long size) throws IOException {
      if (size < JournalDescriptor.FILE_HEADER_BYTES) {
        Files.delete(file); // not even a whole header: the file was being created
        return;
      }
      try (FileChannel ch = FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
        ch.truncate(size);
        ch.force(true);
      }
    }
  }

  /** Whether replay found damage (other than a torn tail); the store then compacts right away. */
  boolean hadDamage() {
    return hadDamage;
  }

  long appendGroup(PushGroup g) throws IOException {
    return writer.append(JournalDescriptor.TYPE_GROUP, out -> RecordCodec.encodeGroup(g, out));
  }

  long appendDelete(GroupingKey key, boolean expired) throws IOException {
    return writer.append(JournalDescriptor.TYPE_DELETE, out -> RecordCodec.encodeDelete(key, expired, out));
  }

  long appendWipe(io.vigil.model.Labels filter) throws IOException {
    return writer.append(JournalDescriptor.TYPE_WIPE, out -> out.writeLabels(filter));
  }

  void awaitDurable(long lsn) throws IOException {
    writer.awaitDurable(lsn);
  }

  boolean failed() {
    return writer.failed();
  }

  /** Bytes of the segments since the last snapshot, the current one included. */
  long bytesSinceSnapshot() {
    return closedSegmentBytes + writer.segmentBytes();
  }

  long snapshotBytes() {
    return snapshotBytes;
  }

  boolean compactionDue(long minBytes) {
    return bytesSinceSnapshot() > Math.max(minBytes, 2 * snapshotBytes);
  }

  /**
   * First half of a compaction, with the store lock held: everything buffered goes to the current
   * segment, a new segment starts. Returns its number, which names the snapshot.
   */
  long beginCompaction() throws IOException {
    long previousBytes = writer.segmentBytes();
    long n = writer.segment() + 1;
    writer.startSegment(n);
    closedSegmentBytes += previousBytes;
    return n;
  }

  /**
   * Second half, without the store lock: writes {@code groups} (the state as of
   * {@link #beginCompaction}) as {@code snapshot.N}, then removes what it replaces.
   */
  void finishCompaction(long n, Collection<PushGroup> groups) throws IOException {
    synchronized (compaction) {
      long start = System.nanoTime();
      Path tmp = dir.resolve(JournalDescriptor.snapshotName(n) + JournalDescriptor.TMP_SUFFIX);
      Path target = dir.resolve(JournalDescriptor.snapshotName(n));
      long size;
      try (FileChannel ch = JournalFiles.create(tmp, JournalDescriptor.KIND_SNAPSHOT, false)) {
        SnapshotWriter w = new SnapshotWriter(ch);
        for (PushGroup g : groups) {
          w.record(JournalDescriptor.TYPE_GROUP, out -> RecordCodec.encodeGroup(g, out));
        }
        w.record(JournalDescriptor.TYPE_SNAPSHOT_END, out -> out.writeUvarint(groups.size()));
        w.flush();
        if (fsync) {
          ch.force(true);
        }
        size = ch.size();
      } catch (IOException | RuntimeException e) {
        Files.deleteIfExists(tmp);
        metrics.compaction(false);
        throw e;
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      if (fsync) {
        JournalFiles.syncDir(dir);
      }
      List<Path> old = new ArrayList<>();
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
        for (Path p : ds) {
          String name = p.getFileName().toString();
          long seg = JournalDescriptor.number(name, JournalDescriptor.SEGMENT_PREFIX);
          long snap = JournalDescriptor.number(name, JournalDescriptor.SNAPSHOT_PREFIX);
          if ((seg >= 0 && seg < n) || (snap >= 0 && snap < n)) {
            old.add(p);
          }
        }
      }
      for (Path p : old) {
        if (damaged.remove(p)) {
          Files.move(p, p.resolveSibling(p.getFileName() + JournalDescriptor.DAMAGED_SUFFIX),
              StandardCopyOption.REPLACE_EXISTING);
          log.atWarn().addKeyValue("file", p.getFileName() + JournalDescriptor.DAMAGED_SUFFIX)
              .log("damaged push journal file set aside after its intact records were compacted; it is not read again");
        } else {
          Files.deleteIfExists(p);
        }
      }
      if (fsync) {
        JournalFiles.syncDir(dir);
      }
      snapshotBytes = size;
      closedSegmentBytes = 0;
      metrics.compaction(true);
      log.atDebug().addKeyValue("snapshot", target.getFileName()).addKeyValue("groups", groups.size())
          .addKeyValue("bytes", size).addKeyValue("duration_ms", (System.nanoTime() - start) / 1_000_000)
          .log("push journal compacted");
    }
  }

  /** Buffered writes of whole records into a snapshot file (no group commit needed: one writer). */
  private static final class SnapshotWriter {
    private final FileChannel ch;
    private final RecordBuffer buf = new RecordBuffer(1 << 20);
    private final java.util.zip.CRC32C crc = new java.util.zip.CRC32C();

    SnapshotWriter(FileChannel ch) {
      this.ch = ch;
    }

    void record(byte type, JournalWriter.Payload payload) throws IOException {
      int start = buf.skip(JournalDescriptor.RECORD_HEADER_BYTES);
      payload.writeTo(buf);
      int length = buf.size() - start - JournalDescriptor.RECORD_HEADER_BYTES;
      RecordFraming.fill(buf.array(), start, type, length, crc);
      if (buf.size() >= 1 << 20) {
        flush();
      }
    }

    void flush() throws IOException {
      JournalFiles.writeFully(ch, ByteBuffer.wrap(buf.array(), 0, buf.size()));
      buf.reset();
      buf.shrink(1 << 20);
    }
  }

  @Override
  public void close() throws IOException {
    writer.close();
  }
}
