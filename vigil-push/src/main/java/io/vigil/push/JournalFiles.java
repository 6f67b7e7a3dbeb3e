package io.vigil.push;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** File-system steps of the journal that must be crash-safe: headers, fsync of files and directories. */
final class JournalFiles {
  private JournalFiles() {}

  /** Creates a new file with its header, fsynced, and fsyncs the directory so the name survives. */
  static FileChannel create(Path file, byte kind, boolean fsync) throws IOException {
    FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try {
      ch.write(header(kind));
      if (fsync) {
        ch.force(true);
        syncDir(file.getParent());
      }
      return ch;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  static ByteBuffer header(byte kind) {
    ByteBuffer b = ByteBuffer.allocate(JournalDescriptor.FILE_HEADER_BYTES);
    b.putInt(JournalDescriptor.MAGIC).put(JournalDescriptor.VERSION).put(kind).putShort((short) 0);
    return b.flip();
  }

  /** Makes renames, creations and deletions in {@code dir} durable (fsync of the directory). */
  static void syncDir(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }

  static long sizeOrZero(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }
}
