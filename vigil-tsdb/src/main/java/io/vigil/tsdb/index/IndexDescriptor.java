package io.vigil.tsdb.index;

/** Offsets and sizes of the block index; see docs/format/index.md. */
public final class IndexDescriptor {
  private IndexDescriptor() {}

  /** "VIDX": Vigil index. */
  public static final int MAGIC = 0x56494458;
  public static final int VERSION = 1;
  public static final int HEADER_BYTES = 8;
  /**
   * Series entries start at multiples of this; a series id is its entry's offset divided by it. 4
   * (not Prometheus's 16) wastes 1.5 bytes of padding a series instead of 7.5 and still lets u32 ids
   * address 16 GiB of series entries.
   */
  public static final int SERIES_ALIGNMENT = 4;
  /** Four u64 section offsets, the i64 base time and a crc32c. */
  public static final int TOC_BYTES = 5 * 8 + 4;
  /** Bytes of the TOC covered by its crc. */
  public static final int TOC_CRC_COVERS = 5 * 8;
  public static final int CRC_BYTES = 4;
  public static final String FILE = "index";
}
