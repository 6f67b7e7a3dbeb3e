package io.vigil.tsdb.chunkenc;

import io.vigil.storage.SampleIterator;

/**
 * The encoded samples of one series over a time range. Immutable and thread-safe. One class per
 * encoding; switch over them exhaustively.
 */
public sealed interface Chunk permits XorChunk, PackedChunk {
  Encoding encoding();

  int numSamples();

  /** The encoded data, exactly the chunk's bytes. Owned by the chunk: callers must not modify it. */
  byte[] bytes();

  /**
   * An iterator over the chunk's samples.
   *
   * @param reuse an iterator from any earlier {@code iterator} call to reset instead of allocating
   *     (it must not be in use any more); may be null or of another kind
   */
  SampleIterator iterator(SampleIterator reuse);

  /**
   * Wraps encoded data read from disk or a WAL.
   *
   * @throws IllegalArgumentException if the data is too short to be a chunk of that encoding
   */
  static Chunk of(Encoding encoding, byte[] data) {
    return switch (encoding) {
      case XOR -> new XorChunk(data);
      case PACKED -> PackedChunk.wrap(data);
      case TIMESTAMPS -> throw new IllegalArgumentException("a timestamp column is not a chunk of samples");
    };
  }
}
