package io.vigil.tsdb.chunks;

/** Offsets and sizes of block chunk segment files; see docs/format/chunks.md. */
public final class ChunkFileDescriptor {
  private ChunkFileDescriptor() {}

  /** "VICK": Vigil chunks. */
  public static final int MAGIC = 0x5649434B;
  public static final int VERSION = 1;
  public static final int HEADER_BYTES = 8;
  public static final int CRC_BYTES = 4;
  /** Half of the 32-bit offset space: offsets in refs never overflow, files stay easy to copy. */
  public static final long MAX_SEGMENT_BYTES = 512L << 20;
  public static final String DIR = "chunks";

  public static String segmentName(int seq) {
    return String.format("%06d", seq);
  }

  public static long ref(int seq, long offset) {
    return ((long) seq << 32) | offset;
  }

  public static int seq(long ref) {
    return (int) (ref >>> 32);
  }

  public static long offset(long ref) {
    return ref & 0xFFFF_FFFFL;
  }
}
