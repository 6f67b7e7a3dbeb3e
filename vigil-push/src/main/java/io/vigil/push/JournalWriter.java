package io.vigil.push;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;

/**
 * Appends records to the current segment with group commit (docs/format/push-journal.md, "Writing").
 *
 * <p>{@link #append} encodes a record into an in-memory buffer and returns its log sequence number
 * (LSN: bytes appended since this writer started, the end of the record). {@link #awaitDurable}
 * returns once a write and fsync covering that LSN has completed. The I/O is done by one dedicated
 * thread: it takes everything buffered, writes it with one call and fsyncs once, so all changes that
 * arrived while the previous fsync ran share the next one. Request threads never touch the file:
 * an interrupted thread would close a {@link FileChannel} under everyone's feet.
 *
 * <p>Lock order: the caller's (store) lock, then {@code io} (file operations), then {@code buffer}.
 * Thread-safe. After an I/O error every waiter whose record was not yet durable gets that error,
 * and appends are refused until {@link #startSegment} succeeds (the store then writes a snapshot).
 */
final class JournalWriter implements AutoCloseable {
  /** Buffer capacity kept between batches; a huge record may grow it, it shrinks back after. */
  private static final int BUFFER_BYTES = 256 << 10;

  private final Path dir;
  private final boolean fsync;
  private final PushMetrics metrics;
  private final ReentrantLock io = new ReentrantLock();
  private final ReentrantLock buffer = new ReentrantLock();
  private final ReentrantLock sync = new ReentrantLock();
  private final Condition syncRequested = sync.newCondition();
  private final Condition syncDone = sync.newCondition();
  private final CRC32C crc = new CRC32C();
  private final Thread ioThread;

  private RecordBuffer pending = new RecordBuffer(BUFFER_BYTES);
  private RecordBuffer spare = new RecordBuffer(BUFFER_BYTES);
  private long appendedLsn;
  private long requestedLsn;
  private volatile long durableLsn;
  private volatile IOException failure;
  private volatile boolean closed;

  private FileChannel channel;
  private long segment;
  private volatile long segmentBytes;

  JournalWriter(Path dir, boolean fsync, PushMetrics metrics) {
    this.dir = dir;
    this.fsync = fsync;
    this.metrics = metrics;
    this.ioThread = Thread.ofPlatform().name("vigil-push-journal").daemon(true).start(this::ioLoop);
  }

  /** Encodes a record's payload. */
  @FunctionalInterface
  interface Payload {
    void writeTo(RecordBuffer out);
  }

  /**
   * Buffers one record; the caller holds the store lock, so records are in the order of changes.
   *
   * @return the LSN to pass to {@link #awaitDurable}
   * @throws IOException if the journal has failed and not been repaired
   */
  long append(byte type, Payload payload) throws IOException {
    IOException f = failure;
    if (f != null) {
      throw f;
    }
    buffer.lock();
    try {
      RecordBuffer b = pending;
      int start = b.skip(JournalDescriptor.RECORD_HEADER_BYTES);
      try {
        payload.writeTo(b);
      } catch (RuntimeException e) {
        b.truncate(start);
        throw e;
      }
      int length = b.size() - start - JournalDescriptor.RECORD_HEADER_BYTES;
      if (length > JournalDescriptor.MAX_PAYLOAD_BYTES) {
        b.truncate(start);
        throw new IOException("journal record of " + length + " bytes exceeds the maximum of "
            + JournalDescriptor.MAX_PAYLOAD_BYTES);
      }
      RecordFraming.fill(b.array(), start, type, length, crc);
      appendedLsn += JournalDescriptor.RECORD_HEADER_BYTES + length;
      return appendedLsn;
    } finally {
      buffer.unlock();
    }
  }

