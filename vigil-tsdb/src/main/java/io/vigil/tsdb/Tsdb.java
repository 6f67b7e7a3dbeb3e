package io.vigil.tsdb;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.model.Matcher;
import io.vigil.storage.Appender;
import io.vigil.storage.MergeQuerier;
import io.vigil.storage.Querier;
import io.vigil.storage.Storage;
import io.vigil.storage.StorageException;
import io.vigil.tsdb.block.Block;
import io.vigil.tsdb.block.BlockMeta;
import io.vigil.tsdb.block.BlockWriter;
import io.vigil.tsdb.block.CorruptBlockException;
import io.vigil.tsdb.block.LeveledCompactor;
import io.vigil.tsdb.block.Ulid;
import io.vigil.tsdb.fs.FileSync;
import io.vigil.tsdb.head.Head;
import io.vigil.tsdb.head.HeadMetrics;
import io.vigil.tsdb.head.HeadOptions;
import io.vigil.tsdb.head.HeadQuerier;
import io.vigil.tsdb.head.ShardedReplay;
import io.vigil.tsdb.wal.Checkpoint;
import io.vigil.tsdb.wal.Wal;
import io.vigil.tsdb.wal.WalMetrics;
import io.vigil.tsdb.wal.WalReplay;
import io.vigil.tsdb.wal.WalReplayStatus;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vigil's time-series database: a {@link Storage} over one data directory, made of an in-memory
 * {@link Head} with a WAL and immutable on-disk blocks (see docs/format). Open it with
 * {@link #open} (blocks until the WAL is replayed) or {@link #start} (returns at once; check
 * {@link #isReady()} and {@link #walReplayStatus()}). A background task cuts blocks from the head,
 * compacts blocks and applies retention every {@link TsdbOptions#compactionIntervalMs()}.
 *
 * <p>Thread-safe: any number of appenders and queriers at once. Appenders see only the head;
 * queriers merge every block overlapping their range with the head. A querier sees the batches
 * committed before it was created, and nothing later; compaction and retention never remove data
 * from under an open querier.
 */
public final class Tsdb implements Storage {
  private static final Logger log = LoggerFactory.getLogger(Tsdb.class);
  static final String LOCK_FILE = "lock";
  static final String WAL_DIR = "wal";
  static final String CORRUPTED_DIR = "corrupted";
  static final String SNAPSHOTS_DIR = "snapshots";

  private final Path dir;
  private final TsdbOptions opts;
  private final DbMetrics metrics;
  private final WalMetrics walMetrics;
  private final Head head;
  private final LeveledCompactor compactor;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final ReentrantReadWriteLock blocksLock = new ReentrantReadWriteLock();
  private final ReentrantLock compactionLock = new ReentrantLock();
  private final CountDownLatch readyLatch = new CountDownLatch(1);
  private volatile List<Block> blocks = List.of();
  private volatile Wal wal;
  private volatile boolean ready;
  private volatile boolean closed;
  private volatile Throwable startupFailure;
  private volatile WalReplayStatus replayStatus = WalReplayStatus.NOT_STARTED;
  private ScheduledExecutorService background;

  private Tsdb(Path dir, TsdbOptions opts, PrometheusRegistry registry) throws IOException {
    this.dir = dir;
    this.opts = opts;
    // Metrics first: a registry that already holds them fails here, before the directory is locked.
    this.metrics = new DbMetrics(registry);
    this.walMetrics = new WalMetrics(registry);
    this.head = new Head(new HeadOptions(opts.blockRangeMs(), opts.outOfOrderWindowMs(), opts.maxHeadSeries()),
        new HeadMetrics(registry), null);
    this.compactor = new LeveledCompactor(opts.blockRangeMs(), opts.effectiveMaxBlockRangeMs());
    Files.createDirectories(dir);
    this.lockChannel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock l;
    try {
      l = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      l = null;
    }
    if (l == null) {
      lockChannel.close();
      throw new StorageException("TSDB data directory " + dir + " is in use by another process (lock file " + LOCK_FILE + ")");
    }
    this.lock = l;
    metrics.registerGauges(this);
  }

  /**
   * Opens (creating if needed) the TSDB in {@code dir} and returns once the WAL is replayed.
   *
   * @param registry where self-metrics are registered; one registry per TSDB instance
   * @throws StorageException if the directory is locked by another process or cannot be used
   */
  public static Tsdb open(Path dir, TsdbOptions opts, PrometheusRegistry registry) {
    Tsdb db = start(dir, opts, registry);
    db.awaitReady();
    return db;
  }

  /**
   * Opens the TSDB in {@code dir}: blocks are loaded now, the WAL is replayed on a background
   * thread. Until {@link #isReady()}, appenders and queriers throw {@link StorageException}.
   */
  public static Tsdb start(Path dir, TsdbOptions opts, PrometheusRegistry registry) {
    Tsdb db;
    try {
      db = new Tsdb(dir, opts, registry);
    } catch (IOException e) {
      throw new StorageException("cannot open TSDB in " + dir + ": " + e.getMessage(), e);
    }
    try {
      db.cleanTemporaryDirs();
      db.reload();
      db.head.setMinValidTime(db.maxBlockTime());
    } catch (IOException | RuntimeException e) {
      db.blocks.forEach(b -> b.close(false));
      db.releaseLock();
      throw new StorageException("cannot open TSDB in " + dir + ": " + e.getMessage(), e);
    }
    Thread.ofPlatform().name("vigil-tsdb-replay").daemon().start(db::replayAndStart);
    return db;
  }

  private void replayAndStart() {
    try {
      if (opts.walEnabled()) {
        long start = System.nanoTime();
        Path walDir = dir.resolve(WAL_DIR);
        WalReplay.Result r;
        // One shard per core, as Prometheus has one per GOMAXPROCS: the reading thread decodes while
        // the shards apply, and on a busy machine the OS shares the cores out.
        try (ShardedReplay sink = head.shardedReplay(Runtime.getRuntime().availableProcessors())) {
          r = WalReplay.replay(walDir, sink, s -> replayStatus = s, walMetrics);
          sink.finish();
        }
        double secs = (System.nanoTime() - start) / 1e9;
        walMetrics.replayDuration.set(secs);
        log.info("WAL replayed in {} s: {} segments, {} records, {} samples, {} series in the head", String.format("%.3f", secs),
            r.segments(), r.records(), r.samples(), head.numSeries());
        Wal w = Wal.open(walDir, opts.walSegmentBytes(), walMetrics);
        wal = w;
        head.attachCommitLog(w);
      } else {
        replayStatus = new WalReplayStatus(-1, -1, -1, true);
      }
      ready = true;
      if (opts.compactionIntervalMs() > 0) {
        background = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("vigil-tsdb-compactor").daemon().unstarted(r));
        background.scheduleWithFixedDelay(this::backgroundCycle, opts.compactionIntervalMs(), opts.compactionIntervalMs(),
            TimeUnit.MILLISECONDS);
      }
    } catch (Throwable e) {
      startupFailure = e;
      log.error("TSDB in {} failed to start: {}", dir, e.toString(), e);
    } finally {
      readyLatch.countDown();
    }
  }

  /** Waits until the WAL is replayed. @throws StorageException if startup failed */
  public void awaitReady() {
    try {
      readyLatch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException("interrupted while waiting for the TSDB to start");
    }
    if (startupFailure != null) {
      throw new StorageException("TSDB failed to start: " + startupFailure.getMessage(), startupFailure);
    }
  }

  /** Whether the WAL has been replayed and the TSDB serves reads and writes. */
  public boolean isReady() {
    return ready && !closed;
  }

  /** WAL replay progress, for /api/v1/status/walreplay. */
  public WalReplayStatus walReplayStatus() {
    return replayStatus;
  }

  public TsdbOptions options() {
    return opts;
  }

  public Path dir() {
    return dir;
  }

  /** The head, for components that need its details (benchmarks, the status page). */
  public Head head() {
    return head;
  }

  private void ensureReady() {
    if (closed) {
      throw new StorageException("TSDB is closed");
    }
    if (!ready) {
      throw new StorageException(startupFailure != null ? "TSDB failed to start: " + startupFailure.getMessage()
          : "TSDB is not ready: the WAL is being replayed");
    }
  }

  // ---- Storage --------------------------------------------------------------------------------

  @Override
  public Appender appender() {
    ensureReady();
    return head.appender();
  }

  @Override
  public Querier querier(long mint, long maxt) {
    ensureReady();
    List<Querier> qs = new ArrayList<>();
    blocksLock.readLock().lock();
    try {
      for (Block b : blocks) {
        if (b.overlaps(mint, maxt)) {
          qs.add(b.querier(mint, maxt));
        }
      }
      qs.add(head.querier(mint, maxt));
    } catch (RuntimeException e) {
      qs.forEach(Querier::close);
      throw e;
    } finally {
      blocksLock.readLock().unlock();
    }
    return qs.size() == 1 ? qs.get(0) : new MergeQuerier(qs);
  }

  @Override
  public long startTimeMs() {
    List<Block> bs = blocks;
    long t = bs.isEmpty() ? Long.MAX_VALUE : bs.get(0).minTime();
    t = Math.min(t, Math.min(head.minTime(), head.oooMinTime()));
    return t == Long.MAX_VALUE ? Long.MIN_VALUE : t;
  }

  /** The blocks being served, sorted by time. */
  public List<Block> blocks() {
    return blocks;
  }

  private long maxBlockTime() {
    long t = Long.MIN_VALUE;
    for (Block b : blocks) {
      t = Math.max(t, b.maxTime());
    }
    return t;
  }

  // ---- blocks ---------------------------------------------------------------------------------

  private void cleanTemporaryDirs() throws IOException {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (n.endsWith(Block.CREATION_SUFFIX) || n.endsWith(Block.DELETION_SUFFIX)) {
          log.info("removing leftover {}", p);
          FileSync.deleteRecursively(p);
        }
      }
    }
  }

  /**
   * Syncs the served block list with the directory: opens new blocks (moving corrupt ones aside),
   * drops blocks replaced by compaction (listed as parents of another block), applies retention.
   */
  void reload() throws IOException {
    metrics.reloads.inc();
    blocksLock.writeLock().lock();
    try {
      Map<String, Block> current = new HashMap<>();
      for (Block b : blocks) {
        current.put(b.ulid(), b);
      }
      // Blocks leaving the list are closed only after the new list is published: if anything below
      // fails, the old list stays in force and every block in it stays open for queriers.
      List<Block> retired = new ArrayList<>();
      List<Block> deleted = new ArrayList<>();
      List<Block> opened = new ArrayList<>();
      List<Block> loaded = new ArrayList<>();
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
        for (Path p : ds) {
          String name = p.getFileName().toString();
          if (!Ulid.isValid(name) || !Files.isDirectory(p)) {
            continue;
          }
          Block b = current.remove(name);
          if (b != null && b.corruption() != null) {
            retired.add(b);
            moveAside(p, b.corruption());
            continue;
          }
          if (b == null) {
            try {
              b = Block.open(p, opts.verifyChunksOnOpen());
              opened.add(b);
            } catch (CorruptBlockException e) {
              moveAside(p, e.getMessage());
              continue;
            }
          }
          loaded.add(b);
        }
      } catch (IOException | RuntimeException e) {
        opened.forEach(b -> b.close(false));
        throw e;
      }
      retired.addAll(current.values()); // vanished from disk
      Set<String> deletable = new HashSet<>();
      for (Block b : loaded) {
        b.meta().compaction().parents().forEach(parent -> deletable.add(parent.ulid()));
      }
      loaded.removeIf(b -> {
        if (deletable.contains(b.ulid())) {
          deleted.add(b); // compacted into another block
          return true;
        }
        return false;
      });
      loaded.sort(Comparator.comparingLong(Block::minTime).thenComparing(Block::ulid));
      applyRetention(loaded, deleted);
      blocks = List.copyOf(loaded);
      retired.forEach(b -> b.close(false));
      deleted.forEach(b -> b.close(true));
    } catch (IOException | RuntimeException e) {
      metrics.reloadsFailed.inc();
      throw e;
    } finally {
      blocksLock.writeLock().unlock();
    }
  }

  private void moveAside(Path blockDir, String reason) throws IOException {
    metrics.corruptBlocks.inc();
    Path target = dir.resolve(CORRUPTED_DIR).resolve(blockDir.getFileName());
    Files.createDirectories(target.getParent());
    if (Files.exists(target)) {
      target = target.resolveSibling(blockDir.getFileName() + "-" + System.currentTimeMillis());
    }
    FileSync.rename(blockDir, target);
    log.error("refusing corrupt block {} (moved to {}; its data is not served): {}", blockDir.getFileName(), target, reason);
  }

  /** Moves blocks past the time or size retention from {@code loaded} to {@code deleted}. */
  private void applyRetention(List<Block> loaded, List<Block> deleted) {
    if (loaded.isEmpty()) {
      return;
    }
    if (opts.retentionMs() > 0) {
      long newest = loaded.stream().mapToLong(Block::maxTime).max().orElseThrow();
      loaded.removeIf(b -> {
        if (newest - b.maxTime() >= opts.retentionMs()) {
          log.info("deleting block {} past the time retention", b.meta());
          metrics.timeRetentions.inc();
          deleted.add(b);
          return true;
        }
        return false;
      });
    }
    if (opts.retentionBytes() > 0) {
      long total = FileSync.sizeOf(dir.resolve(WAL_DIR));
      for (Block b : loaded) {
        total += b.sizeBytes();
      }
      while (total > opts.retentionBytes() && !loaded.isEmpty()) {
        Block oldest = loaded.remove(0);
        total -= oldest.sizeBytes();
        log.info("deleting block {}: total size exceeds the size retention of {} bytes", oldest.meta(), opts.retentionBytes());
        metrics.sizeRetentions.inc();
        deleted.add(oldest);
      }
    }
  }

  // ---- compaction -----------------------------------------------------------------------------

  private void backgroundCycle() {
    try {
      compact();
    } catch (Throwable e) {
      log.error("TSDB compaction cycle failed: {}", e.toString(), e);
    }
  }

  /**
   * Runs one maintenance cycle now: cuts blocks from the head while it spans more than 1.5 block
   * ranges, compacts blocks, applies retention and moves blocks found corrupt aside. Safe to call
   * at any time; concurrent calls run one after the other.
   */
  public void compact() throws IOException {
    ensureReady();
    compactionLock.lock();
    try {
      compactHead();
      compactBlocks();
      reload();
    } finally {
      compactionLock.unlock();
    }
  }

  private void compactHead() throws IOException {
    long range = opts.blockRangeMs();
    while (!closed) {
      long min = head.minTime();
      long max = head.maxTime();
      boolean inOrderDue = max != Long.MIN_VALUE && min != Long.MAX_VALUE && max - min > range / 2 * 3;
      if (!inOrderDue) {
        return;
      }
      long start = Math.floorDiv(min, range) * range;
      long end = start + range;
      long startNs = System.nanoTime();
      long flushedSeq;
      try {
        // No in-order sample older than `end` may arrive once the block is being written: raise the
        // limit, then let batches that began under the old limit finish before taking the snapshot.
        head.setMinValidTime(end);
        head.awaitOpenBatchesBefore(end, opts.readerWaitLogMs(), opts.appenderTimeoutMs());
        flushedSeq = writeHeadBlocks(start, end);
        reload();
      } catch (IOException | RuntimeException e) {
        metrics.compactionsFailed.inc();
        throw e;
      }
      head.truncate(end, flushedSeq, opts.readerWaitLogMs(), opts.appenderTimeoutMs(), opts.querierTimeoutMs());
      metrics.compactionDuration.observe((System.nanoTime() - startNs) / 1e9);
      truncateWal(end);
    }
  }

  /**
   * Writes the head's data in {@code [start, end)} as a block, and out-of-order data older than
   * {@code start} as blocks of their own ranges (they overlap existing blocks and are merged by
   * vertical compaction). Returns the snapshot sequence the data was read at.
   */
  private long writeHeadBlocks(long start, long end) throws IOException {
    long range = opts.blockRangeMs();
    try (HeadQuerier q = head.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      writeLevel1(q, start, end);
      long oooMin = head.oooMinTime();
      if (oooMin < start) {
        for (long s = Math.floorDiv(oooMin, range) * range; s < start; s += range) {
          writeLevel1(q, s, s + range);
        }
      }
      return q.snapshotSeq();
    }
  }

  private void writeLevel1(Querier q, long start, long end) throws IOException {
    String ulid = Ulid.next();
    BlockMeta meta = BlockWriter.write(dir, ulid, q, start, end, new BlockMeta.Compaction(1, List.of(ulid), List.of()));
    if (meta != null) {
      metrics.headCompactions.inc();
      log.info("wrote block {} from the head: {} series, {} samples", meta, meta.stats().numSeries(), meta.stats().numSamples());
    }
  }

  /** Starts a new WAL segment and checkpoints everything before it. */
  private void truncateWal(long mint) {
    Wal w = wal;
    if (w == null) {
      return;
    }
    try {
      int last = w.nextSegment();
      Checkpoint.Stats st = Checkpoint.create(w.dir(), last, head::isLive, mint - opts.outOfOrderWindowMs(), opts.walSegmentBytes());
      walMetrics.checkpoints.inc();
      log.debug("WAL checkpoint up to segment {}: {} series, {} samples kept, {} dropped", last, st.seriesKept(),
          st.samplesKept(), st.samplesDropped());
    } catch (IOException | RuntimeException e) {
      // The WAL keeps its segments: replay takes longer but loses nothing.
      walMetrics.checkpointsFailed.inc();
      log.error("WAL checkpoint failed: {}", e.toString());
    }
  }

  private void compactBlocks() throws IOException {
    while (!closed) {
      List<BlockMeta> plan = compactor.plan(blocks.stream().map(Block::meta).toList());
      if (plan.isEmpty()) {
        return;
      }
      Map<String, Block> byId = new HashMap<>();
      blocks.forEach(b -> byId.put(b.ulid(), b));
      List<Block> group = plan.stream().map(m -> byId.get(m.ulid())).toList();
      long start = System.nanoTime();
      LeveledCompactor.Result r;
      try {
        r = LeveledCompactor.compact(dir, group);
      } catch (IOException | RuntimeException e) {
        metrics.compactionsFailed.inc();
        throw e;
      }
      metrics.compactions.inc();
      metrics.compactionDuration.observe((System.nanoTime() - start) / 1e9);
      if (r.meta() == null) {
        deleteBlocks(group); // everything in them was deleted
      } else {
        log.info("compacted {} block(s) into {}", group.size(), r.meta());
      }
      reload();
    }
  }

  private void deleteBlocks(List<Block> victims) {
    blocksLock.writeLock().lock();
    try {
      List<Block> keep = new ArrayList<>(blocks);
      keep.removeAll(victims);
      blocks = List.copyOf(keep);
      victims.forEach(b -> b.close(true));
    } finally {
      blocksLock.writeLock().unlock();
    }
  }

  // ---- admin ----------------------------------------------------------------------------------

  /**
   * Deletes samples in {@code [mint, maxt]} of the series matching all matchers: tombstones in
   * blocks and in the head, durable when this returns. The data disappears from queries at once and
   * from disk after {@link #cleanTombstones()} or compaction.
   *
   * @return the number of (block or head) series affected
   */
  public int deleteSeries(long mint, long maxt, Matcher... matchers) {
    ensureReady();
    int n = 0;
    // Under the compaction lock, as in Prometheus: a compaction reading a block while its tombstones
    // change could write the merged block without the new deletion and then drop the old block.
    // The head's deletion too: a head compaction must not write a block without it and then truncate.
    compactionLock.lock();
    try {
      for (Block b : blocks) {
        n += b.delete(mint, maxt, matchers);
      }
      return n + head.delete(mint, maxt, matchers);
    } catch (IOException e) {
      throw new StorageException("deleting series failed: " + e.getMessage(), e);
    } finally {
      compactionLock.unlock();
    }
  }

  /** Rewrites every block that has tombstones without the deleted data. */
  public void cleanTombstones() throws IOException {
    ensureReady();
    compactionLock.lock();
    try {
      for (Block b : blocks) {
        if (b.tombstones().isEmpty()) {
          continue;
        }
        LeveledCompactor.Result r = LeveledCompactor.compact(dir, List.of(b));
        if (r.meta() == null) {
          deleteBlocks(List.of(b));
        }
        reload();
      }
    } finally {
      compactionLock.unlock();
    }
  }

  /**
   * Writes a consistent copy of the data into {@code target} (which must not exist or be empty):
   * hard links of every block (copies where links are impossible) and, if {@code withHead}, the
   * head written as one more block. The copy is a valid data directory without a WAL.
   */
  public void snapshot(Path target, boolean withHead) throws IOException {
    ensureReady();
    Files.createDirectories(target);
    compactionLock.lock(); // no block appears or vanishes meanwhile
    try {
      for (Block b : blocks) {
        copyTree(b.dir(), target.resolve(b.ulid()));
      }
      if (withHead) {
        try (HeadQuerier q = head.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
          long min = Math.min(head.minTime(), head.oooMinTime());
          long max = head.maxTime();
          if (min != Long.MAX_VALUE && max != Long.MIN_VALUE) {
            String ulid = Ulid.next();
            BlockWriter.write(target, ulid, q, min, max + 1, new BlockMeta.Compaction(1, List.of(ulid), List.of()));
          }
        }
      }
      FileSync.directory(target);
    } finally {
      compactionLock.unlock();
    }
  }

  /**
   * Takes a snapshot into {@code <data dir>/snapshots/<UTC time>-<random>} as Prometheus's
   * /api/v1/admin/tsdb/snapshot does; returns the snapshot's directory name.
   */
  public String snapshot(boolean withHead) throws IOException {
    String name = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(Instant.now())
        + "-" + Long.toHexString(Double.doubleToLongBits(Math.random())).substring(0, 8);
    snapshot(dir.resolve(SNAPSHOTS_DIR).resolve(name), withHead);
    return name;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (var walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          try {
            Files.createLink(t, p);
          } catch (IOException | UnsupportedOperationException e) {
            Files.copy(p, t);
          }
        }
      }
    }
  }

  /** Statistics for /api/v1/status/tsdb; {@code limit} entries per list (Prometheus uses 10). */
  public TsdbStats stats(int limit) {
    ensureReady();
    Head.MemPostingsStats ps = head.postingsStats(limit);
    return new TsdbStats(
        new TsdbStats.HeadStats(head.numSeries(), ps.numLabelPairs(), head.numChunks(), head.minTime(), head.maxTime()),
        toStats(ps.seriesByMetricName()), toStats(ps.valuesByLabelName()), toStats(ps.bytesByLabelName()),
        toStats(ps.seriesByLabelPair()));
  }

  private static List<TsdbStats.Stat> toStats(List<Map.Entry<String, Long>> l) {
    return l.stream().map(e -> new TsdbStats.Stat(e.getKey(), e.getValue())).toList();
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  /**
   * Stops background work, closes the head and the WAL (fsynced) and unmaps blocks. Open queriers
   * keep working until they close. Appenders fail afterwards.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    try {
      readyLatch.await(); // replay cannot be interrupted halfway cleanly; let it finish
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closed = true;
    if (background != null) {
      background.shutdown();
      try {
        background.awaitTermination(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    compactionLock.lock();
    try {
      head.close();
      if (wal != null) {
        try {
          wal.close();
        } catch (IOException e) {
          log.error("closing the WAL failed: {}", e.toString());
        }
      }
      blocksLock.writeLock().lock();
      try {
        blocks.forEach(b -> b.close(false));
        blocks = List.of();
      } finally {
        blocksLock.writeLock().unlock();
      }
    } finally {
      compactionLock.unlock();
      releaseLock();
    }
  }

  private void releaseLock() {
    try {
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      log.warn("releasing the TSDB lock failed: {}", e.toString());
    }
  }
}
