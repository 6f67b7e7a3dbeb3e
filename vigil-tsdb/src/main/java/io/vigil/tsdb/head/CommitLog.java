package io.vigil.tsdb.head;

import io.vigil.tsdb.encoding.ByteBuf;
import java.io.IOException;

/** Where the head makes commits durable before applying them: the WAL. */
public interface CommitLog {
  /**
   * Appends already framed records in one write. Called with the head's commit lock held, so the log
   * order is the commit order. On failure nothing of the records remains in the log.
   *
   * @return the log position just after the records, to pass to {@link #sync}
   */
  long write(ByteBuf... records) throws IOException;

  /**
   * Returns once everything up to {@code position} is durable; concurrent callers share one fsync.
   * If it throws, {@link #failed()} is true from then on.
   */
  void sync(long position) throws IOException;

  /** Everything up to this position is durable. */
  long syncedPosition();

  /** Whether the log has failed for good (an fsync error): nothing written after the failure is durable. */
  boolean failed();
}
