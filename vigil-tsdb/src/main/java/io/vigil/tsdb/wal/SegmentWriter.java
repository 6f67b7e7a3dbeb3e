package io.vigil.tsdb.wal;

import io.vigil.tsdb.encoding.ByteBuf;
import io.vigil.tsdb.fs.FileSync;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes framed records sequentially into numbered segments of one directory (a checkpoint), starting
 * new segments at the size limit. Everything is fsynced by {@link #close()}. Single-threaded.
 */
final class SegmentWriter implements AutoCloseable {
  private final Path dir;
  private final long segmentBytes;
  private FileChannel ch;
  private int index = -1;
  private long size;

  SegmentWriter(Path dir, long segmentBytes) throws IOException {
    this.dir = dir;
    this.segmentBytes = segmentBytes;
    next();
  }

  private void next() throws IOException {
    if (ch != null) {
      ch.force(false);
      ch.close();
    }
    index++;
    ch = FileChannel.open(dir.resolve(WalDescriptor.segmentName(index)), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    ByteBuffer header = ByteBuffer.allocate(WalDescriptor.SEGMENT_HEADER_BYTES);
    header.putInt(WalDescriptor.MAGIC).put((byte) WalDescriptor.VERSION).put(new byte[3]).flip();
    writeFully(header);
    size = WalDescriptor.SEGMENT_HEADER_BYTES;
  }

  void write(ByteBuf records) throws IOException {
    if (records.isEmpty()) {
      return;
    }
    if (size + records.length() > segmentBytes && size > WalDescriptor.SEGMENT_HEADER_BYTES) {
      next();
    }
    writeFully(ByteBuffer.wrap(records.array(), 0, records.length()));
    size += records.length();
  }

  private void writeFully(ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }

  @Override
  public void close() throws IOException {
    ch.force(false);
    ch.close();
    FileSync.directory(dir);
  }
}
