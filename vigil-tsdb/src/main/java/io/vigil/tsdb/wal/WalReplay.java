package io.vigil.tsdb.wal;

import io.vigil.tsdb.encoding.DecodeException;
import io.vigil.tsdb.fs.FileSync;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the WAL directory back at startup: the newest checkpoint, then every segment after it, in
 * order, handing records to a sink. Damage is repaired, never fatal: a damaged segment is truncated
 * at the damaged record (deleted if its header is damaged), later segments are deleted, and one log
 * line says what was dropped. Leftovers of interrupted checkpoints are cleaned up first.
 */
public final class WalReplay {
  private static final Logger log = LoggerFactory.getLogger(WalReplay.class);

  private WalReplay() {}

  /** What replay found. */
  public record Result(int segments, long records, long samples, WalCorruptionException repaired, long droppedBytes) {}

  /**
   * Replays {@code walDir} into {@code sink}.
   *
   * @param progress receives status updates for the replay-status API
   */
  public static Result replay(Path walDir, RecordSink sink, Consumer<WalReplayStatus> progress, WalMetrics metrics)
      throws IOException {
    Files.createDirectories(walDir);
    int checkpoint = cleanUp(walDir);
    List<Integer> segs = Wal.segments(walDir);
    segs.removeIf(i -> i <= checkpoint);
    int min = segs.isEmpty() ? checkpoint : segs.get(0);
    int max = segs.isEmpty() ? checkpoint : segs.get(segs.size() - 1);
    progress.accept(new WalReplayStatus(min, max, min, false));
    long[] counts = new long[2];
    if (checkpoint >= 0) {
      Path cp = walDir.resolve(WalDescriptor.checkpointName(checkpoint));
      for (int i : Wal.segments(cp)) {
        String name = cp.getFileName() + "/" + WalDescriptor.segmentName(i);
        try {
          readSegment(cp.resolve(WalDescriptor.segmentName(i)), name, i, sink, counts);
        } catch (WalCorruptionException e) {
          // A checkpoint is written whole and renamed into place: damage here is media damage.
          // Keep what was read and go on with the segments; series lost here drop their samples.
          metrics.corruptions.inc();
          log.error("WAL checkpoint damaged, skipping its remainder: {}", e.getMessage());
          break;
        }
      }
    }
    WalCorruptionException repaired = null;
    long dropped = 0;
    int read = 0;
    for (int k = 0; k < segs.size(); k++) {
      int i = segs.get(k);
      progress.accept(new WalReplayStatus(min, max, i, false));
      Path p = walDir.resolve(WalDescriptor.segmentName(i));
      try {
        readSegment(p, WalDescriptor.segmentName(i), i, sink, counts);
        read++;
      } catch (WalCorruptionException e) {
        repaired = e;
        dropped = repair(walDir, p, e, segs.subList(k + 1, segs.size()));
        metrics.corruptions.inc();
        boolean tornTail = k == segs.size() - 1;
        if (tornTail) {
          log.warn("WAL torn tail after a crash, truncated: {}; {} bytes dropped (never acknowledged)", e.getMessage(), dropped);
        } else {
          log.error("WAL damaged, truncated and later segments deleted: {}; {} bytes dropped", e.getMessage(), dropped);
        }
        break;
      }
    }
    progress.accept(new WalReplayStatus(min, max, max, true));
    return new Result(read, counts[0], counts[1], repaired, dropped);
  }

  /** Reads one segment into the sink; a payload that does not decode counts as corruption. */
  static void readSegment(Path file, String name, int index, RecordSink sink, long[] counts) throws IOException {
    try (SegmentReader r = new SegmentReader(file, name, index)) {
      WalRecord reuse = null;
      while (r.next()) {
        WalRecord rec;
        try {
          rec = WalRecords.decode(r.type(), r.payload(), reuse);
        } catch (DecodeException e) {
          throw new WalCorruptionException(name, index, r.recordOffset(), "malformed record: " + e.getMessage());
        }
        counts[0]++;
        switch (rec) {
          case WalRecord.Series s -> sink.series(s);
          case WalRecord.Samples s -> {
            counts[1] += s.n();
            sink.samples(s);
            reuse = s;
          }
          case WalRecord.Tombstones t -> sink.tombstones(t);
        }
      }
    }
  }

  /** Cuts the segment at the damage and deletes the later ones; returns the bytes dropped. */
  private static long repair(Path walDir, Path damaged, WalCorruptionException e, List<Integer> later) throws IOException {
    long dropped = 0;
    long size = Files.size(damaged);
    if (e.offset() < WalDescriptor.SEGMENT_HEADER_BYTES) {
      dropped += size;
      Files.delete(damaged);
    } else {
      dropped += size - e.offset();
      try (FileChannel ch = FileChannel.open(damaged, StandardOpenOption.WRITE)) {
        ch.truncate(e.offset());
        ch.force(true);
      }
    }
    for (int i : later) {
      Path p = walDir.resolve(WalDescriptor.segmentName(i));
      dropped += Files.size(p);
      Files.delete(p);
    }
    FileSync.directory(walDir);
    return dropped;
  }

  /**
   * Removes leftovers of interrupted checkpoints: temporary checkpoint directories, older
   * checkpoints and the segments the newest one replaces. Returns the newest checkpoint's last
   * segment, or -1 if there is none.
   */
  static int cleanUp(Path walDir) throws IOException {
    int newest = -1;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(walDir, WalDescriptor.CHECKPOINT_PREFIX + "*")) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (n.endsWith(".tmp")) {
          FileSync.deleteRecursively(p);
          continue;
        }
        try {
          newest = Math.max(newest, Integer.parseInt(n.substring(WalDescriptor.CHECKPOINT_PREFIX.length())));
        } catch (NumberFormatException e) {
          log.warn("ignoring unexpected entry {} in the WAL directory", p);
        }
      }
    }
    if (newest >= 0) {
      deleteBefore(walDir, newest);
    }
    return newest;
  }

  /** Deletes checkpoints older than {@code checkpoint} and segments up to it. */
  static void deleteBefore(Path walDir, int checkpoint) throws IOException {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(walDir, WalDescriptor.CHECKPOINT_PREFIX + "*")) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (!n.endsWith(".tmp") && !n.equals(WalDescriptor.checkpointName(checkpoint))) {
          try {
            if (Integer.parseInt(n.substring(WalDescriptor.CHECKPOINT_PREFIX.length())) < checkpoint) {
              FileSync.deleteRecursively(p);
            }
          } catch (NumberFormatException ignored) {
            // not ours
          }
        }
      }
    }
    for (int i : Wal.segments(walDir)) {
      if (i <= checkpoint) {
        Files.deleteIfExists(walDir.resolve(WalDescriptor.segmentName(i)));
      }
    }
    FileSync.directory(walDir);
  }
}
