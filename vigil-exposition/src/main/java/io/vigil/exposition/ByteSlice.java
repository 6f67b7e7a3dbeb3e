package io.vigil.exposition;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A window on a byte array: {@code array()[offset() .. offset() + length())}. Parsers hand these
 * out as <em>views</em>: the parser owns the instance and re-points it on every {@code next()}, so a
 * view is only valid until then. Keep bytes with {@link #copy()} or {@link #toByteArray()}.
 *
 * <p>{@link #equals} and {@link #hashCode} look at the content, so a view can be used to look up a
 * {@code HashMap<ByteSlice, V>} without allocating (the scrape cache's hit path). Only ever insert
 * {@link #copy() copies} as keys: a view changes under the map.
 *
 * <p>Not thread-safe.
 */
public final class ByteSlice implements Comparable<ByteSlice> {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final byte[] NONE = new byte[0];

  private byte[] array = NONE;
  private int offset;
  private int length;
  private int hash; // 0 = not computed yet

  /** An empty view, to be pointed at data by a parser. */
  ByteSlice() {}

  private ByteSlice(byte[] array, int offset, int length) {
    set(array, offset, length);
  }

  /** A slice holding its own copy of {@code array[offset .. offset+length)}. */
  public static ByteSlice copyOf(byte[] array, int offset, int length) {
    return new ByteSlice(Arrays.copyOfRange(array, offset, offset + length), 0, length);
  }

  /** A slice holding the UTF-8 bytes of {@code s}. */
  public static ByteSlice of(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return new ByteSlice(b, 0, b.length);
  }

  void set(byte[] array, int offset, int length) {
    this.array = array;
    this.offset = offset;
    this.length = length;
    this.hash = 0;
  }

  /** The backing array, shared: do not modify it. */
  public byte[] array() {
    return array;
  }

  public int offset() {
    return offset;
  }

  public int length() {
    return length;
  }

  public byte byteAt(int i) {
    return array[offset + Objects.checkIndex(i, length)];
  }

  /** An independent slice with its own array: safe to keep and to use as a map key. */
  public ByteSlice copy() {
    return copyOf(array, offset, length);
  }

  public byte[] toByteArray() {
    return Arrays.copyOfRange(array, offset, offset + length);
  }

  public boolean contentEquals(byte[] other, int otherOffset, int otherLength) {
    return Arrays.equals(array, offset, offset + length, other, otherOffset, otherOffset + otherLength);
  }

  /** The content decoded as UTF-8. */
  @Override
  public String toString() {
    return new String(array, offset, length, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ByteSlice s && s.length == length
        && Arrays.equals(array, offset, offset + length, s.array, s.offset, s.offset + length);
  }

  /**
   * A hash of the content, eight bytes per step (series keys are 20 to 200 bytes long, so this is
   * a large share of a cache lookup). Cached until the view moves.
   */
  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = computeHash();
      hash = h == 0 ? 1 : h;
    }
    return h;
  }

  private int computeHash() {
    long h = 0x9E3779B97F4A7C15L ^ length;
    int i = offset;
    int stop = offset + length;
    for (; i + 8 <= stop; i += 8) {
      h = (h ^ (long) LONGS.get(array, i)) * 0xBF58476D1CE4E5B9L;
      h ^= h >>> 31;
    }
    long tail = 0;
    for (int shift = 0; i < stop; i++, shift += 8) {
      tail |= (array[i] & 0xffL) << shift;
    }
    h = (h ^ tail) * 0x94D049BB133111EBL;
    h ^= h >>> 29;
    return (int) (h ^ (h >>> 32));
  }

  /** Unsigned lexicographic order, as Go compares byte strings. */
  @Override
  public int compareTo(ByteSlice o) {
    return Arrays.compareUnsigned(array, offset, offset + length, o.array, o.offset, o.offset + o.length);
  }
}
