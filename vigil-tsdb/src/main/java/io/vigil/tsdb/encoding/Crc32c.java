package io.vigil.tsdb.encoding;

import java.lang.foreign.MemorySegment;
import java.util.zip.CRC32C;

/** CRC-32C helpers over arrays and memory segments (java.util.zip.CRC32C uses the CPU instruction). */
public final class Crc32c {
  private Crc32c() {}

  public static int of(byte[] b, int off, int len) {
    CRC32C c = new CRC32C();
    c.update(b, off, len);
    return (int) c.getValue();
  }

  /** CRC of {@code [from, to)}; for mapped files this reads through the mapping without copying. */
  public static int of(MemorySegment seg, long from, long to) {
    CRC32C c = new CRC32C();
    c.update(seg.asSlice(from, to - from).asByteBuffer());
    return (int) c.getValue();
  }

  /** Formats a stored CRC for messages: 0x followed by 8 hex digits. */
  public static String hex(int crc) {
    return String.format("0x%08x", crc);
  }
}
