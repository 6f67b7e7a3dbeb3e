package io.vigil.tsdb.block;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.vigil.tsdb.fs.FileSync;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32C;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A block's meta.json (docs/format/meta.md), in Prometheus's field names plus {@code files} and a
 * {@code checksum} over the rest. Immutable.
 */
public record BlockMeta(
    String ulid,
    long minTime,
    long maxTime,
    Stats stats,
    Compaction compaction,
    int version,
    List<FileInfo> files,
    @JsonInclude(JsonInclude.Include.NON_NULL) String checksum) {
  public static final String FILE = "meta.json";
  public static final int VERSION = 1;

  private static final JsonMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .build();

  public record Stats(long numSamples, long numSeries, long numChunks, long numTombstones) {}

  public record Compaction(int level, List<String> sources, List<Parent> parents) {}

  public record Parent(String ulid, long minTime, long maxTime) {}

  public record FileInfo(String name, long sizeBytes) {}

  public BlockMeta withStats(Stats s) {
    return new BlockMeta(ulid, minTime, maxTime, s, compaction, version, files, null);
  }

  private BlockMeta withChecksum(String c) {
    return new BlockMeta(ulid, minTime, maxTime, stats, compaction, version, files, c);
  }

  /** The checksum of every field but {@code checksum}, as written in the file. */
  String computeChecksum() {
    byte[] canonical = JSON.writeValueAsBytes(withChecksum(null));
    CRC32C c = new CRC32C();
    c.update(canonical);
    return String.format("crc32c:%08x", (int) c.getValue());
  }

  /** Writes {@code dir/meta.json} atomically with a fresh checksum. */
  public void write(Path dir) throws IOException {
    BlockMeta m = withChecksum(null);
    byte[] json = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(m.withChecksum(m.computeChecksum()));
    FileSync.writeAtomically(dir.resolve(FILE), json);
  }

  /**
   * Reads and verifies {@code dir/meta.json}.
   *
   * @throws CorruptBlockException if it is missing, unparseable, inconsistent or fails its checksum
   */
  public static BlockMeta read(Path dir) throws CorruptBlockException {
    Path file = dir.resolve(FILE);
    BlockMeta m;
    try {
      m = JSON.readValue(Files.readAllBytes(file), BlockMeta.class);
    } catch (IOException | JacksonException e) {
      throw new CorruptBlockException(dir, FILE + " unreadable: " + e.getMessage().lines().findFirst().orElse(""), e);
    }
    if (m.version != VERSION) {
      throw new CorruptBlockException(dir, FILE + " has unsupported version " + m.version + " (known: " + VERSION + ")", null);
    }
    if (m.checksum == null) {
      throw new CorruptBlockException(dir, FILE + " has no checksum", null);
    }
    String computed = m.computeChecksum();
    if (!computed.equals(m.checksum)) {
      throw new CorruptBlockException(dir, FILE + " checksum mismatch: stored " + m.checksum + ", computed " + computed, null);
    }
    if (m.ulid == null || !m.ulid.equals(dir.getFileName().toString()) || m.minTime > m.maxTime || m.stats == null
        || m.compaction == null || m.files == null) {
      throw new CorruptBlockException(dir, FILE + " is inconsistent (ulid " + m.ulid + ", range [" + m.minTime + ", "
          + m.maxTime + "))", null);
    }
    return m;
  }

  /** For logs. */
  @Override
  public String toString() {
    return ulid + "[" + minTime + ", " + maxTime + ") level " + (compaction == null ? "?" : compaction.level());
  }
}
