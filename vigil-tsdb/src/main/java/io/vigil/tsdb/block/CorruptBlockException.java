package io.vigil.tsdb.block;

import java.nio.file.Path;

/** A block that failed verification (meta.json, index, chunks or tombstones); it must never be served. */
public final class CorruptBlockException extends Exception {
  private final Path dir;

  public CorruptBlockException(Path dir, String reason, Throwable cause) {
    super("block " + dir.getFileName() + " is corrupt: " + reason, cause);
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }
}
