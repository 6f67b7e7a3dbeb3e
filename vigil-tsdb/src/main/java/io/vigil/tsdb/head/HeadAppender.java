package io.vigil.tsdb.head;

import io.vigil.model.Labels;
import io.vigil.storage.Appender;
import io.vigil.storage.SampleRejectedException;
import io.vigil.storage.SampleRejectedException.Reason;
import io.vigil.storage.StorageException;

/**
 * An appender into the head. Samples are validated at append time against the committed state plus
 * this appender's own pending samples, buffered in primitive arrays and applied at commit (see
 * {@link Head}). After commit or rollback the appender may start another batch. Not thread-safe.
 */
public final class HeadAppender implements Appender {
  private final Head head;
  private Head.Batch batch;

  HeadAppender(Head head) {
    this.head = head;
  }

  @Override
  public long append(long ref, Labels labels, long timestampMs, double value) {
    MemSeries s = ref != 0 ? head.series.get(ref) : null;
    // A foreign or stale ref with labels is not an error: compare the precomputed hashes (a
    // collision of two 64-bit hashes is not a practical concern) and look up by labels otherwise.
    if (s == null || (labels != null && s.labels.hash64() != labels.hash64())) {
      s = head.getOrCreate(labels);
    }
    while (!add(s, timestampMs, value)) {
      s = head.getOrCreate(labels); // removed by truncation under our feet: find or create again
    }
    return s.ref;
  }

  @Override
  public void append(long ref, long timestampMs, double value) {
    MemSeries s = head.series.get(ref);
    if (s == null || !add(s, timestampMs, value)) {
      throw new SampleRejectedException(Reason.UNKNOWN_SERIES, "unknown series ref " + ref);
    }
  }

  /** Validates and buffers one sample; false if the series was removed meanwhile. */
  private boolean add(MemSeries s, long t, double v) {
    long bits = Double.doubleToRawLongBits(v);
    if (batch == null) {
      head.ensureOpen();
      batch = head.takeBatch(this);
    } else if (batch.expired) {
      throw new StorageException("the appender was held open too long without commit or rollback and head compaction "
          + "discarded its batch; roll back and start again");
    }
    int verdict;
    synchronized (s) {
      if (s.removed) {
        return false;
      }
      long effMax = s.maxT();
      long effBits = s.lastValueBits();
      if (s.pendingOwner == this && s.pendingMaxT > effMax) {
        effMax = s.pendingMaxT;
        effBits = s.pendingBits;
      }
      verdict = Head.classify(effMax, effBits, t, bits, batch.minValid, batch.oooFloor);
      if (verdict == Head.IN_ORDER || verdict == Head.OUT_OF_ORDER_ACCEPTED) {
        s.pendingCommits++;
        if (verdict == Head.IN_ORDER) {
          s.pendingOwner = this;
          s.pendingMaxT = t;
          s.pendingBits = bits;
        }
      }
    }
    switch (verdict) {
      case Head.IN_ORDER, Head.OUT_OF_ORDER_ACCEPTED -> batch.add(s, t, bits);
      case Head.DUPLICATE_IGNORED -> { } // Prometheus ignores a repeat of the same sample
      default -> throw head.reject(verdict, s, t);
    }
    return true;
  }

  @Override
  public void commit() {
    Head.Batch b = batch;
    if (b == null) {
      return;
    }
    batch = null;
    try {
      head.commit(b);
    } catch (StorageException e) {
      // commit() released the pending marks of a batch it did not apply
      throw e;
    } finally {
      head.returnBatch(b);
    }
  }

  @Override
  public void rollback() {
    Head.Batch b = batch;
    if (b == null) {
      return;
    }
    batch = null;
    head.releasePending(b);
    head.returnBatch(b);
  }
}
