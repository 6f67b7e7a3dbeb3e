package io.vigil.tsdb.wal;

import io.vigil.tsdb.encoding.ByteBuf;
import io.vigil.tsdb.head.CommitLog;
import io.vigil.tsdb.fs.FileSync;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WAL writer: appends framed records to numbered segment files and makes them durable with
 * group commit. {@link #write} is called in commit order (under the head's commit lock) and returns
 * a logical position (bytes written since open); {@link #sync} returns once an fsync that started
 * after that position was reached has completed. Concurrent syncs queue on one lock, and each fsync
 * covers every write made before it started, so N committers waiting together cost one fsync.
 *
 * <p>A failed write (ENOSPC, EFBIG, EIO) is cut back off the segment and reported; the WAL stays
 * usable, so commits succeed again once space returns. A failed fsync is permanent: after it the
 * kernel may have dropped dirty pages, so nothing later can be promised durable and the WAL refuses
 * all further work until reopened (the approach PostgreSQL settled on).
 *
 * <p>A new WAL always starts a fresh segment after the existing ones, never appending to a segment
 * that may end in a torn record.
 */
public final class Wal implements CommitLog, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Wal.class);

  private final Path dir;
  private final long segmentBytes;
  private final WalMetrics metrics;
  private final Object writeLock = new Object();
  private final ReentrantLock syncLock = new ReentrantLock();

  private FileChannel current; // guarded by writeLock
  private int currentIndex; // guarded by writeLock
  private long currentSize; // guarded by writeLock
  private long writtenPos; // guarded by writeLock
  private volatile long syncedPos;
  private volatile IOException failure;
  private volatile boolean closed;

  private Wal(Path dir, long segmentBytes, WalMetrics metrics) {
    this.dir = dir;
    this.segmentBytes = segmentBytes;
    this.metrics = metrics;
  }

  /**
   * Opens the WAL in {@code dir} for writing, starting segment {@code last existing + 1} (0 when
   * empty). Call after replay and repair.
   */
  public static Wal open(Path dir, long segmentBytes, WalMetrics metrics) throws IOException {
    if (segmentBytes < WalDescriptor.SEGMENT_HEADER_BYTES + WalDescriptor.RECORD_HEADER_BYTES) {
      throw new IllegalArgumentException("WAL segment size too small: " + segmentBytes);
    }
    Files.createDirectories(dir);
    Wal w = new Wal(dir, segmentBytes, metrics);
    List<Integer> segs = segments(dir);
    synchronized (w.writeLock) {
      w.openSegment(segs.isEmpty() ? 0 : segs.get(segs.size() - 1) + 1);
    }
    return w;
  }

  /** Sequence numbers of the segment files in {@code dir}, ascending (checkpoints excluded). */
  public static List<Integer> segments(Path dir) throws IOException {
    List<Integer> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (n.length() == 8 && n.chars().allMatch(Character::isDigit) && Files.isRegularFile(p)) {
          out.add(Integer.parseInt(n));
        }
      }
    }
    out.sort(null);
    return out;
  }

  /** Creates segment {@code index} with its header, fsynced with its directory entry. */
  private void openSegment(int index) throws IOException {
    Path p = dir.resolve(WalDescriptor.segmentName(index));
    FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try {
      ByteBuffer header = ByteBuffer.allocate(WalDescriptor.SEGMENT_HEADER_BYTES);
      header.putInt(WalDescriptor.MAGIC).put((byte) WalDescriptor.VERSION).put(new byte[3]).flip();
      while (header.hasRemaining()) {
        ch.write(header);
      }
      ch.force(true);
      FileSync.directory(dir);
    } catch (IOException e) {
      ch.close();
      Files.deleteIfExists(p);
      throw e;
    }
    current = ch;
    currentIndex = index;
    currentSize = WalDescriptor.SEGMENT_HEADER_BYTES;
    metrics.currentSegment.set(index);
  }

  /** Fsyncs and closes the current segment and starts the next one. The caller holds writeLock. */
  private void rotate() throws IOException {
    FileChannel old = current;
    try {
      old.force(false);
    } catch (IOException e) {
      fail(e);
      throw e;
    }
    old.close();
    openSegment(currentIndex + 1);
  }

  @Override
  public long write(ByteBuf... records) throws IOException {
    synchronized (writeLock) {
      checkUsable();
      long total = 0;
      for (ByteBuf r : records) {
        total += r.length();
      }
      if (currentSize + total > segmentBytes && currentSize > WalDescriptor.SEGMENT_HEADER_BYTES) {
        rotate();
      }
      long before = currentSize;
      ByteBuffer[] bufs = new ByteBuffer[records.length];
      for (int i = 0; i < records.length; i++) {
        bufs[i] = ByteBuffer.wrap(records[i].array(), 0, records[i].length());
      }
      try {
        long done = 0;
        while (done < total) {
          done += current.write(bufs);
        }
      } catch (IOException e) {
        metrics.writesFailed.inc();
        undoPartialWrite(before, e);
        throw e;
      }
      currentSize += total;
      writtenPos += total;
      metrics.bytesWritten.inc(total);
      return writtenPos;
    }
  }

  /** Cuts a partly written record off the segment so that the log holds whole records only. */
  private void undoPartialWrite(long size, IOException cause) {
    try {
      current.truncate(size);
      current.position(size);
    } catch (IOException e) {
      cause.addSuppressed(e);
      fail(new IOException("WAL segment " + WalDescriptor.segmentName(currentIndex)
          + " could not be cut back after a failed write: " + e.getMessage(), cause));
    }
  }

  @Override
  public void sync(long position) throws IOException {
    if (syncedPos >= position) {
      return;
    }
    syncLock.lock();
    try {
      if (syncedPos >= position) {
        return; // someone else's fsync covered us while we queued
      }
      checkUsable();
      long target;
      FileChannel ch;
      synchronized (writeLock) {
        target = writtenPos;
        ch = current;
      }
      long start = System.nanoTime();
      try {
        ch.force(false);
      } catch (ClosedChannelException e) {
        // Rotated meanwhile: rotation fsyncs the old segment before closing it.
        checkUsable();
      } catch (IOException e) {
        fail(e);
        throw failure;
      }
      metrics.fsyncDuration.observe((System.nanoTime() - start) / 1e9);
      syncedPos = target;
    } finally {
      syncLock.unlock();
    }
  }

  private void fail(IOException e) {
    if (failure == null) {
      failure = new IOException("WAL failed: " + e.getMessage() + "; no further writes until the TSDB is reopened", e);
      log.error("WAL in {} failed; refusing further commits: {}", dir, e.toString());
    }
  }

  private void checkUsable() throws IOException {
    if (failure != null) {
      throw failure;
    }
    if (closed) {
      throw new ClosedChannelException();
    }
  }

  @Override
  public long syncedPosition() {
    return syncedPos;
  }

  @Override
  public boolean failed() {
    return failure != null;
  }

  /** The segment being written. */
  public int currentSegment() {
    synchronized (writeLock) {
      return currentIndex;
    }
  }

  /**
   * Closes the current segment and starts a new one, so that everything before it can be
   * checkpointed; returns the sequence number of the last closed segment.
   */
  public int nextSegment() throws IOException {
    synchronized (writeLock) {
      checkUsable();
      int closedIndex = currentIndex;
      rotate();
      return closedIndex;
    }
  }

  public Path dir() {
    return dir;
  }

  /** Bytes of all segments and checkpoints on disk. */
  public long sizeBytes() {
    return FileSync.sizeOf(dir);
  }

  @Override
  public void close() throws IOException {
    syncLock.lock();
    try {
      synchronized (writeLock) {
        if (closed) {
          return;
        }
        closed = true;
        if (failure == null) {
          current.force(false);
          syncedPos = writtenPos; // commits still waiting for a sync are covered by this one
        }
        current.close();
      }
    } finally {
      syncLock.unlock();
    }
  }
}
