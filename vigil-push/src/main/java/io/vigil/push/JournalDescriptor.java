package io.vigil.push;

/**
 * Offsets, sizes and codes of the push journal (docs/format/push-journal.md), in one place.
 */
final class JournalDescriptor {
  private JournalDescriptor() {}

  /** "VPSH". */
  static final int MAGIC = 0x56505348;
  static final byte VERSION = 1;
  static final byte KIND_SEGMENT = 1;
  static final byte KIND_SNAPSHOT = 2;
  static final int FILE_HEADER_BYTES = 8;

  static final int OFF_TYPE = 0;
  static final int OFF_LENGTH = 1;
  static final int OFF_PAYLOAD_CRC = 5;
  static final int OFF_HEADER_CRC = 9;
  /** Bytes covered by the header CRC: type, length, payload CRC. */
  static final int HEADER_CRC_COVERS = 9;
  static final int RECORD_HEADER_BYTES = 13;
  /**
   * Upper bound of a payload. A group is bounded by maxSeriesPerPush (default 100,000 samples, tens
   * of MB encoded); 256 MiB leaves room for raised limits while keeping a damaged length field from
   * sending a reader far past anything plausible.
   */
  static final int MAX_PAYLOAD_BYTES = 256 << 20;

  static final byte TYPE_GROUP = 1;
  static final byte TYPE_DELETE = 2;
  static final byte TYPE_WIPE = 3;
  static final byte TYPE_SNAPSHOT_END = 4;

  static final byte REASON_DELETE = 1;
  static final byte REASON_EXPIRED = 2;

  static final byte FAMILY_COUNTER = 1;
  static final byte FAMILY_GAUGE = 2;
  static final byte FAMILY_UNTYPED = 3;
  static final byte FAMILY_HISTOGRAM = 4;
  static final byte FAMILY_SUMMARY = 5;
  static final byte FLAG_HAS_HELP = 1;

  static final String SEGMENT_PREFIX = "journal.";
  static final String SNAPSHOT_PREFIX = "snapshot.";
  static final String TMP_SUFFIX = ".tmp";
  static final String DAMAGED_SUFFIX = ".damaged";

  static boolean knownType(int type) {
    return type >= TYPE_GROUP && type <= TYPE_SNAPSHOT_END;
  }

  static String segmentName(long n) {
    return SEGMENT_PREFIX + String.format("%08d", n);
  }

  static String snapshotName(long n) {
    return SNAPSHOT_PREFIX + String.format("%08d", n);
  }

  /** The number of a file named prefix + 8 digits (more if they overflow), or -1. */
  static long number(String fileName, String prefix) {
    if (!fileName.startsWith(prefix) || fileName.length() < prefix.length() + 8) {
      return -1;
    }
    long n = 0;
    for (int i = prefix.length(); i < fileName.length(); i++) {
      char c = fileName.charAt(i);
      if (c < '0' || c > '9' || n > Long.MAX_VALUE / 10 - 1) {
        return -1;
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }
}
