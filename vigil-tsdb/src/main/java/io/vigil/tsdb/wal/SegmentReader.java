package io.vigil.tsdb.wal;

import io.vigil.tsdb.encoding.ByteDecoder;
import io.vigil.tsdb.encoding.Crc32c;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads the records of one WAL segment file, memory-mapped (confined arena, unmapped on close).
 * {@link #next()} positions on the next record and validates its framing and checksum; the payload
 * is then available as a decoder over the mapping, valid until the next call. Not thread-safe.
 */
public final class SegmentReader implements AutoCloseable {
  private static final ValueLayout.OfInt INT_BE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

  private final String name;
  private final int index;
  private final Arena arena;
  private final MemorySegment seg;
  private final long size;
  private final ByteDecoder payload;
  private long pos;
  private long recordStart = -1;
  private byte type;

  /**
   * @param name the segment's path relative to the WAL directory, for messages
   * @param index the segment's sequence number
   */
  public SegmentReader(Path file, String name, int index) throws IOException {
    this.name = name;
    this.index = index;
    this.arena = Arena.ofConfined();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      this.size = ch.size();
      this.seg = size == 0 ? MemorySegment.NULL : ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
    } catch (IOException | RuntimeException e) {
      arena.close();
      throw e;
    }
    this.payload = new ByteDecoder(seg.byteSize() == 0 ? MemorySegment.ofArray(new byte[0]) : seg, 0, 0);
    readHeader();
  }

  private WalCorruptionException corrupt(long offset, String reason) {
    return new WalCorruptionException(name, index, offset, reason);
  }

  private void readHeader() throws WalCorruptionException {
    if (size < WalDescriptor.SEGMENT_HEADER_BYTES) {
      throw corrupt(0, "segment header truncated: " + size + " of " + WalDescriptor.SEGMENT_HEADER_BYTES + " bytes");
    }
    int magic = seg.get(INT_BE, 0);
    if (magic != WalDescriptor.MAGIC) {
      throw corrupt(0, String.format("bad magic 0x%08x; not a WAL segment", magic));
    }
    int version = seg.get(ValueLayout.JAVA_BYTE, 4) & 0xFF;
    if (version != WalDescriptor.VERSION) {
      throw corrupt(4, "unsupported WAL version " + version + " (known: " + WalDescriptor.VERSION + ")");
    }
    pos = WalDescriptor.SEGMENT_HEADER_BYTES;
  }

  /**
   * Moves to the next record.
   *
   * @return false at the end of the written data
   * @throws WalCorruptionException for a torn or damaged record; {@link WalCorruptionException#offset()}
   *     is where the valid data ends
   */
  public boolean next() throws WalCorruptionException {
    long left = size - pos;
    if (left == 0) {
      return false;
    }
    recordStart = pos;
    byte t = seg.get(ValueLayout.JAVA_BYTE, pos);
    if (t == 0) {
      // Zero bytes from a record boundary to the end are unwritten space, not damage.
      for (long i = pos; i < size; i++) {
        if (seg.get(ValueLayout.JAVA_BYTE, i) != 0) {
          throw corrupt(pos, "unexpected zero record type followed by data");
        }
      }
      pos = size;
      return false;
    }
    if (left < WalDescriptor.RECORD_HEADER_BYTES) {
      throw corrupt(pos, "torn record header: " + left + " of " + WalDescriptor.RECORD_HEADER_BYTES + " bytes");
    }
    long length = seg.get(INT_BE, pos + WalDescriptor.LENGTH_OFFSET) & 0xFFFF_FFFFL;
    if (length > WalDescriptor.MAX_RECORD_BYTES) {
      throw corrupt(pos, "record length " + length + " exceeds maximum " + WalDescriptor.MAX_RECORD_BYTES);
    }
    long body = pos + WalDescriptor.RECORD_HEADER_BYTES;
    if (length > size - body) {
      throw corrupt(pos, "torn record: length " + length + " but only " + (size - body) + " bytes left");
    }
    int stored = seg.get(INT_BE, pos + WalDescriptor.CRC_OFFSET);
    int computed = crc(pos, body, length);
    if (stored != computed) {
      throw corrupt(pos, "checksum mismatch: stored " + Crc32c.hex(stored) + ", computed " + Crc32c.hex(computed));
    }
    if (t != WalDescriptor.TYPE_SERIES && t != WalDescriptor.TYPE_SAMPLES && t != WalDescriptor.TYPE_TOMBSTONES) {
      throw corrupt(pos, "unknown record type " + t);
    }
    type = t;
    payload.reset(seg, body, body + length);
    pos = body + length;
    return true;
  }

  private int crc(long start, long body, long length) {
    java.util.zip.CRC32C c = new java.util.zip.CRC32C();
    c.update(seg.asSlice(start, WalDescriptor.CRC_OFFSET).asByteBuffer());
    c.update(seg.asSlice(body, length).asByteBuffer());
    return (int) c.getValue();
  }

  public byte type() {
    return type;
  }

  /** The current record's payload; valid until {@link #next()} or {@link #close()}. */
  public ByteDecoder payload() {
    return payload;
  }

  /** Offset of the current record's header. */
  public long recordOffset() {
    return recordStart;
  }

  public String name() {
    return name;
  }

  public int index() {
    return index;
  }

  public long size() {
    return size;
  }

  @Override
  public void close() {
    arena.close();
  }
}
