package io.vigil.tsdb.chunks;

import java.nio.file.Path;

/** A damaged chunk file: names the file and the offset of the damaged chunk. */
public final class CorruptChunkException extends RuntimeException {
  private final Path file;
  private final long offset;

  public CorruptChunkException(Path file, long offset, String reason) {
    super("chunk file " + file + " corrupt at offset " + offset + ": " + reason);
    this.file = file;
    this.offset = offset;
  }

  public Path file() {
    return file;
  }

  public long offset() {
    return offset;
  }
}
