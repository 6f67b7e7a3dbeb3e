package io.vigil.push;

import io.vigil.model.Labels;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte array that journal records are encoded into: fixed-width integers big-endian,
 * LEB128 varints (zig-zag for signed), UTF-8 strings with a length prefix. Reused across records
 * (the writer swaps two of them). Not thread-safe.
 */
final class RecordBuffer {
  private byte[] buf;
  private int size;

  RecordBuffer(int initialCapacity) {
    buf = new byte[Math.max(64, initialCapacity)];
  }

  private void ensure(int n) {
    if (size + n > buf.length) {
      long want = Math.max(buf.length * 2L, (long) size + n);
      if (want > Integer.MAX_VALUE - 16) {
        throw new IllegalStateException("journal buffer would exceed 2 GiB");
      }
      buf = Arrays.copyOf(buf, (int) want);
    }
  }

  int size() {
    return size;
  }

  byte[] array() {
    return buf;
  }

  void reset() {
    size = 0;
  }

  /** Drops everything after {@code newSize} (an encoding that failed half-way). */
  void truncate(int newSize) {
    size = newSize;
  }

  /** Capacity back to {@code max} if a huge record made it grow past it. */
  void shrink(int max) {
    if (buf.length > max && size <= max) {
      buf = Arrays.copyOf(buf, max);
    }
  }

  RecordBuffer writeByte(int b) {
    ensure(1);
    buf[size++] = (byte) b;
    return this;
  }

  RecordBuffer writeInt(int v) {
    ensure(4);
    putInt(buf, size, v);
    size += 4;
    return this;
  }

  RecordBuffer writeLong(long v) {
    ensure(8);
    for (int i = 7; i >= 0; i--) {
      buf[size++] = (byte) (v >>> (i * 8));
    }
    return this;
  }

  /** The raw bits, so NaN payloads (a pushed NaN that happens to look like a staleness marker) survive. */
  RecordBuffer writeDouble(double v) {
    return writeLong(Double.doubleToRawLongBits(v));
  }

  RecordBuffer writeUvarint(long v) {
    ensure(10);
    while ((v & ~0x7fL) != 0) {
      buf[size++] = (byte) ((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    buf[size++] = (byte) v;
    return this;
  }

  RecordBuffer writeVarint(long v) {
    return writeUvarint((v << 1) ^ (v >> 63));
  }

  RecordBuffer writeString(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    writeUvarint(b.length);
    ensure(b.length);
    System.arraycopy(b, 0, buf, size, b.length);
    size += b.length;
    return this;
  }

  RecordBuffer writeLabels(Labels labels) {
    writeUvarint(labels.size());
    for (int i = 0; i < labels.size(); i++) {
      writeString(labels.name(i));
      writeString(labels.value(i));
    }
    return this;
  }

  /** Reserves {@code n} bytes (a header filled in later) and returns their offset. */
  int skip(int n) {
    ensure(n);
    int at = size;
    size += n;
    return at;
  }

  static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }

  static int getInt(byte[] b, int at) {
    return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
  }
}
