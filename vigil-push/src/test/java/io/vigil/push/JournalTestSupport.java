package io.vigil.push;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SequencedMap;
import java.util.stream.Stream;

/** Reading and damaging journal files in tests. */
final class JournalTestSupport {
  private JournalTestSupport() {}

  /** Replays a copy of {@code dir} (the original may be in use) into {@code groups}. */
  static Journal openCopy(Path dir, SequencedMap<GroupingKey, PushGroup> groups) throws IOException {
    Path copy = Files.createTempDirectory("push-journal-copy");
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.toList()) {
        Files.copy(p, copy.resolve(p.getFileName()));
      }
    }
    return Journal.open(copy, false, new PushMetrics(new PrometheusRegistry()), groups);
  }

  static List<Path> files(Path dir, String prefix) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList();
    }
  }

  /** The one segment that holds records (the others hold just their header). */
  static Path onlySegmentWithRecords(Path dir) throws IOException {
    List<Path> withRecords = files(dir, JournalDescriptor.SEGMENT_PREFIX).stream()
        .filter(p -> !p.toString().endsWith(JournalDescriptor.DAMAGED_SUFFIX))
        .filter(p -> p.toFile().length() > JournalDescriptor.FILE_HEADER_BYTES).toList();
    if (withRecords.size() != 1) {
      throw new AssertionError("expected one segment with records in " + dir + ", found " + withRecords);
    }
    return withRecords.getFirst();
  }

  /** The offsets of the records of a file (read by their length fields, without checks). */
  static List<Long> recordOffsets(Path file) throws IOException {
    byte[] b = Files.readAllBytes(file);
    List<Long> out = new ArrayList<>();
    int pos = JournalDescriptor.FILE_HEADER_BYTES;
    while (pos + JournalDescriptor.RECORD_HEADER_BYTES <= b.length) {
      out.add((long) pos);
      pos += JournalDescriptor.RECORD_HEADER_BYTES + RecordBuffer.getInt(b, pos + JournalDescriptor.OFF_LENGTH);
    }
    return out;
  }

  static void flipByte(Path file, long offset) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(offset);
      int b = f.read();
      f.seek(offset);
      f.write(b ^ 0x5a);
    }
  }
}
