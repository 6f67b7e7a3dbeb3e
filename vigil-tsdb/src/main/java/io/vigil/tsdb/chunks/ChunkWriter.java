package io.vigil.tsdb.chunks;

import io.vigil.tsdb.chunkenc.Encoding;
import io.vigil.tsdb.encoding.ByteBuf;
import io.vigil.tsdb.fs.FileSync;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Writes chunks sequentially into the segment files of a block's {@code chunks/} directory and
 * returns their references. Buffers writes; {@link #close()} fsyncs every file. Single-threaded.
 */
public final class ChunkWriter implements AutoCloseable {
  private static final int FLUSH_BYTES = 1 << 20;

  private final Path dir;
  private final long maxSegmentBytes;
  private final ByteBuf buf = new ByteBuf(FLUSH_BYTES + 4096);
  private FileChannel ch;
  private int seq;
  private long size;
  private long totalBytes;

  public ChunkWriter(Path blockDir) throws IOException {
    this(blockDir, ChunkFileDescriptor.MAX_SEGMENT_BYTES);
  }

  /** @param maxSegmentBytes for tests that want several files */
  public ChunkWriter(Path blockDir, long maxSegmentBytes) throws IOException {
    this.dir = blockDir.resolve(ChunkFileDescriptor.DIR);
    this.maxSegmentBytes = maxSegmentBytes;
    Files.createDirectories(dir);
  }

  /** Appends one chunk; returns its reference. */
  public long write(Encoding encoding, byte[] data, int off, int len) throws IOException {
    long need = ByteBuf.uvarintSize(len) + 1L + len + ChunkFileDescriptor.CRC_BYTES;
    if (ch == null || (size + need > maxSegmentBytes && size > ChunkFileDescriptor.HEADER_BYTES)) {
      nextSegment();
    }
    long ref = ChunkFileDescriptor.ref(seq, size);
    buf.putUvarint(len);
    int crcFrom = buf.length();
    buf.put(encoding.id());
    buf.put(data, off, len);
    CRC32C crc = new CRC32C();
    crc.update(buf.array(), crcFrom, 1 + len);
    buf.putIntBE((int) crc.getValue());
    size += need;
    if (buf.length() >= FLUSH_BYTES) {
      flush();
    }
    return ref;
  }

  private void nextSegment() throws IOException {
    if (ch != null) {
      flush();
      ch.force(true);
      ch.close();
    }
    seq++;
    ch = FileChannel.open(dir.resolve(ChunkFileDescriptor.segmentName(seq)), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    buf.putIntBE(ChunkFileDescriptor.MAGIC).put(ChunkFileDescriptor.VERSION).put(0).put(0).put(0);
    size = ChunkFileDescriptor.HEADER_BYTES;
  }

  private void flush() throws IOException {
    ByteBuffer b = ByteBuffer.wrap(buf.array(), 0, buf.length());
    while (b.hasRemaining()) {
      ch.write(b);
    }
    totalBytes += buf.length();
    buf.clear();
  }

  /** Bytes written so far (flushed or not). */
  public long sizeBytes() {
    return totalBytes + buf.length();
  }

  @Override
  public void close() throws IOException {
    if (ch != null) {
      flush();
      ch.force(true);
      ch.close();
      ch = null;
    }
    FileSync.directory(dir);
  }
}
