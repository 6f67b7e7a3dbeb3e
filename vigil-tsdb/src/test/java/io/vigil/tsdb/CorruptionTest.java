package io.vigil.tsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.model.Labels;
import io.vigil.model.Matcher;
import io.vigil.storage.StorageException;
import io.vigil.tsdb.block.Block;
import io.vigil.tsdb.testutil.Read;
import io.vigil.tsdb.testutil.Read.Point;
import io.vigil.tsdb.wal.Wal;
import io.vigil.tsdb.wal.WalDescriptor;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Damaged files: the damage is reported clearly, the data outside it is still served, and opening
 * again works (no crash loop).
 */
class CorruptionTest {
  private static final long MIN = 60_000;
  @TempDir Path dir;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

  @BeforeEach
  void captureLogs() {
    logs.start();
    ((Logger) LoggerFactory.getLogger("io.vigil.tsdb")).addAppender(logs);
  }

  @AfterEach
  void stopCapturing() {
    ((Logger) LoggerFactory.getLogger("io.vigil.tsdb")).detachAppender(logs);
  }

  private List<String> errors() {
    return logs.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN))
        .map(ILoggingEvent::getFormattedMessage).toList();
  }

  private static TsdbOptions opts() {
    return TsdbTest.small().withMaxBlockRangeMs(10 * MIN);
  }

  private static Tsdb open(Path dir, TsdbOptions o) {
    return Tsdb.open(dir, o, new PrometheusRegistry());
  }

  /** Three 10-minute blocks of 3 series and a head; returns the block directories, oldest first. */
  private List<Path> threeBlocks() throws IOException {
    try (Tsdb db = open(dir, opts())) {
      TsdbTest.fill(db, 3, 0, 45 * MIN);
      db.compact();
      assertThat(db.blocks()).hasSize(3);
      return db.blocks().stream().map(Block::dir).toList();
    }
  }

  private static void flip(Path file, long offset) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(offset);
      int b = f.read();
      f.seek(offset);
      f.write(b ^ 0x40);
    }
  }

  private static long count(Tsdb db) {
    return Read.all(db, Long.MIN_VALUE, Long.MAX_VALUE, Matcher.equal("__name__", "m")).values().stream().mapToLong(List::size).sum();
  }

  private void assertMiddleBlockRefused(List<Path> blocks, String reasonFragment) {
    for (int i = 0; i < 2; i++) { // the second open proves there is no crash loop
      try (Tsdb db = open(dir, opts())) {
        assertThat(db.blocks()).hasSize(2);
        assertThat(Files.isDirectory(dir.resolve("corrupted").resolve(blocks.get(1).getFileName()))).isTrue();
        // 45 minutes of 3 series minus the refused 10-minute block.
        assertThat(count(db)).isEqualTo(3 * (180 - 40));
        List<Point> s0 = Read.all(db, 0, Long.MAX_VALUE, Matcher.equal("s", "0")).get(Labels.of("__name__", "m", "s", "0"));
        assertThat(s0).noneMatch(p -> p.t() >= 10 * MIN && p.t() < 20 * MIN);
      }
    }
    assertThat(errors()).anySatisfy(m -> assertThat(m).startsWith("refusing corrupt block " + blocks.get(1).getFileName())
        .contains(reasonFragment));
  }

  @Test
  void flippedChunkByteRefusesTheBlockAndServesTheRest() throws IOException {
    List<Path> blocks = threeBlocks();
    flip(blocks.get(1).resolve("chunks").resolve("000001"), 40);
    assertMiddleBlockRefused(blocks, "chunk checksum mismatch");
  }

  @Test
  void flippedIndexByteRefusesTheBlock() throws IOException {
    List<Path> blocks = threeBlocks();
    flip(blocks.get(1).resolve("index"), 30);
    assertMiddleBlockRefused(blocks, "checksum mismatch");
  }

  @Test
  void changedMetaJsonValueRefusesTheBlock() throws IOException {
    List<Path> blocks = threeBlocks();
    Path meta = blocks.get(1).resolve("meta.json");
    String json = Files.readString(meta);
    Files.writeString(meta, json.replace("\"numSeries\" : 3", "\"numSeries\" : 4"));
    assertThat(Files.readString(meta)).isNotEqualTo(json);
    assertMiddleBlockRefused(blocks, "meta.json checksum mismatch: stored crc32c:");
  }

  @Test
  void garbledMetaJsonRefusesTheBlock() throws IOException {
    List<Path> blocks = threeBlocks();
    Files.write(blocks.get(1).resolve("meta.json"), "{\"ulid\": [".getBytes(StandardCharsets.UTF_8));
    assertMiddleBlockRefused(blocks, "meta.json unreadable");
  }

  @Test
  void truncatedChunkFileRefusesTheBlock() throws IOException {
    List<Path> blocks = threeBlocks();
    Path chunks = blocks.get(1).resolve("chunks").resolve("000001");
    try (RandomAccessFile f = new RandomAccessFile(chunks.toFile(), "rw")) {
      f.setLength(f.length() - 10);
    }
    assertMiddleBlockRefused(blocks, "chunks/000001 has ");
  }

  @Test
  void flippedTombstonesByteRefusesTheBlock() throws IOException {
    List<Path> blocks = threeBlocks();
    flip(blocks.get(1).resolve("tombstones"), 9);
    assertMiddleBlockRefused(blocks, "tombstones checksum mismatch");
  }

  @Test
  void damageFoundWhileReadingFailsTheQueryAndTheBlockIsMovedAside() throws IOException {
    List<Path> blocks = threeBlocks();
    flip(blocks.get(1).resolve("chunks").resolve("000001"), 40);
    TsdbOptions noVerify = opts().withVerifyChunksOnOpen(false);
    try (Tsdb db = open(dir, noVerify)) {
      assertThat(db.blocks()).hasSize(3);
      assertThatThrownBy(() -> count(db)).isInstanceOf(StorageException.class)
          .hasMessageContaining("is damaged: chunk file").hasMessageContaining("checksum mismatch");
      db.compact(); // the next reload moves it aside
      assertThat(db.blocks()).hasSize(2);
      assertThat(count(db)).isEqualTo(3 * (180 - 40));
    }
  }

  @Test
  void damagedWalKeepsEverythingBeforeTheDamage() throws IOException {
    TsdbOptions o = opts().withWalSegmentBytes(1024);
    try (Tsdb db = open(dir, o)) {
      TsdbTest.fill(db, 3, 0, 20 * MIN); // 80 batches, all in the head (compaction is off)
    }
    Path walDir = dir.resolve("wal");
    List<Integer> segs = Wal.segments(walDir);
    assertThat(segs.size()).isGreaterThan(2);
    // Damage the last record of the second non-empty segment.
    Path victim = walDir.resolve(WalDescriptor.segmentName(segs.get(1)));
    flip(victim, Files.size(victim) - 3);
    long served;
    try (Tsdb db = open(dir, o)) {
      served = count(db);
      assertThat(served).isPositive().isLessThan(240).isEqualTo(served / 3 * 3); // whole batches only
      Map<Labels, List<Point>> all = Read.all(db, Long.MIN_VALUE, Long.MAX_VALUE, Matcher.equal("__name__", "m"));
      all.values().forEach(p -> assertThat(p.getFirst().t()).isZero());
    }
    assertThat(errors()).anySatisfy(m -> assertThat(m).startsWith("WAL damaged, truncated and later segments deleted: WAL segment "
        + WalDescriptor.segmentName(segs.get(1)) + " corrupt at offset ").contains("checksum mismatch"));
    try (Tsdb db = open(dir, o)) { // repaired: the same data, no new complaint
      assertThat(count(db)).isEqualTo(served);
      TsdbTest.fill(db, 3, 30 * MIN, 31 * MIN); // and it takes writes again
      assertThat(count(db)).isEqualTo(served + 12);
    }
  }

  @Test
  void tornWalTailIsTruncatedQuietly() throws IOException {
    try (Tsdb db = open(dir, opts())) {
      TsdbTest.fill(db, 3, 0, 5 * MIN);
    }
    Path walDir = dir.resolve("wal");
    Path last;
    try (Stream<Path> s = Files.list(walDir)) {
      last = s.filter(p -> p.getFileName().toString().matches("\\d{8}")).filter(p -> {
        try {
          return Files.size(p) > WalDescriptor.SEGMENT_HEADER_BYTES;
        } catch (IOException e) {
          throw new RuntimeException(e);
        }
      }).max(Path::compareTo).orElseThrow();
    }
    try (RandomAccessFile f = new RandomAccessFile(last.toFile(), "rw")) {
      f.setLength(f.length() - 5); // a crash in the middle of the last write
    }
    try (Tsdb db = open(dir, opts())) {
      assertThat(count(db)).isEqualTo(57);
    }
    assertThat(errors()).anySatisfy(m -> assertThat(m).startsWith("WAL torn tail after a crash, truncated: "));
  }
}
