package io.vigil.tsdb.encoding;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Reads the encodings of {@link ByteBuf} from a memory segment (a memory-mapped file or a heap array
 * via {@link MemorySegment#ofArray(byte[])}) between a start and an end offset. Every read is bounds
 * checked against the end: malformed input raises {@link DecodeException} with the offset, never an
 * unbounded allocation or a read past the range. Not thread-safe; cheap to create.
 */
public final class ByteDecoder {
  private static final ValueLayout.OfInt INT_BE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
  private static final ValueLayout.OfLong LONG_BE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

  private MemorySegment seg;
  private long pos;
  private long end;

  public ByteDecoder(MemorySegment seg, long start, long end) {
    reset(seg, start, end);
  }

  public static ByteDecoder of(byte[] bytes) {
    return new ByteDecoder(MemorySegment.ofArray(bytes), 0, bytes.length);
  }

  public ByteDecoder reset(MemorySegment seg, long start, long end) {
    if (start < 0 || end < start || end > seg.byteSize()) {
      throw new DecodeException(start, "range [" + start + ", " + end + ") outside " + seg.byteSize() + " bytes");
    }
    this.seg = seg;
    this.pos = start;
    this.end = end;
    return this;
  }

  public long position() {
    return pos;
  }

  public void position(long p) {
    if (p < 0 || p > end) {
      throw new DecodeException(p, "position outside range ending at " + end);
    }
    pos = p;
  }

  public long end() {
    return end;
  }

  public long remaining() {
    return end - pos;
  }

  public boolean hasRemaining() {
    return pos < end;
  }

  private void need(long n, String what) {
    if (end - pos < n) {
      throw new DecodeException(pos, "truncated " + what + ": need " + n + " bytes, " + (end - pos) + " left");
    }
  }

  public int u8() {
    need(1, "byte");
    return seg.get(ValueLayout.JAVA_BYTE, pos++) & 0xFF;
  }

  public int u32() {
    need(4, "u32");
    int v = seg.get(INT_BE, pos);
    pos += 4;
    return v;
  }

  public long u64() {
    need(8, "u64");
    long v = seg.get(LONG_BE, pos);
    pos += 8;
    return v;
  }

  public long uvarint() {
    long result = 0;
    long start = pos;
    for (int shift = 0; shift < 70; shift += 7) {
      if (pos >= end) {
        throw new DecodeException(start, "truncated uvarint");
      }
      byte b = seg.get(ValueLayout.JAVA_BYTE, pos++);
      if (shift == 63 && (b & 0xFE) != 0) {
        throw new DecodeException(start, "uvarint overflows 64 bits");
      }
      result |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        return result;
      }
    }
    throw new DecodeException(start, "uvarint longer than 10 bytes");
  }

  /** A uvarint that must fit in a non-negative int no larger than {@code max} (a length or count). */
  public int uvarintInt(int max, String what) {
    long start = pos;
    long v = uvarint();
    if (v < 0 || v > max) {
      throw new DecodeException(start, what + " " + Long.toUnsignedString(v) + " exceeds " + max);
    }
    return (int) v;
  }

  public long varint() {
    long u = uvarint();
    return (u >>> 1) ^ -(u & 1);
  }

  public byte[] bytes(int n) {
    need(n, "bytes");
    byte[] out = new byte[n];
    MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, pos, out, 0, n);
    pos += n;
    return out;
  }

  public void skip(long n) {
    need(n, "skip");
    pos += n;
  }

  /** A uvarint length then that many UTF-8 bytes. */
  public String string() {
    long start = pos;
    long len = uvarint();
    if (len < 0 || len > remaining()) {
      throw new DecodeException(start, "string length " + Long.toUnsignedString(len) + " exceeds the " + remaining() + " bytes left");
    }
    return new String(bytes((int) len), StandardCharsets.UTF_8);
  }

  /** CRC-32C of {@code [from, to)} of the underlying segment. */
  public int crc32c(long from, long to) {
    return Crc32c.of(seg, from, to);
  }
}
