package io.vigil.push;

import static io.vigil.push.JournalDescriptor.FILE_HEADER_BYTES;
import static io.vigil.push.JournalDescriptor.HEADER_CRC_COVERS;
import static io.vigil.push.JournalDescriptor.MAX_PAYLOAD_BYTES;
import static io.vigil.push.JournalDescriptor.OFF_HEADER_CRC;
import static io.vigil.push.JournalDescriptor.OFF_LENGTH;
import static io.vigil.push.JournalDescriptor.OFF_PAYLOAD_CRC;
import static io.vigil.push.JournalDescriptor.RECORD_HEADER_BYTES;

import io.vigil.push.RecordInput.DecodeException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads one journal file record by record, mapped read-only through the FFM API (the mapping is
 * released when {@link #read} returns). Damage never stops the reader: it is reported as a
 * {@link JournalCorruption} and the reader looks for the next offset where a whole valid record
 * starts (header CRC, then payload CRC), so every intact record after the damage is still read.
 * Damage that runs to the end of the file is reported with {@code toEnd}; whether that is a torn
 * tail or real damage is for the caller to say.
 */
final class JournalReader {
  /** Receives each valid record, with the offset of its header. */
  @FunctionalInterface
  interface Visitor {
    void record(JournalRecord record, long offset);
  }

  /** What one read found. {@code damage} is in file order; at most the last one has {@code toEnd}. */
  record Result(Path file, long size, List<JournalCorruption> damage, int records) {
    boolean damagedAtEnd() {
      return !damage.isEmpty() && damage.getLast().toEnd();
    }

    /** Where valid data ends: the start of the damage that runs to the end, else the file size. */
    long validEnd() {
      return damagedAtEnd() ? damage.getLast().offset() : size;
    }
  }

  private final CRC32C crc = new CRC32C();
  private final byte[] header = new byte[RECORD_HEADER_BYTES];

  Result read(Path file, byte expectedKind, Visitor visitor) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ); Arena arena = Arena.ofConfined()) {
      long size = ch.size();
      List<JournalCorruption> damage = new ArrayList<>();
      if (size == 0) {
        damage.add(new JournalCorruption(file, 0, "file header truncated: 0 of " + FILE_HEADER_BYTES + " bytes", 0, true));
        return new Result(file, 0, damage, 0);
      }
      MemorySegment m = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
      String headerProblem = checkFileHeader(m, size, expectedKind);
      long pos = Math.min(size, FILE_HEADER_BYTES);
      if (headerProblem != null) {
        long next = resync(m, size, pos);
        damage.add(new JournalCorruption(file, 0, headerProblem, (next < 0 ? size : next), next < 0));
        if (next < 0) {
          return new Result(file, size, damage, 0);
        }
        pos = next;
      }
      int records = 0;
      while (pos < size) {
        String problem = problemAt(m, size, pos);
        if (problem == null) {
          int length = RecordBuffer.getInt(header, OFF_LENGTH);
          byte[] payload = m.asSlice(pos + RECORD_HEADER_BYTES, length).toArray(ValueLayout.JAVA_BYTE);
          long recordEnd = pos + RECORD_HEADER_BYTES + length;
          try {
            visitor.record(RecordCodec.decode(header[0], payload), pos);
            records++;
          } catch (DecodeException e) {
            // The framing is intact (both CRCs matched): only this record is lost.
            damage.add(new JournalCorruption(file, pos, "bad record of type " + header[0] + ": " + e.getMessage(),
                recordEnd - pos, recordEnd == size));
          }
          pos = recordEnd;
          continue;
        }
        if (problem.isEmpty()) {
          break; // zeros to the end: space that was never written
        }
        long next = resync(m, size, pos + 1);
        damage.add(new JournalCorruption(file, pos, problem, (next < 0 ? size : next) - pos, next < 0));
        if (next < 0) {
          break;
        }
        pos = next;
      }
      return new Result(file, size, damage, records);
    }
  }

  private static String checkFileHeader(MemorySegment m, long size, byte expectedKind) {
    if (size < FILE_HEADER_BYTES) {
      return "file header truncated: " + size + " of " + FILE_HEADER_BYTES + " bytes";
    }
    byte[] h = m.asSlice(0, FILE_HEADER_BYTES).toArray(ValueLayout.JAVA_BYTE);
    int magic = RecordBuffer.getInt(h, 0);
    if (magic != JournalDescriptor.MAGIC) {
      return String.format("bad magic 0x%08x; not a push journal file", magic);
    }
    if (h[4] != JournalDescriptor.VERSION) {
      return "unsupported journal version " + (h[4] & 0xff);
    }
    if (h[5] != expectedKind) {
      return "unexpected file kind " + (h[5] & 0xff);
    }
    return null;
  }

  /**
   * Why no valid record starts at {@code pos}: null when one does (its header is left in
   * {@link #header}), "" when only zero bytes follow (unwritten space), else the message.
   */
  private String problemAt(MemorySegment m, long size, long pos) {
    long left = size - pos;
    if (left < RECORD_HEADER_BYTES) {
      return allZero(m, pos, size) ? "" : "torn record header: " + left + " of " + RECORD_HEADER_BYTES + " bytes";
    }
    MemorySegment.copy(m, ValueLayout.JAVA_BYTE, pos, header, 0, RECORD_HEADER_BYTES);
    int type = header[0];
    if (type == 0 && allZero(m, pos, size)) {
      return "";
    }
    crc.reset();
    crc.update(header, 0, HEADER_CRC_COVERS);
    int stored = RecordBuffer.getInt(header, OFF_HEADER_CRC);
    if ((int) crc.getValue() != stored) {
      return String.format("record header checksum mismatch: stored 0x%08x, computed 0x%08x", stored, (int) crc.getValue());
    }
    if (!JournalDescriptor.knownType(type)) {
      return "unknown record type " + type;
    }
    int length = RecordBuffer.getInt(header, OFF_LENGTH);
    if (length < 0 || length > MAX_PAYLOAD_BYTES) {
      return "record length " + Integer.toUnsignedString(length) + " exceeds maximum " + MAX_PAYLOAD_BYTES;
    }
    if (length > left - RECORD_HEADER_BYTES) {
      return "torn record: length " + length + " but only " + (left - RECORD_HEADER_BYTES) + " bytes left";
    }
    crc.reset();
    crc.update(m.asSlice(pos + RECORD_HEADER_BYTES, length).asByteBuffer());
    int storedPayload = RecordBuffer.getInt(header, OFF_PAYLOAD_CRC);
    if ((int) crc.getValue() != storedPayload) {
      return String.format("record checksum mismatch: stored 0x%08x, computed 0x%08x", storedPayload, (int) crc.getValue());
    }
    return null;
  }

  /** The first offset at or after {@code from} where a whole valid record starts, or -1. */
  private long resync(MemorySegment m, long size, long from) {
    for (long p = from; p + RECORD_HEADER_BYTES <= size; p++) {
      // Cheap filters before any CRC: a known type and a header whose CRC matches.
      byte type = m.get(ValueLayout.JAVA_BYTE, p);
      if (!JournalDescriptor.knownType(type)) {
        continue;
      }
      if (problemAt(m, size, p) == null) {
        return p;
      }
    }
    return -1;
  }

  private static boolean allZero(MemorySegment m, long from, long to) {
    for (long p = from; p < to; p++) {
      if (m.get(ValueLayout.JAVA_BYTE, p) != 0) {
        return false;
      }
    }
    return true;
  }
}
