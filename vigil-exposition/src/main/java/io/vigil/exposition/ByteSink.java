package io.vigil.exposition;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer that writers append to. The caller owns it: writers only ever append, so
 * a sink can carry a prefix (an HTTP header, a previous exposition) and be reused after
 * {@link #reset()} without reallocating. Not thread-safe.
 */
public final class ByteSink {
  private byte[] buf;
  private int size;

  public ByteSink() {
    this(4096);
  }

  public ByteSink(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  /** Makes room for {@code n} more bytes. */
  void ensure(int n) {
    if (size + n > buf.length) {
      long want = Math.max((long) buf.length * 2, (long) size + n);
      if (want > Integer.MAX_VALUE - 16) {
        throw new OutOfMemoryError("ByteSink would exceed 2 GiB");
      }
      buf = Arrays.copyOf(buf, (int) want);
    }
  }

  public ByteSink write(int b) {
    ensure(1);
    buf[size++] = (byte) b;
    return this;
  }

  public ByteSink write(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, buf, size, len);
    size += len;
    return this;
  }

  public ByteSink write(byte[] b) {
    return write(b, 0, b.length);
  }

  /** Appends the chars of {@code s}, which must all be ASCII (names, keywords, numbers). */
  public ByteSink writeAscii(String s) {
    int n = s.length();
    ensure(n);
    s.getBytes(0, n, buf, size); // the deprecated method is the one that copies chars as bytes without a charset
    size += n;
    return this;
  }

  public ByteSink writeUtf8(String s) {
    return write(s.getBytes(StandardCharsets.UTF_8));
  }

  /** Appends a decimal long. */
  public ByteSink writeLong(long v) {
    ensure(20);
    if (v < 0) {
      buf[size++] = '-';
      if (v == Long.MIN_VALUE) {
        return writeAscii("9223372036854775808");
      }
      v = -v;
    }
    int digits = 1;
    for (long t = v; t >= 10; t /= 10) {
      digits++;
    }
    int p = size + digits;
    do {
      buf[--p] = (byte) ('0' + (v % 10));
      v /= 10;
    } while (v != 0);
    size += digits;
    return this;
  }

  /**
   * The internal array, valid up to {@link #size()}: for handing the bytes on without a copy (e.g.
   * {@code ByteBuffer.wrap(array(), 0, size())}). Shared; a later write may replace it.
   */
  public byte[] array() {
    return buf;
  }

  void setSize(int newSize) {
    size = newSize;
  }

  public int size() {
    return size;
  }

  public ByteSink reset() {
    size = 0;
    return this;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }

  public void writeTo(OutputStream out) throws IOException {
    out.write(buf, 0, size);
  }

  /** The content decoded as UTF-8. */
  @Override
  public String toString() {
    return new String(buf, 0, size, StandardCharsets.UTF_8);
  }
}
