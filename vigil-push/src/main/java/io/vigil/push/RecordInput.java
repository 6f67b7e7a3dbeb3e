package io.vigil.push;

import io.vigil.model.Labels;
import java.nio.charset.StandardCharsets;

/**
 * Reads what {@link RecordBuffer} wrote, from one record's payload. Every read is bounds-checked:
 * a payload that passed its CRC but does not decode (a bug, or a file from a newer version) is a
 * {@link DecodeException}, never an index error.
 */
final class RecordInput {
  /** A payload that does not decode; the message says what was expected. */
  static final class DecodeException extends Exception {
    DecodeException(String message) {
      super(message, null, false, false);
    }
  }

  private final byte[] buf;
  private int pos;
  private final int end;

  RecordInput(byte[] buf) {
    this.buf = buf;
    this.pos = 0;
    this.end = buf.length;
  }

  boolean hasMore() {
    return pos < end;
  }

  int position() {
    return pos;
  }

  private void need(int n, String what) throws DecodeException {
    if (end - pos < n) {
      throw new DecodeException("payload ends inside " + what + " at byte " + pos);
    }
  }

  int readByte() throws DecodeException {
    need(1, "a byte");
    return buf[pos++] & 0xff;
  }

  long readLong() throws DecodeException {
    need(8, "a 64-bit value");
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = v << 8 | (buf[pos++] & 0xff);
    }
    return v;
  }

  double readDouble() throws DecodeException {
    return Double.longBitsToDouble(readLong());
  }

  long readUvarint() throws DecodeException {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      need(1, "a varint");
      int b = buf[pos++] & 0xff;
      v |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw new DecodeException("varint longer than 10 bytes at byte " + pos);
  }

  long readVarint() throws DecodeException {
    long u = readUvarint();
    return (u >>> 1) ^ -(u & 1);
  }

  /** A count that must fit in what is left of the payload, at least {@code minBytesEach} per item. */
  int readCount(int minBytesEach, String what) throws DecodeException {
    long n = readUvarint();
    if (n < 0 || n > (long) (end - pos) / Math.max(1, minBytesEach)) {
      throw new DecodeException(what + " count " + n + " does not fit in the payload");
    }
    return (int) n;
  }

  String readString() throws DecodeException {
    int n = readCount(1, "string byte");
    String s = new String(buf, pos, n, StandardCharsets.UTF_8);
    pos += n;
    return s;
  }

  /** Labels as written by {@link RecordBuffer#writeLabels}: sorted, distinct names, non-empty values. */
  Labels readLabels() throws DecodeException {
    int n = readCount(4, "label");
    String[] pairs = new String[n * 2];
    for (int i = 0; i < n; i++) {
      pairs[2 * i] = readString();
      pairs[2 * i + 1] = readString();
      if (pairs[2 * i + 1].isEmpty() || (i > 0 && pairs[2 * i - 2].compareTo(pairs[2 * i]) >= 0)) {
        throw new DecodeException("labels not sorted, repeated or with an empty value near byte " + pos);
      }
    }
    return Labels.fromSortedPairs(pairs);
  }
}
