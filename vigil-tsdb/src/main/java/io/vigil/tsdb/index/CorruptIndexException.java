package io.vigil.tsdb.index;

import java.nio.file.Path;

/** A damaged index file: names the file, the section and the offset. */
public final class CorruptIndexException extends RuntimeException {
  private final Path file;
  private final long offset;

  public CorruptIndexException(Path file, String section, long offset, String reason) {
    super("index " + file + " corrupt in " + section + " at offset " + offset + ": " + reason);
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
