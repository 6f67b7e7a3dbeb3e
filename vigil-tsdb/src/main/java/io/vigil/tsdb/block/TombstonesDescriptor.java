package io.vigil.tsdb.block;

/** Offsets and sizes of a block's tombstones file; see docs/format/tombstones.md. */
public final class TombstonesDescriptor {
  private TombstonesDescriptor() {}

  /** "VITS": Vigil tombstones. */
  public static final int MAGIC = 0x56495453;
  public static final int VERSION = 1;
  public static final int HEADER_BYTES = 8;
  public static final int CRC_BYTES = 4;
  public static final String FILE = "tombstones";
}
