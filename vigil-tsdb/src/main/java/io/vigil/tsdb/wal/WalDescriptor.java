package io.vigil.tsdb.wal;

/** Offsets, sizes and ids of the WAL format; see docs/format/wal.md. */
public final class WalDescriptor {
  private WalDescriptor() {}

  /** "VIWL": Vigil WAL. */
  public static final int MAGIC = 0x5649574C;
  public static final int VERSION = 1;
  public static final int SEGMENT_HEADER_BYTES = 8;

  public static final int RECORD_HEADER_BYTES = 9;
  public static final int TYPE_OFFSET = 0;
  public static final int LENGTH_OFFSET = 1;
  public static final int CRC_OFFSET = 5;

  public static final byte TYPE_SERIES = 1;
  public static final byte TYPE_SAMPLES = 2;
  public static final byte TYPE_TOMBSTONES = 3;

  /** Prometheus's segment size: large enough that rotation is rare, small enough to delete in steps. */
  public static final long DEFAULT_SEGMENT_BYTES = 128L << 20;
  /** A record may fill a segment but no more; also bounds what a damaged length can make us allocate. */
  public static final int MAX_RECORD_BYTES = 128 << 20;

  public static final String CHECKPOINT_PREFIX = "checkpoint.";

  public static String segmentName(int index) {
    return String.format("%08d", index);
  }

  public static String checkpointName(int lastSegment) {
    return CHECKPOINT_PREFIX + segmentName(lastSegment);
  }
}
