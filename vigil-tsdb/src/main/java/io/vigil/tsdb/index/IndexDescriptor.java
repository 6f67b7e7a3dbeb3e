package io.vigil.tsdb.index;

/** Offsets and sizes of the block index; see docs/format/index.md. */
public final class IndexDescriptor {
  private IndexDescriptor() {}

  /** "VIDX": Vigil index. */
  public static final int MAGIC = 0x56494458;
  public static final int VERSION = 1;
  public static final int HEADER_BYTES = 8;
  /** Series entries start at multiples of this; a series id is its entry's offset divided by it. */
  public static final int SERIES_ALIGNMENT = 16;
  /** Four u64 section offsets and a crc32c. */
  public static final int TOC_BYTES = 4 * 8 + 4;
  public static final int CRC_BYTES = 4;
  public static final String FILE = "index";
}
