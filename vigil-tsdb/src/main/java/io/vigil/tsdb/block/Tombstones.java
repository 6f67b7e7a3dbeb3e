package io.vigil.tsdb.block;

import io.vigil.tsdb.encoding.ByteBuf;
import io.vigil.tsdb.encoding.ByteDecoder;
import io.vigil.tsdb.encoding.Crc32c;
import io.vigil.tsdb.encoding.DecodeException;
import io.vigil.tsdb.fs.FileSync;
import io.vigil.tsdb.query.Intervals;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** Reads and writes a block's tombstones file: deleted intervals per series id. */
public final class Tombstones {
  private Tombstones() {}

  public static void write(Path dir, Map<Integer, Intervals> tombstones) throws IOException {
    ByteBuf b = new ByteBuf(64);
    b.putIntBE(TombstonesDescriptor.MAGIC).put(TombstonesDescriptor.VERSION).put(0).put(0).put(0);
    TreeMap<Integer, Intervals> sorted = new TreeMap<>(Integer::compareUnsigned);
    sorted.putAll(tombstones);
    long count = sorted.values().stream().mapToLong(Intervals::size).sum();
    b.putUvarint(count);
    sorted.forEach((id, iv) -> {
      for (int i = 0; i < iv.size(); i++) {
        b.putUvarint(id & 0xFFFF_FFFFL).putVarint(iv.mint(i)).putVarint(iv.maxt(i));
      }
    });
    b.putIntBE(Crc32c.of(b.array(), 0, b.length()));
    FileSync.writeAtomically(dir.resolve(TombstonesDescriptor.FILE), b.toByteArray());
  }

  /**
   * Reads {@code dir/tombstones}; a missing file reads as empty.
   *
   * @throws CorruptBlockException on a bad magic, version, checksum or structure
   */
  public static Map<Integer, Intervals> read(Path dir) throws CorruptBlockException, IOException {
    byte[] b;
    try {
      b = Files.readAllBytes(dir.resolve(TombstonesDescriptor.FILE));
    } catch (NoSuchFileException e) {
      return Collections.emptyMap();
    }
    String where = TombstonesDescriptor.FILE + " ";
    if (b.length < TombstonesDescriptor.HEADER_BYTES + 1 + TombstonesDescriptor.CRC_BYTES) {
      throw new CorruptBlockException(dir, where + "truncated: " + b.length + " bytes", null);
    }
    ByteDecoder d = ByteDecoder.of(b);
    int magic = d.u32();
    if (magic != TombstonesDescriptor.MAGIC) {
      throw new CorruptBlockException(dir, where + String.format("bad magic 0x%08x", magic), null);
    }
    int version = d.u8();
    if (version != TombstonesDescriptor.VERSION) {
      throw new CorruptBlockException(dir, where + "unsupported version " + version + " (known: " + TombstonesDescriptor.VERSION + ")", null);
    }
    int stored = ByteDecoder.of(b).reset(java.lang.foreign.MemorySegment.ofArray(b), b.length - 4, b.length).u32();
    int computed = Crc32c.of(b, 0, b.length - 4);
    if (stored != computed) {
      throw new CorruptBlockException(dir, where + "checksum mismatch: stored " + Crc32c.hex(stored) + ", computed " + Crc32c.hex(computed), null);
    }
    try {
      d = new ByteDecoder(java.lang.foreign.MemorySegment.ofArray(b), TombstonesDescriptor.HEADER_BYTES, b.length - 4);
      long count = d.uvarint();
      Map<Integer, Intervals> out = new TreeMap<>(Integer::compareUnsigned);
      for (long i = 0; i < count; i++) {
        long id = d.uvarint();
        if (id > 0xFFFF_FFFFL) {
          throw new DecodeException(d.position(), "series id " + id + " out of range");
        }
        long mint = d.varint();
        long maxt = d.varint();
        out.merge((int) id, Intervals.of(mint, maxt), Intervals::addAll);
      }
      if (d.hasRemaining()) {
        throw new DecodeException(d.position(), d.remaining() + " unexpected bytes after " + count + " intervals");
      }
      return out;
    } catch (DecodeException e) {
      throw new CorruptBlockException(dir, where + "malformed: " + e.getMessage(), e);
    }
  }
}
