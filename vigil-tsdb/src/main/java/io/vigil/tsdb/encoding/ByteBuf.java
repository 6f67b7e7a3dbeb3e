package io.vigil.tsdb.encoding;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable, append-only byte buffer: the caller-owned destination of every encoder in the TSDB
 * (chunks, WAL records, index sections). Encoders append after whatever is already there and never
 * touch bytes before the position they started at. Integers are big-endian; varints follow the
 * conventions of docs/format/README.md. Not thread-safe.
 */
public final class ByteBuf {
  private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private byte[] array;
  private int length;

  public ByteBuf() {
    this(64);
  }

  public ByteBuf(int initialCapacity) {
    array = new byte[Math.max(8, initialCapacity)];
  }

  /** The backing array; valid until the next append (which may reallocate). Bytes past length are undefined. */
  public byte[] array() {
    return array;
  }

  public int length() {
    return length;
  }

  public boolean isEmpty() {
    return length == 0;
  }

  public ByteBuf clear() {
    length = 0;
    return this;
  }

  /** Shrinks to {@code newLength} (dropping bytes at the end); never grows. */
  public void truncate(int newLength) {
    if (newLength < 0 || newLength > length) {
      throw new IllegalArgumentException("truncate to " + newLength + " of " + length);
    }
    length = newLength;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(array, length);
  }

  /** Makes room for {@code n} more bytes. */
  public void ensure(int n) {
    int need = length + n;
    if (need > array.length) {
      if (need < 0) {
        throw new IllegalStateException("buffer over 2 GiB");
      }
      array = Arrays.copyOf(array, Math.max(need, array.length + (array.length >> 1)));
    }
  }

  /**
   * Counts {@code n} more bytes as written: the caller wrote them into {@link #array()} after
   * {@link #ensure} made room.
   */
  public void advance(int n) {
    if (n < 0 || length + n > array.length) {
      throw new IndexOutOfBoundsException("advance by " + n + " at " + length + " of capacity " + array.length);
    }
    length += n;
  }

  public ByteBuf put(int b) {
    ensure(1);
    array[length++] = (byte) b;
    return this;
  }

  public ByteBuf put(byte[] src) {
    return put(src, 0, src.length);
  }

  public ByteBuf put(byte[] src, int off, int len) {
    ensure(len);
    System.arraycopy(src, off, array, length, len);
    length += len;
    return this;
  }

  public ByteBuf putShortBE(int v) {
    ensure(2);
    array[length] = (byte) (v >>> 8);
    array[length + 1] = (byte) v;
    length += 2;
    return this;
  }

  public ByteBuf putIntBE(int v) {
    ensure(4);
    INT_BE.set(array, length, v);
    length += 4;
    return this;
  }

  public ByteBuf putLongBE(long v) {
    ensure(8);
    LONG_BE.set(array, length, v);
    length += 8;
    return this;
  }

  /** Overwrites 4 bytes at {@code pos} (which must be below length), e.g. a length field written last. */
  public void setIntBE(int pos, int v) {
    if (pos < 0 || pos + 4 > length) {
      throw new IndexOutOfBoundsException("setIntBE at " + pos + " of " + length);
    }
    INT_BE.set(array, pos, v);
  }

  public ByteBuf putUvarint(long v) {
    ensure(10);
    while ((v & ~0x7FL) != 0) {
      array[length++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    array[length++] = (byte) v;
    return this;
  }

  /** Zigzag then uvarint: small magnitudes of either sign take few bytes. */
  public ByteBuf putVarint(long v) {
    return putUvarint((v << 1) ^ (v >> 63));
  }

  /** A uvarint length followed by the UTF-8 bytes. */
  public ByteBuf putString(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    putUvarint(b.length);
    return put(b);
  }

  /** Number of bytes {@link #putUvarint} writes for {@code v}. */
  public static int uvarintSize(long v) {
    // 7 payload bits a byte; a zero still takes one byte.
    int bits = 64 - Long.numberOfLeadingZeros(v | 1);
    return (bits + 6) / 7;
  }
}
