package io.vigil.tsdb.chunks;

import io.vigil.tsdb.chunkenc.Encoding;
import io.vigil.tsdb.chunkenc.XorIterator;
import io.vigil.tsdb.encoding.ByteDecoder;
import io.vigil.tsdb.encoding.Crc32c;
import io.vigil.tsdb.encoding.DecodeException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The memory-mapped chunk segment files of one block. Mappings live in the arena the block owns and
 * are unmapped when it closes. Every read checks the chunk's CRC; {@link #verifyAll()} checks them
 * all. Thread-safe for reads (the arena is shared).
 */
public final class ChunkReader {
  private static final ValueLayout.OfInt INT_BE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

  /**
   * Decoded timestamp columns kept per block: series of one target share them, and a query walks
   * many such series. Bounded by entries (at most ~15 MB of 240-sample columns); cleared when full.
   */
  static final int MAX_CACHED_COLUMNS = 8192;

  private final Path dir;
  private final MemorySegment[] segments; // index = file sequence; [0] unused
  private final long sizeBytes;
  private final java.util.concurrent.ConcurrentHashMap<Long, long[]> columns = new java.util.concurrent.ConcurrentHashMap<>();

  public ChunkReader(Path blockDir, Arena arena) throws IOException {
    this.dir = blockDir.resolve(ChunkFileDescriptor.DIR);
    List<Integer> seqs = new ArrayList<>();
    if (Files.isDirectory(dir)) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
        for (Path p : ds) {
          String n = p.getFileName().toString();
          if (n.length() == 6 && n.chars().allMatch(Character::isDigit)) {
            seqs.add(Integer.parseInt(n));
          }
        }
      }
    }
    seqs.sort(null);
    for (int i = 0; i < seqs.size(); i++) {
      if (seqs.get(i) != i + 1) {
        throw new CorruptChunkException(dir.resolve(ChunkFileDescriptor.segmentName(i + 1)), 0, "chunk segment file missing");
      }
    }
    segments = new MemorySegment[seqs.size() + 1];
    long total = 0;
    for (int seq : seqs) {
      Path p = dir.resolve(ChunkFileDescriptor.segmentName(seq));
      try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
        long size = ch.size();
        if (size < ChunkFileDescriptor.HEADER_BYTES) {
          throw new CorruptChunkException(p, 0, "file of " + size + " bytes is shorter than its header");
        }
        MemorySegment m = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
        int magic = m.get(INT_BE, 0);
        if (magic != ChunkFileDescriptor.MAGIC) {
          throw new CorruptChunkException(p, 0, String.format("bad magic 0x%08x; not a chunk file", magic));
        }
        int version = m.get(ValueLayout.JAVA_BYTE, 4) & 0xFF;
        if (version != ChunkFileDescriptor.VERSION) {
          throw new CorruptChunkException(p, 4, "unsupported chunk file version " + version + " (known: " + ChunkFileDescriptor.VERSION + ")");
        }
        segments[seq] = m;
        total += size;
      }
    }
    this.sizeBytes = total;
  }

  public long sizeBytes() {
    return sizeBytes;
  }

  /** Where a chunk's data is: segment, data offset, length, encoding. */
  private record Location(MemorySegment seg, long data, int len, Encoding encoding) {}

  private Location locate(long ref) {
    int seq = ChunkFileDescriptor.seq(ref);
    long off = ChunkFileDescriptor.offset(ref);
    if (seq <= 0 || seq >= segments.length) {
      throw new CorruptChunkException(dir.resolve(ChunkFileDescriptor.segmentName(seq)), off, "chunk reference to a missing file");
    }
    MemorySegment seg = segments[seq];
    Path file = dir.resolve(ChunkFileDescriptor.segmentName(seq));
    if (off < ChunkFileDescriptor.HEADER_BYTES || off >= seg.byteSize()) {
      throw new CorruptChunkException(file, off, "chunk reference outside the file (" + seg.byteSize() + " bytes)");
    }
    ByteDecoder d = new ByteDecoder(seg, off, seg.byteSize());
    int len;
    try {
      len = d.uvarintInt(Integer.MAX_VALUE, "chunk length");
    } catch (DecodeException e) {
      throw new CorruptChunkException(file, off, e.getMessage());
    }
    long start = d.position();
    if (len > seg.byteSize() - start - 1 - ChunkFileDescriptor.CRC_BYTES) {
      throw new CorruptChunkException(file, off, "chunk length " + len + " runs past the end of the file");
    }
    int stored = seg.get(INT_BE, start + 1 + len);
    CRC32C c = new CRC32C();
    c.update(seg.asSlice(start, 1 + len).asByteBuffer());
    int computed = (int) c.getValue();
    if (stored != computed) {
      throw new CorruptChunkException(file, off, "chunk checksum mismatch: stored " + Crc32c.hex(stored) + ", computed " + Crc32c.hex(computed));
    }
    int id = seg.get(ValueLayout.JAVA_BYTE, start) & 0xFF;
    Encoding enc = Encoding.ofId(id);
    if (enc == null) {
      throw new CorruptChunkException(file, off, "unknown chunk encoding " + id);
    }
    return new Location(seg, start + 1, len, enc);
  }

  /**
   * Resets the iterator matching the chunk at {@code ref} (after checking its CRC) and returns it.
   *
   * @throws CorruptChunkException if the chunk (or its timestamp column) is damaged
   */
  public io.vigil.storage.SampleIterator load(long ref, XorIterator xor, io.vigil.tsdb.chunkenc.PackedIterator packed) {
    Location l = locate(ref);
    return switch (l.encoding()) {
      case XOR -> xor.reset(l.seg(), l.data(), l.len());
      case PACKED -> packed.reset(l.seg(), l.data(), l.len(), this::column);
      case TIMESTAMPS -> throw new CorruptChunkException(dir, ChunkFileDescriptor.offset(ref),
          "series refers to a timestamp column instead of a chunk");
    };
  }

  /** The decoded timestamp column at {@code ref}, from the cache when possible. */
  public long[] column(long ref) {
    long[] c = columns.get(ref);
    if (c == null) {
      Location l = locate(ref);
      if (l.encoding() != Encoding.TIMESTAMPS) {
        throw new CorruptChunkException(dir, ChunkFileDescriptor.offset(ref), "chunk refers to a " + l.encoding() + " record as its timestamp column");
      }
      c = io.vigil.tsdb.chunkenc.TimestampColumn.decode(l.seg(), l.data(), l.len());
      if (columns.size() >= MAX_CACHED_COLUMNS) {
        columns.clear();
      }
      columns.put(ref, c);
    }
    return c;
  }

  /** A copy of the chunk's data (for tests and tools). */
  public byte[] bytes(long ref) {
    Location l = locate(ref);
    byte[] out = new byte[l.len()];
    MemorySegment.copy(l.seg(), ValueLayout.JAVA_BYTE, l.data(), out, 0, l.len());
    return out;
  }

  /**
   * Checks the framing and CRC of every record (chunks and timestamp columns) in every file.
   *
   * @return the number of chunks of samples (timestamp columns not counted)
   * @throws CorruptChunkException at the first damaged chunk
   */
  public long verifyAll() {
    long n = 0;
    for (int seq = 1; seq < segments.length; seq++) {
      MemorySegment seg = segments[seq];
      long off = ChunkFileDescriptor.HEADER_BYTES;
      while (off < seg.byteSize()) {
        Location l = locate(ChunkFileDescriptor.ref(seq, off));
        off = l.data() + l.len() + ChunkFileDescriptor.CRC_BYTES;
        if (l.encoding() != Encoding.TIMESTAMPS) {
          n++;
        }
      }
    }
    return n;
  }
}
