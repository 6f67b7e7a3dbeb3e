package io.vigil.remote;

import io.airlift.compress.v3.MalformedInputException;
import io.airlift.compress.v3.snappy.SnappyJavaCompressor;
import io.airlift.compress.v3.snappy.SnappyJavaDecompressor;

/**
 * The snappy block format (not the framed/stream format) that remote write bodies use: a varint
 * uncompressed length, then literal and copy elements. Decompression reads the declared length
 * first, so callers can refuse a body whose declared size is over their limit before allocating
 * anything (a 20-byte body may claim 4 GiB).
 *
 * <p>Thread-safety: the static methods are safe; a {@link #compressor()} instance is not (it keeps
 * its hash table between calls to avoid allocating one per block).
 */
final class SnappyBlock {
  private static final SnappyJavaDecompressor DECOMPRESSOR = new SnappyJavaDecompressor();

  private SnappyBlock() {}

  /** The body is not valid snappy; the message says where and what. */
  static final class CorruptException extends Exception {
    CorruptException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The uncompressed length the block declares in its varint header (up to 2^32 - 1, as the format
   * allows).
   *
   * @throws CorruptException if the header is missing, longer than 5 bytes or over 32 bits
   */
  static long declaredLength(byte[] in, int offset, int length) throws CorruptException {
    long result = 0;
    for (int i = 0; i < 5; i++) {
      if (i >= length) {
        throw new CorruptException("snappy: corrupt input: truncated length header (" + length + " bytes)");
      }
      int b = in[offset + i] & 0xff;
      result |= (long) (b & 0x7f) << (7 * i);
      if (b < 0x80) {
        if (result > 0xffff_ffffL) {
          throw new CorruptException("snappy: corrupt input: declared length " + result + " exceeds 32 bits");
        }
        return result;
      }
    }
    throw new CorruptException("snappy: corrupt input: length header longer than 5 bytes");
  }

  /**
   * Decompresses a whole block into {@code out}, which the caller sized from {@link #declaredLength}.
   *
   * @return the number of bytes written, always equal to the declared length
   * @throws CorruptException if the block is malformed or does not produce its declared length
   */
  static int decompress(byte[] in, int offset, int length, byte[] out, int declared) throws CorruptException {
    int n;
    try {
      n = DECOMPRESSOR.decompress(in, offset, length, out, 0, declared);
    } catch (MalformedInputException e) {
      throw new CorruptException("snappy: corrupt input at offset " + e.getOffset() + ": " + e.getMessage());
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      throw new CorruptException("snappy: corrupt input: " + e.getMessage());
    }
    if (n != declared) {
      throw new CorruptException("snappy: corrupt input: produced " + n + " bytes, header declared " + declared);
    }
    return n;
  }

  /** A compressor for one thread; see the class comment. */
  static SnappyJavaCompressor compressor() {
    return new SnappyJavaCompressor();
  }
}