  /** Blocks until the record ending at {@code lsn} is written (and fsynced, if enabled). */
  void awaitDurable(long lsn) throws IOException {
    if (durableLsn >= lsn) {
      return;
    }
    sync.lock();
    try {
      if (lsn > requestedLsn) {
        requestedLsn = lsn;
        syncRequested.signal();
      }
      while (durableLsn < lsn) {
        IOException f = failure;
        if (f != null) {
          throw f;
        }
        if (closed) {
          throw new IOException("push journal closed before the change was written");
        }
        syncDone.awaitUninterruptibly();
      }
    } finally {
      sync.unlock();
    }
  }

  private void ioLoop() {
    while (true) {
      sync.lock();
      try {
        while (!closed && requestedLsn <= durableLsn) {
          syncRequested.awaitUninterruptibly();
        }
        if (closed && requestedLsn <= durableLsn) {
          return;
        }
      } finally {
        sync.unlock();
      }
      io.lock();
      try {
        if (failure == null && channel != null) {
          flushLocked();
        }
      } catch (IOException e) {
        // recorded in failure; the waiters get it below
      } finally {
        io.unlock();
      }
      sync.lock();
      try {
        syncDone.signalAll();
        if (failure != null) {
          requestedLsn = durableLsn; // nothing more to do until the journal is repaired
        }
      } finally {
        sync.unlock();
      }
    }
  }

  /** Writes and fsyncs everything buffered; the caller holds {@code io}. */
  private void flushLocked() throws IOException {
    RecordBuffer batch;
    long upTo;
    buffer.lock();
    try {
      batch = pending;
      pending = spare;
      spare = batch;
      upTo = appendedLsn;
    } finally {
      buffer.unlock();
    }
    try {
      if (batch.size() > 0) {
        JournalFiles.writeFully(channel, ByteBuffer.wrap(batch.array(), 0, batch.size()));
        segmentBytes += batch.size();
        if (fsync) {
          long start = System.nanoTime();
          channel.force(false);
          metrics.fsync(System.nanoTime() - start);
        }
      }
      durableLsn = upTo;
    } catch (IOException e) {
      failure = new IOException("push journal write to " + dir.resolve(JournalDescriptor.segmentName(segment))
          + " failed: " + e.getMessage(), e);
      throw failure;
    } finally {
      batch.reset();
      batch.shrink(BUFFER_BYTES);
    }
  }

  /**
   * Flushes the current segment (if healthy), closes it and starts segment {@code n}. After a
   * failure the buffered records are dropped (the caller is about to write a snapshot of the whole
   * state) and the failure is cleared. The caller holds the store lock, so nothing is appended
   * meanwhile.
   */
  void startSegment(long n) throws IOException {
    io.lock();
    try {
      if (channel != null) {
        if (failure == null) {
          flushLocked();
        } else {
          buffer.lock();
          try {
            pending.reset();
            durableLsn = appendedLsn; // nobody waits on dropped records any more: they got the failure
          } finally {
            buffer.unlock();
          }
        }
        try {
          channel.close();
        } catch (IOException ignored) {
          // the old segment is complete, or about to be replaced by a snapshot
        }
        channel = null;
      }
      channel = JournalFiles.create(dir.resolve(JournalDescriptor.segmentName(n)), JournalDescriptor.KIND_SEGMENT, fsync);
      segment = n;
      segmentBytes = JournalDescriptor.FILE_HEADER_BYTES;
      failure = null;
    } catch (IOException e) {
      failure = e;
      throw e;
    } finally {
      io.unlock();
    }
    sync.lock();
    try {
      syncDone.signalAll();
    } finally {
      sync.unlock();
    }
  }

  boolean failed() {
    return failure != null;
  }

  long segment() {
    return segment;
  }

  long segmentBytes() {
    return segmentBytes;
  }

  /** Writes what is buffered, stops the I/O thread and closes the segment. */
  @Override
  public void close() throws IOException {
    io.lock();
    try {
      if (channel != null) {
        if (failure == null) {
          flushLocked();
        }
        channel.close();
        channel = null;
      }
    } finally {
      io.unlock();
      sync.lock();
      try {
        closed = true;
        syncRequested.signalAll();
        syncDone.signalAll();
      } finally {
        sync.unlock();
      }
    }
    try {
      ioThread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
