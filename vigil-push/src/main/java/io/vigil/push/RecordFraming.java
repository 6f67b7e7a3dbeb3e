package io.vigil.push;

import java.util.zip.CRC32C;

/** Fills in a record header in front of an encoded payload (docs/format/push-journal.md, "Record"). */
final class RecordFraming {
  private RecordFraming() {}

  /**
   * The payload is at {@code a[start + 13 .. start + 13 + length)}; writes type, length and both
   * CRCs into the 13 bytes before it. {@code crc} is scratch, reset here.
   */
  static void fill(byte[] a, int start, byte type, int length, CRC32C crc) {
    a[start + JournalDescriptor.OFF_TYPE] = type;
    RecordBuffer.putInt(a, start + JournalDescriptor.OFF_LENGTH, length);
    crc.reset();
    crc.update(a, start + JournalDescriptor.RECORD_HEADER_BYTES, length);
    RecordBuffer.putInt(a, start + JournalDescriptor.OFF_PAYLOAD_CRC, (int) crc.getValue());
    crc.reset();
    crc.update(a, start, JournalDescriptor.HEADER_CRC_COVERS);
    RecordBuffer.putInt(a, start + JournalDescriptor.OFF_HEADER_CRC, (int) crc.getValue());
  }
}
