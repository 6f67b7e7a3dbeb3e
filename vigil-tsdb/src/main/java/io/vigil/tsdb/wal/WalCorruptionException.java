package io.vigil.tsdb.wal;

import java.io.IOException;

/**
 * Damaged WAL data: a torn tail after a crash or a corrupted record. Carries the segment and the byte
 * offset of the damaged record (or header) so that repair can truncate exactly there.
 */
public final class WalCorruptionException extends IOException {
  private final String segment;
  private final int segmentIndex;
  private final long offset;
  private final String reason;

  public WalCorruptionException(String segment, int segmentIndex, long offset, String reason) {
    super("WAL segment " + segment + " corrupt at offset " + offset + ": " + reason);
    this.segment = segment;
    this.segmentIndex = segmentIndex;
    this.offset = offset;
    this.reason = reason;
  }

  /** The segment's path relative to the WAL directory, e.g. {@code 00000003} or {@code checkpoint.00000002/00000000}. */
  public String segment() {
    return segment;
  }

  public int segmentIndex() {
    return segmentIndex;
  }

  public long offset() {
    return offset;
  }

  /** The cause without the location, e.g. {@code checksum mismatch: stored 0x..., computed 0x...}. */
  public String reason() {
    return reason;
  }
}
