package io.vigil.tsdb.encoding;

/** Malformed bytes: a read past the end, an overlong varint, an impossible length. Carries the offset. */
public final class DecodeException extends RuntimeException {
  private final long offset;

  public DecodeException(long offset, String message) {
    super(message + " at offset " + offset);
    this.offset = offset;
  }

  public long offset() {
    return offset;
  }
}
