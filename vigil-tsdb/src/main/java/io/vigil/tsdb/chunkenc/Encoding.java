package io.vigil.tsdb.chunkenc;

/** Chunk encodings and their one-byte ids, as listed in docs/format/chunks.md. */
public enum Encoding {
  XOR(1),
  PACKED(2),
  /** Not a chunk of samples: a block's shared timestamp column (see {@link TimestampColumn}). */
  TIMESTAMPS(3);

  private final byte id;

  Encoding(int id) {
    this.id = (byte) id;
  }

  public byte id() {
    return id;
  }

  /** The encoding with this id, or null for an unknown (or damaged) id. */
  public static Encoding ofId(int id) {
    return switch (id) {
      case 1 -> XOR;
      case 2 -> PACKED;
      case 3 -> TIMESTAMPS;
      default -> null;
    };
  }
}
