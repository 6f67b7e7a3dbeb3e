package io.vigil.tsdb.chunkenc;

/** Chunk encodings and their one-byte ids, as listed in docs/format/chunks.md. */
public enum Encoding {
  XOR(1);

  private final byte id;

  Encoding(int id) {
    this.id = (byte) id;
  }

  public byte id() {
    return id;
  }

  /** The encoding with this id, or null for an unknown (or damaged) id. */
  public static Encoding ofId(int id) {
    return id == 1 ? XOR : null;
  }
}
