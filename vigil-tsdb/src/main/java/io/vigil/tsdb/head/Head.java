package io.vigil.tsdb.head;

import io.vigil.model.Labels;
import io.vigil.model.Matcher;
import io.vigil.storage.SampleRejectedException;
import io.vigil.storage.SampleRejectedException.Reason;
import io.vigil.storage.StorageException;
import io.vigil.tsdb.encoding.ByteBuf;
import io.vigil.tsdb.query.PostingsForMatchers;
import io.vigil.tsdb.wal.WalRecords;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.roaringbitmap.RoaringBitmap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recent data in memory: series with stable references, their chunks, and an inverted index.
 *
 * <p>Commit protocol. A commit (1) under the commit lock writes its WAL records and takes the next
 * sequence number, so log order is sequence order; (2) waits for the group fsync covering its
 * records; (3) applies every durable batch in sequence order under the apply lock (whoever holds the
 * lock applies everybody's ready batches) and publishes the sequence to {@link Isolation}. Readers
 * therefore only ever see durable data, a batch appears all at once, and WAL replay, which applies
 * batches in log order with the same rules, rebuilds exactly the live state.
 *
 * <p>Thread-safe. Appenders are single-threaded objects from {@link #appender()}.
 */
public final class Head {
  private static final Logger log = LoggerFactory.getLogger(Head.class);

  /**
   * Fixed heap bytes of one series beyond labels and chunk data: the MemSeries object with its open
   * chunk's encoder state inline (~144), its chunk list and times (~70), the labels-map node and page
   * slot (~44) and postings entries (~2 per label, counted with labels). Used for the memory estimate
   * only; FootprintReport measures the real figure.
   */
  static final long SERIES_OVERHEAD_BYTES = 250;

  static final int IN_ORDER = 0;
  static final int OUT_OF_ORDER_ACCEPTED = 1;
  static final int DUPLICATE_IGNORED = 2;
  static final int REJECT_OUT_OF_ORDER = 3;
  static final int REJECT_OUT_OF_BOUNDS = 4;
  static final int REJECT_DUPLICATE = 5;

  final HeadOptions opts;
  final HeadMetrics metrics;
  private volatile CommitLog wal;
  final SeriesTable series = new SeriesTable();
  final MemPostings postings = new MemPostings();
  final Isolation isolation = new Isolation();

  private final ReentrantLock seriesLock = new ReentrantLock();
  private final ReentrantLock commitLock = new ReentrantLock();
  private final ReentrantLock applyLock = new ReentrantLock();
  private final SampleTally applyTally = new SampleTally(); // guarded by applyLock
  private final ConcurrentLinkedQueue<Batch> pending = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Batch> batchPool = new ConcurrentLinkedQueue<>();
  private final java.util.Set<Batch> openBatches = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final ByteBuf seriesRecordBuf = new ByteBuf(256); // guarded by commitLock
  private long lastSeq; // guarded by commitLock
  private int nextRef = 1; // guarded by seriesLock
  /** WAL references of series found under another reference at replay (see replaySeries). */
  private final java.util.Map<Integer, MemSeries> replayAliases = new java.util.concurrent.ConcurrentHashMap<>();

  private volatile long minValidTime = Long.MIN_VALUE;
  private final AtomicLong minTime = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong maxTime = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong oooMinTime = new AtomicLong(Long.MAX_VALUE);
  private final LongAdder chunkBytes = new LongAdder();
  private final LongAdder chunkCount = new LongAdder();
  private final LongAdder labelBytes = new LongAdder();
  private volatile boolean closed;

  /**
   * @param wal where commits are logged before they are applied; null for a memory-only head (tests,
   *     benchmarks, snapshots)
   */
  public Head(HeadOptions opts, HeadMetrics metrics, CommitLog wal) {
    this.opts = opts;
    this.metrics = metrics;
    this.wal = wal;
    metrics.registerGauges(this);
  }

  /** Attaches the WAL after replay: from now on every commit is logged. Call once, before any appender. */
  public void attachCommitLog(CommitLog log) {
    if (this.wal != null) {
      throw new IllegalStateException("commit log already attached");
    }
    this.wal = log;
  }

  public HeadAppender appender() {
    ensureOpen();
    return new HeadAppender(this);
  }

  /** A querier over {@code [mint, maxt]} that sees the batches committed so far and no later ones. */
  public HeadQuerier querier(long mint, long maxt) {
    ensureOpen();
    return new HeadQuerier(this, mint, maxt);
  }

  public int numSeries() {
    return series.size();
  }

  public long numChunks() {
    return chunkCount.sum();
  }

  /** Oldest out-of-order sample time in the head, Long.MAX_VALUE when there is none. */
  public long oooMinTime() {
    return oooMinTime.get();
  }

  /** Oldest in-order sample time in the head, Long.MAX_VALUE when empty. */
  public long minTime() {
    return minTime.get();
  }

  /** Newest sample time in the head, Long.MIN_VALUE when empty. */
  public long maxTime() {
    return maxTime.get();
  }

  /** In-order samples must not be older than this (the end of the newest persisted block). */
  public long minValidTime() {
    return minValidTime;
  }

  public HeadOptions options() {
    return opts;
  }

  public long estimatedMemoryBytes() {
    return series.size() * SERIES_OVERHEAD_BYTES + labelBytes.sum() + chunkBytes.sum() + postings.sizeBytes();
  }

  /** The oldest time an in-order sample may have now. */
  long appendableMinValidTime(long headMax) {
    if (headMax == Long.MIN_VALUE) {
      return minValidTime;
    }
    return Math.max(minValidTime, headMax - opts.chunkRangeMs() / 2);
  }

  /** The oldest time an out-of-order sample may have now; Long.MAX_VALUE when out-of-order is off. */
  long outOfOrderFloor(long headMax) {
    if (opts.outOfOrderWindowMs() == 0) {
      return Long.MAX_VALUE;
    }
    return headMax == Long.MIN_VALUE ? Long.MIN_VALUE : headMax - opts.outOfOrderWindowMs();
  }

  /**
   * Prometheus's acceptance rules for one sample against its series' newest sample
   * ({@code seriesMaxT}, {@code Long.MIN_VALUE} when none) and a window fixed when the batch began:
   * in-order samples must not be older than {@code minValid}, out-of-order ones not older than
   * {@code oooFloor}. The same window is applied at append and at commit, so a sample accepted by
   * append() is never dropped at commit() because other series moved the head forward meanwhile.
   */
  static int classify(long seriesMaxT, long seriesLastBits, long t, long bits, long minValid, long oooFloor) {
    if (seriesMaxT != Long.MIN_VALUE && t <= seriesMaxT) {
      if (t == seriesMaxT) {
        return bits == seriesLastBits ? DUPLICATE_IGNORED : REJECT_DUPLICATE;
      }
      return t >= oooFloor ? OUT_OF_ORDER_ACCEPTED : REJECT_OUT_OF_ORDER;
    }
    if (t < minValid) {
      return t >= oooFloor ? OUT_OF_ORDER_ACCEPTED : REJECT_OUT_OF_BOUNDS;
    }
    return IN_ORDER;
  }

  /** Counts a rejection and builds the exception an appender throws for it. */
  SampleRejectedException reject(int verdict, MemSeries s, long t) {
    return switch (verdict) {
      case REJECT_OUT_OF_ORDER -> {
        metrics.outOfOrder.inc();
        yield new SampleRejectedException(Reason.OUT_OF_ORDER, "out of order sample: timestamp " + t + " is older than the newest sample of " + s.labels);
      }
      case REJECT_OUT_OF_BOUNDS -> {
        metrics.outOfBounds.inc();
        yield new SampleRejectedException(Reason.OUT_OF_BOUNDS, "out of bounds: timestamp " + t + " is older than the head's appendable window for " + s.labels);
      }
      case REJECT_DUPLICATE -> {
        metrics.duplicates.inc();
        yield new SampleRejectedException(Reason.DUPLICATE_TIMESTAMP, "duplicate sample for timestamp " + t + " with a different value in " + s.labels);
      }
      default -> throw new IllegalArgumentException("not a rejection: " + verdict);
    };
  }

  /** The series with these labels, created if new. */
  MemSeries getOrCreate(Labels labels) {
    MemSeries s = series.get(labels);
    if (s != null) {
      return s;
    }
    if (labels == null || labels.isEmpty()) {
      throw new SampleRejectedException(Reason.INVALID_LABELS, "empty label set");
    }
    for (int i = 0; i < labels.size(); i++) {
      if (labels.name(i).isEmpty()) {
        throw new SampleRejectedException(Reason.INVALID_LABELS, "empty label name in " + labels);
      }
    }
    seriesLock.lock();
    try {
      s = series.get(labels);
      if (s != null) {
        return s;
      }
      if (opts.maxSeries() > 0 && series.size() >= opts.maxSeries()) {
        throw new SampleRejectedException(Reason.LIMIT, "head series limit " + opts.maxSeries() + " reached; not creating " + labels);
      }
      if (nextRef == Integer.MAX_VALUE) {
        throw new SampleRejectedException(Reason.LIMIT, "series references exhausted (2^31 series created since the WAL began)");
      }
      return createSeries(nextRef++, labels);
    } finally {
      seriesLock.unlock();
    }
  }

  /** Creates a series with a given reference; the caller holds seriesLock. */
  private MemSeries createSeries(int ref, Labels labels) {
    Labels interned = postings.add(ref, labels);
    MemSeries s = new MemSeries(ref, interned);
    series.put(s);
    labelBytes.add(32 + 16 + 4L * 2 * interned.size());
    metrics.seriesCreated.inc();
    return s;
  }

  // ---- commit -------------------------------------------------------------------------------

  /** A batch buffer, pooled across appenders. */
  static final class Batch {
    MemSeries[] series = new MemSeries[64];
    long[] ts = new long[64];
    long[] bits = new long[64];
    int[] refs = new int[64];
    int n;
    Object owner;
    final ByteBuf samplesRecord = new ByteBuf(1024);
    long seq;
    long walPos;
    /** The acceptance window, fixed when the batch began (see classify). */
    long minValid;
    long oooFloor;
    /** When the batch began (System.nanoTime), to expire batches an appender abandoned. */
    long startedNanos;
    /** Set under the commit lock when the batch starts committing; it can no longer expire. */
    boolean committing;
    /** Set under the commit lock by head compaction for a batch held open too long: it is discarded. */
    volatile boolean expired;
    /** 0 pending, 1 applied, 2 failed. Written under the apply lock, read by the owner after taking it. */
    int state;

    void add(MemSeries s, long t, long b) {
      if (n == ts.length) {
        int cap = n * 2;
        series = java.util.Arrays.copyOf(series, cap);
        ts = java.util.Arrays.copyOf(ts, cap);
        bits = java.util.Arrays.copyOf(bits, cap);
        refs = java.util.Arrays.copyOf(refs, cap);
      }
      series[n] = s;
      ts[n] = t;
      bits[n] = b;
      n++;
    }

    void clear() {
      java.util.Arrays.fill(series, 0, n, null);
      n = 0;
      owner = null;
      state = 0;
      samplesRecord.clear();
    }
  }

  /**
   * Starts a batch: registers it as open, then fixes its acceptance window. Registering first means
   * head compaction, which raises the minimum valid time and then waits for open batches with an
   * older window, can never miss a batch that still uses the old window.
   */
  Batch takeBatch(Object owner) {
    Batch b = batchPool.poll();
    if (b == null) {
      b = new Batch();
    }
    b.owner = owner;
    b.startedNanos = System.nanoTime();
    b.committing = false;
    b.expired = false;
    openBatches.add(b);
    long headMax = maxTime.get();
    b.minValid = appendableMinValidTime(headMax);
    b.oooFloor = outOfOrderFloor(headMax);
    return b;
  }

  /** Expires a batch unless it is already committing; returns whether it was expired. */
  private boolean expire(Batch b) {
    commitLock.lock();
    try {
      if (b.committing) {
        return false;
      }
      b.expired = true;
    } finally {
      commitLock.unlock();
    }
    log.warn("discarded an appender batch of {} samples held open for {} s without commit or rollback; its commit will fail",
        b.n, (System.nanoTime() - b.startedNanos) / 1_000_000_000L);
    return true;
  }

  void returnBatch(Batch b) {
    openBatches.remove(b);
    if (b.ts.length > 1 << 16) {
      return; // don't pool huge one-off batches
    }
    b.clear();
    batchPool.offer(b);
  }

  /**
   * Waits until no batch that began with a minimum valid time below {@code t} is still open, logging
   * every {@code logEveryMs} while it waits. Head compaction calls this after raising the minimum valid
   * time so that no late sample lands in a range being written to a block. A batch open for longer
   * than {@code expireAfterMs} that has not started committing is expired instead of waited for (an
   * appender abandoned without commit or rollback must not stop compaction forever): its samples are
   * dropped and its commit fails, so nothing acknowledged is lost.
   */
  public void awaitOpenBatchesBefore(long t, long logEveryMs, long expireAfterMs) {
    long start = System.nanoTime();
    long nextLog = start + logEveryMs * 1_000_000;
    while (true) {
      boolean any = false;
      for (Batch b : openBatches) {
        if (b.minValid < t && !b.expired) {
          if (System.nanoTime() - b.startedNanos > expireAfterMs * 1_000_000 && expire(b)) {
            continue;
          }
          any = true;
          break;
        }
      }
      if (!any) {
        return;
      }
      if (System.nanoTime() > nextLog) {
        log.warn("head compaction waiting for appenders that began before it ({} s so far)", (System.nanoTime() - start) / 1_000_000_000L);
        nextLog = System.nanoTime() + logEveryMs * 1_000_000;
      }
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StorageException("interrupted while waiting for appenders before head compaction");
      }
    }
  }

  /** Releases the pending marks of a batch that will not be applied. */
  void releasePending(Batch b) {
    for (int i = 0; i < b.n; i++) {
      MemSeries s = b.series[i];
      synchronized (s) {
        s.pendingCommits--;
        if (s.pendingOwner == b.owner) {
          s.pendingOwner = null;
        }
      }
    }
  }

  /**
   * Logs, syncs and applies a batch; returns when it is visible.
   *
   * @throws StorageException if the batch could not be made durable; then nothing of it is visible
   */
  void commit(Batch b) {
    if (b.n == 0) {
      return;
    }
    CommitLog wal = this.wal;
    if (wal != null) {
      for (int i = 0; i < b.n; i++) {
        b.refs[i] = b.series[i].ref;
      }
      WalRecords.encodeSamples(b.samplesRecord, b.refs, b.ts, b.bits, b.n);
    }
    commitLock.lock();
    try {
      if (closed) {
        releasePending(b);
        throw new StorageException("TSDB head is closed");
      }
      if (b.expired) {
        releasePending(b);
        throw new StorageException("commit failed: the appender was held open too long without commit or rollback and "
            + "head compaction discarded its batch; nothing of it was stored");
      }
      b.committing = true;
      if (wal != null) {
        writeToWal(wal, b);
      }
      b.seq = ++lastSeq;
      if (wal == null) {
        b.walPos = b.seq;
      }
      pending.add(b);
    } finally {
      commitLock.unlock();
    }
    IOException syncError = null;
    if (wal != null) {
      try {
        wal.sync(b.walPos);
      } catch (IOException e) {
        syncError = e;
      }
    }
    applyLock.lock();
    try {
      drain();
    } finally {
      applyLock.unlock();
    }
    if (b.state != 1) {
      throw new StorageException("commit failed: the WAL could not be synced; the batch is not visible and the "
          + "TSDB accepts no more writes until it is reopened", syncError);
    }
  }

  /** Writes the batch's series (if new to the WAL) and samples records; the caller holds commitLock. */
  private void writeToWal(CommitLog wal, Batch b) {
    seriesRecordBuf.clear();
    List<MemSeries> newlyLogged = null;
    for (int i = 0; i < b.n; i++) {
      MemSeries s = b.series[i];
      if (!s.walLogged) {
        s.walLogged = true; // tentatively, so a series twice in the batch is written once
        if (newlyLogged == null) {
          newlyLogged = new ArrayList<>();
        }
        newlyLogged.add(s);
      }
    }
    if (newlyLogged != null) {
      int[] refs = new int[newlyLogged.size()];
      Labels[] labels = new Labels[refs.length];
      for (int i = 0; i < refs.length; i++) {
        refs[i] = newlyLogged.get(i).ref;
        labels[i] = newlyLogged.get(i).labels;
      }
      WalRecords.encodeSeries(seriesRecordBuf, refs, labels, refs.length);
    }
    try {
      b.walPos = newlyLogged == null ? wal.write(b.samplesRecord) : wal.write(seriesRecordBuf, b.samplesRecord);
    } catch (IOException | RuntimeException e) {
      if (newlyLogged != null) {
        newlyLogged.forEach(s -> s.walLogged = false);
      }
      releasePending(b);
      throw new StorageException("commit failed: writing the WAL: " + e.getMessage()
          + "; the batch is not visible and later commits may succeed", e);
    }
  }

  /** Applies every ready batch in sequence order; the caller holds applyLock. */
  private void drain() {
    CommitLog wal = this.wal;
    Batch b;
    while ((b = pending.peek()) != null) {
      if (wal != null && b.walPos > wal.syncedPosition()) {
        if (!wal.failed()) {
          return; // its owner is still waiting for the fsync and will drain again
        }
        pending.poll();
        b.state = 2;
        releasePending(b);
        continue;
      }
      pending.poll();
      apply(b, b.seq);
      b.state = 1;
    }
  }

  /** Applies a batch under the apply lock (or during single-threaded replay). */
  private void apply(Batch b, long seq) {
    long lw = isolation.lowWatermark();
    SampleTally tally = applyTally;
    tally.reset();
    for (int i = 0; i < b.n; i++) {
      MemSeries s = b.series[i];
      synchronized (s) {
        s.pendingCommits--;
        if (s.pendingOwner == b.owner) {
          s.pendingOwner = null;
        }
        tally.apply(s, b.ts[i], b.bits[i], seq, lw, b.minValid, b.oooFloor, opts.chunkRangeMs());
      }
    }
    addTally(tally);
    isolation.publish(seq);
  }

  /** Adds what a batch or a replay shard applied to the head's time range, accounting and metrics. */
  void addTally(SampleTally t) {
    if (t.maxT != Long.MIN_VALUE) {
      minTime.accumulateAndGet(t.minT, Math::min);
      maxTime.accumulateAndGet(t.maxT, Math::max);
    }
    if (t.oooMinT != Long.MAX_VALUE) {
      oooMinTime.accumulateAndGet(t.oooMinT, Math::min);
    }
    if (t.appended > 0) {
      metrics.samplesAppended.inc(t.appended);
    }
    if (t.outOfOrderAppended > 0) {
      metrics.outOfOrderAppended.inc(t.outOfOrderAppended);
    }
    if (t.rejectedOutOfOrder > 0) {
      metrics.outOfOrder.inc(t.rejectedOutOfOrder);
    }
    if (t.rejectedOutOfBounds > 0) {
      metrics.outOfBounds.inc(t.rejectedOutOfBounds);
    }
    if (t.rejectedDuplicate > 0) {
      metrics.duplicates.inc(t.rejectedDuplicate);
    }
    chunkBytes.add(t.memAdded);
    chunkCount.add(t.chunksAdded);
  }

  // ---- replay ---------------------------------------------------------------------------------

  /**
   * Creates (or confirms) a series read from the WAL. The same labels under a second reference (the
   * series was removed from the head and created again before a checkpoint dropped the old record)
   * make the second reference an alias of the first, so the samples logged under it are kept.
   * Replay only: from one thread, before the head is used.
   */
  public void replaySeries(int ref, Labels labels) {
    seriesLock.lock();
    try {
      nextRef = Math.max(nextRef, ref + 1); // never hand out a reference the WAL already uses
      if (series.get(ref) != null || replayAliases.containsKey(ref)) {
        return;
      }
      MemSeries byLabels = series.get(labels);
      if (byLabels != null) {
        log.debug("WAL replay: series {} already present as ref {}, ref {} is an alias", labels, byLabels.ref, ref);
        replayAliases.put(ref, byLabels);
        return;
      }
      MemSeries s = createSeries(ref, labels);
      s.walLogged = true;
    } finally {
      seriesLock.unlock();
    }
  }

  /** The series a reference read from the WAL stands for, or null if none. */
  MemSeries replaySeriesFor(int ref) {
    MemSeries s = series.get(ref);
    return s != null || replayAliases.isEmpty() ? s : replayAliases.get(ref);
  }

  boolean hasReplayAliases() {
    return !replayAliases.isEmpty();
  }

  private final Batch replayBatch = new Batch();

  /** Whether WAL samples at {@code t} are replayed: in-order data before the newest block is in blocks already. */
  boolean replayKeeps(long t) {
    return t >= replayKeepFrom();
  }

  /** Replay skips samples older than this, and applies the rest with it as the minimum valid time. */
  long replayKeepFrom() {
    // The WAL holds samples accepted at append time: replay does not re-check the time window. In-order
    // data before the newest block is in blocks already (skipped); with an out-of-order window such
    // data may also be late samples not yet in a block, so it is kept (duplicates merge at query time).
    return opts.outOfOrderWindowMs() == 0 ? minValidTime : Long.MIN_VALUE;
  }

  /** The out-of-order floor replay applies samples with. */
  long replayOooFloor() {
    return opts.outOfOrderWindowMs() == 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
  }

  /** The sequence number of the next replayed batch, as a live commit would take it. */
  long nextReplaySeq() {
    commitLock.lock();
    try {
      return ++lastSeq;
    } finally {
      commitLock.unlock();
    }
  }

  /** Makes replayed batches up to {@code seq} visible (the sharded replay publishes once at the end). */
  void publishReplayed(long seq) {
    isolation.publish(seq);
  }

  /**
   * Applies a samples record read from the WAL with the live rules. Samples before the minimum valid
   * time are already in blocks and skipped. Single-threaded replay only; {@link ShardedReplay} is the
   * fast path that gives the same head.
   *
   * @return the number of samples whose series was unknown
   */
  public int replaySamples(int[] refs, long[] ts, long[] bits, int n) {
    Batch b = replayBatch;
    b.clear();
    b.minValid = replayKeepFrom();
    b.oooFloor = replayOooFloor();
    int unknown = 0;
    for (int i = 0; i < n; i++) {
      if (!replayKeeps(ts[i])) {
        continue;
      }
      MemSeries s = replaySeriesFor(refs[i]);
      if (s == null) {
        unknown++;
        continue;
      }
      synchronized (s) {
        s.pendingCommits++;
      }
      b.add(s, ts[i], bits[i]);
    }
    if (b.n > 0) {
      long seq = nextReplaySeq();
      applyLock.lock();
      try {
        apply(b, seq);
      } finally {
        applyLock.unlock();
      }
    }
    countUnknownReplayRefs(unknown);
    b.clear();
    return unknown;
  }

  void countUnknownReplayRefs(long n) {
    if (n > 0) {
      metrics.unknownReplayRefs.inc(n);
    }
  }

  /** A replay sink that applies samples on {@code shards} threads; see {@link ShardedReplay}. */
  public ShardedReplay shardedReplay(int shards) {
    return new ShardedReplay(this, shards);
  }

  /** Applies tombstones read from the WAL. */
  public void replayTombstones(int[] refs, long[] mints, long[] maxts, int n) {
    for (int i = 0; i < n; i++) {
      MemSeries s = replaySeriesFor(refs[i]);
      if (s != null) {
        synchronized (s) {
          s.deleted = s.deleted.add(mints[i], maxts[i]);
        }
      }
    }
  }

  /**
   * Whether a series with this reference is in the head (for WAL checkpoints). A replay alias is
   * live while its series is, so the checkpoint keeps the samples logged under it.
   */
  public boolean isLive(int ref) {
    if (series.get(ref) != null) {
      return true;
    }
    MemSeries alias = replayAliases.get(ref);
    return alias != null && series.get(alias.ref) == alias;
  }

  // ---- deletion -------------------------------------------------------------------------------

  /**
   * Marks samples in {@code [mint, maxt]} of the matching series deleted and logs the tombstones.
   *
   * @return the number of series affected
   */
  public int delete(long mint, long maxt, Matcher... matchers) {
    ensureOpen();
    CommitLog wal = this.wal;
    RoaringBitmap ids = postings.read(ix -> PostingsForMatchers.select(ix, matchers));
    int[] refs = ids.toArray();
    if (refs.length == 0) {
      return 0;
    }
    long[] mints = new long[refs.length];
    long[] maxts = new long[refs.length];
    java.util.Arrays.fill(mints, mint);
    java.util.Arrays.fill(maxts, maxt);
    if (wal != null) {
      ByteBuf rec = new ByteBuf(16 * refs.length + 16);
      WalRecords.encodeTombstones(rec, refs, mints, maxts, refs.length);
      long pos;
      commitLock.lock();
      try {
        pos = wal.write(rec);
      } catch (IOException e) {
        throw new StorageException("delete failed: writing the WAL: " + e.getMessage(), e);
      } finally {
        commitLock.unlock();
      }
      try {
        wal.sync(pos);
      } catch (IOException e) {
        throw new StorageException("delete failed: syncing the WAL: " + e.getMessage(), e);
      }
    }
    replayTombstones(refs, mints, maxts, refs.length);
    return refs.length;
  }

  // ---- truncation -----------------------------------------------------------------------------

  /**
   * Raises the minimum valid time: from now on no in-order sample older than {@code t} is accepted.
   * Taken under the apply lock so that no batch is half applied with the old limit.
   */
  public void setMinValidTime(long t) {
    applyLock.lock();
    try {
      if (t > minValidTime) {
        minValidTime = t;
      }
    } finally {
      applyLock.unlock();
    }
  }

  /**
   * Drops data before {@code mint} (now persisted in blocks) and removes series left empty. Waits
   * for queriers opened before this call that read before {@code mint} (logging every
   * {@code readerWaitLogMs}, giving up after {@code querierTimeoutMs}), so that they do not lose data
   * mid-query; appends continue meanwhile.
   *
   * @param flushedSeq out-of-order samples before {@code mint} are dropped only if committed at or
   *     before this sequence (the snapshot they were written to blocks from); later ones stay
   * @param appenderTimeoutMs batches open longer are expired (see awaitOpenBatchesBefore)
   * @param querierTimeoutMs queriers open longer no longer hold truncation back
   * @return the number of series removed
   */
  public int truncate(long mint, long flushedSeq, long readerWaitLogMs, long appenderTimeoutMs, long querierTimeoutMs) {
    long readerWaitMs = readerWaitLogMs;
    setMinValidTime(mint);
    awaitOpenBatchesBefore(mint, readerWaitLogMs, appenderTimeoutMs);
    long before = isolation.nextReaderId();
    try {
      long start = System.nanoTime();
      while (true) {
        long waitedMs = (System.nanoTime() - start) / 1_000_000;
        long step = Math.max(1, Math.min(readerWaitMs, querierTimeoutMs - waitedMs));
        if (isolation.awaitReadersBefore(before, mint, step)) {
          break;
        }
        waitedMs = (System.nanoTime() - start) / 1_000_000;
        if (waitedMs >= querierTimeoutMs) {
          // A querier left open this long is leaked or stuck: it may now miss data before `mint`
          // (which is in a block already), but the head must not grow without bound because of it.
          log.warn("head truncation to {} proceeds after {} s although {} querier(s) opened earlier are still open",
              mint, waitedMs / 1000, isolation.openReaders());
          break;
        }
        log.warn("head truncation to {} waiting for {} open querier(s) that read older data ({} s so far)",
            mint, isolation.openReaders(), waitedMs / 1000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException("interrupted while waiting for queriers before head truncation");
    }
    long freed = 0;
    long chunksBefore = 0;
    long chunksAfter = 0;
    List<MemSeries> empty = new ArrayList<>();
    final long[] acc = new long[4];
    acc[3] = Long.MAX_VALUE;
    series.forEach(s -> {
      synchronized (s) {
        acc[1] += s.numChunks();
        acc[0] += s.truncateBefore(mint, flushedSeq);
        acc[2] += s.numChunks();
        if (s.ooo != null) {
          acc[3] = Math.min(acc[3], s.ooo.minT());
        }
        if (!s.hasSamples() && s.ooo == null && s.pendingCommits == 0) {
          empty.add(s);
        }
      }
    });
    freed = acc[0];
    chunksBefore = acc[1];
    chunksAfter = acc[2];
    int removed = 0;
    seriesLock.lock();
    try {
      for (MemSeries s : empty) {
        synchronized (s) {
          if (s.hasSamples() || s.ooo != null || s.pendingCommits > 0) {
            continue; // an appender got to it after all
          }
          s.removed = true;
        }
        series.remove(s);
        postings.delete(s.ref, s.labels);
        labelBytes.add(-(32 + 16 + 4L * 2 * s.labels.size()));
        removed++;
      }
    } finally {
      seriesLock.unlock();
    }
    oooMinTime.set(acc[3]);
    chunkBytes.add(-freed);
    chunkCount.add(chunksAfter - chunksBefore);
    // Like Prometheus: after truncation the head starts at the truncation point.
    minTime.accumulateAndGet(mint, Math::max);
    metrics.seriesRemoved.inc(removed);
    metrics.truncations.inc();
    return removed;
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  void ensureOpen() {
    if (closed) {
      throw new StorageException("TSDB head is closed");
    }
  }

  /** Rejects further appenders and commits; waits for commits under way. */
  public void close() {
    commitLock.lock();
    try {
      closed = true;
    } finally {
      commitLock.unlock();
    }
  }

  /** Index statistics: label pairs and top-N lists (see TsdbStats). */
  public MemPostingsStats postingsStats(int limit) {
    MemPostings.Stats st = postings.stats(limit);
    return new MemPostingsStats(st.numLabelPairs(), st.seriesByMetricName(), st.valuesByLabelName(), st.bytesByLabelName(),
        st.seriesByLabelPair());
  }

  /** Index statistics of the head, each list sorted by count descending. */
  public record MemPostingsStats(long numLabelPairs, List<java.util.Map.Entry<String, Long>> seriesByMetricName,
      List<java.util.Map.Entry<String, Long>> valuesByLabelName, List<java.util.Map.Entry<String, Long>> bytesByLabelName,
      List<java.util.Map.Entry<String, Long>> seriesByLabelPair) {}
}
