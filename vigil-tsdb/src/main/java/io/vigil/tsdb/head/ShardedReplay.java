package io.vigil.tsdb.head;

import io.vigil.storage.StorageException;
import io.vigil.tsdb.wal.RecordSink;
import io.vigil.tsdb.wal.WalRecord;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * WAL replay into the head with samples applied on several threads, as Prometheus does: the thread
 * reading the WAL (the caller of the {@link RecordSink} methods) creates series, resolves each
 * sample's reference and hands the sample to the shard that owns its series (reference modulo the
 * shard count); each shard thread applies its samples in log order with the live rules
 * ({@link SampleTally}). A series belongs to one shard, so per-series order, and with it the
 * resulting head, is exactly that of {@link Head#replaySamples}: the same samples accepted, the same
 * chunks, the same commit sequence numbers.
 *
 * <p>Samples travel in blocks of {@link #BLOCK_SAMPLES} through bounded queues drawn from a fixed
 * pool, so memory stays bounded however long the WAL: a reader ahead of the shards waits. Tombstones
 * wait for the shards to drain (they are rare) and are applied by the reading thread.
 *
 * <p>Use from one thread: the record methods, then {@link #finish()} once the WAL is read, and
 * {@link #close()} always (it stops the shard threads if {@code finish} was not reached). Nothing may
 * read or append to the head until {@code finish} returns; its return makes everything the shards
 * wrote visible to the caller.
 */
public final class ShardedReplay implements RecordSink, AutoCloseable {
  /** Samples per block: large enough that queue hand-offs are rare, small enough to stay in cache. */
  static final int BLOCK_SAMPLES = 4096;
  /** Full blocks queued per shard: enough to ride out a slow record without letting the reader run far ahead. */
  private static final int QUEUED_BLOCKS_PER_SHARD = 4;
  /** How often a blocked hand-off checks whether a shard failed. */
  private static final long POLL_MS = 100;

  private final Head head;
  private final Shard[] shards;
  private final Block[] filling;
  private final BlockingQueue<Block> free;
  private final long oooFloor;
  /**
   * Samples older than this are skipped (see Head.replayKeeps), and it is the minimum valid time the
   * shards apply with, as in Head.replaySamples; fixed while replay runs.
   */
  private final long keepFrom;
  private long lastSeq;
  private long unknown;
  private volatile Throwable failure;
  private boolean finished;

  /** Samples on their way to one shard; arrays are reused. */
  private static final class Block {
    final MemSeries[] series = new MemSeries[BLOCK_SAMPLES];
    final long[] ts = new long[BLOCK_SAMPLES];
    final long[] bits = new long[BLOCK_SAMPLES];
    final long[] seqs = new long[BLOCK_SAMPLES];
    int n;
    /** Non-null for a marker asking the shard to count down once everything before it is applied. */
    CountDownLatch drained;
    boolean last;
  }

  ShardedReplay(Head head, int shardCount) {
    if (shardCount < 1) {
      throw new IllegalArgumentException("shard count must be positive: " + shardCount);
    }
    this.head = head;
    this.oooFloor = head.replayOooFloor();
    this.keepFrom = head.replayKeepFrom();
    this.shards = new Shard[shardCount];
    this.filling = new Block[shardCount];
    // Each shard: its queue full, one block being applied, one being filled.
    int pool = shardCount * (QUEUED_BLOCKS_PER_SHARD + 2);
    this.free = new ArrayBlockingQueue<>(pool);
    for (int i = 0; i < pool; i++) {
      free.add(new Block());
    }
    for (int i = 0; i < shardCount; i++) {
      shards[i] = new Shard(i);
    }
    for (Shard s : shards) {
      s.thread.start();
    }
  }

  @Override
  public void series(WalRecord.Series r) {
    for (int i = 0; i < r.n(); i++) {
      head.replaySeries(r.refs()[i], r.labels()[i]);
    }
  }

  @Override
  public void samples(WalRecord.Samples r) {
    int[] refs = r.refs();
    long[] ts = r.ts();
    long[] bits = r.valueBits();
    long seq = 0;
    int unknownHere = 0;
    int shardCount = shards.length;
    boolean noAliases = !head.hasReplayAliases();
    for (int i = 0; i < r.n(); i++) {
      long t = ts[i];
      if (t < keepFrom) {
        continue;
      }
      int ref = refs[i];
      MemSeries s = head.replaySeriesFor(ref);
      if (s == null) {
        unknownHere++;
        continue;
      }
      if (seq == 0) {
        // Like Head.replaySamples: a record with nothing to apply takes no sequence number.
        seq = head.nextReplaySeq();
        lastSeq = seq;
      }
      // By the series' own reference, so an alias lands in its series' shard; without aliases the
      // logged one is the same and reading it spares a cache miss on the series here.
      int k = (noAliases ? ref : s.ref) % shardCount;
      Block b = filling[k];
      if (b == null) {
        b = filling[k] = take();
      }
      b.series[b.n] = s;
      b.ts[b.n] = t;
      b.bits[b.n] = bits[i];
      b.seqs[b.n] = seq;
      if (++b.n == BLOCK_SAMPLES) {
        submit(k, b);
        filling[k] = null;
      }
    }
    unknown += unknownHere;
  }

  @Override
  public void tombstones(WalRecord.Tombstones r) {
    // Series state belongs to the shards while they run: let them drain, then apply here.
    drain();
    head.replayTombstones(r.refs(), r.mints(), r.maxts(), r.n());
  }

  /**
   * Waits until every sample handed over is applied, stops the shards and publishes the replayed
   * batches to readers.
   *
   * @throws StorageException if a shard failed
   */
  public void finish() {
    for (int k = 0; k < shards.length; k++) {
      flush(k);
      Block end = take();
      end.last = true;
      submit(k, end);
    }
    for (Shard s : shards) {
      try {
        s.thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StorageException("interrupted while waiting for WAL replay shards");
      }
    }
    checkFailure();
    for (Shard s : shards) {
      head.addTally(s.tally);
    }
    head.countUnknownReplayRefs(unknown);
    if (lastSeq > 0) {
      head.publishReplayed(lastSeq);
    }
    finished = true;
  }

  /** Samples whose series was unknown (counted in the head's metric too). */
  public long unknownRefs() {
    return unknown;
  }

  /** Stops the shard threads; after {@link #finish()} there is nothing left to do. */
  @Override
  public void close() {
    if (finished) {
      return;
    }
    for (Shard s : shards) {
      s.thread.interrupt();
    }
    for (Shard s : shards) {
      try {
        s.thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void flush(int k) {
    Block b = filling[k];
    if (b != null) {
      filling[k] = null;
      submit(k, b);
    }
  }

  /** Hands all buffered samples to the shards and waits until they are applied. */
  private void drain() {
    CountDownLatch done = new CountDownLatch(shards.length);
    for (int k = 0; k < shards.length; k++) {
      flush(k);
      Block marker = take();
      marker.drained = done;
      submit(k, marker);
    }
    try {
      while (!done.await(POLL_MS, TimeUnit.MILLISECONDS)) {
        checkFailure();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException("interrupted while waiting for WAL replay shards");
    }
    checkFailure();
  }

  private Block take() {
    try {
      Block b;
      while ((b = free.poll(POLL_MS, TimeUnit.MILLISECONDS)) == null) {
        checkFailure();
      }
      return b;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException("interrupted while replaying the WAL");
    }
  }

  private void submit(int k, Block b) {
    try {
      while (!shards[k].queue.offer(b, POLL_MS, TimeUnit.MILLISECONDS)) {
        checkFailure();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException("interrupted while replaying the WAL");
    }
  }

  private void checkFailure() {
    Throwable f = failure;
    if (f != null) {
      throw new StorageException("WAL replay shard failed: " + f, f);
    }
  }

  /** One applying thread and the series it owns (those whose reference maps to it). */
  private final class Shard {
    final BlockingQueue<Block> queue = new ArrayBlockingQueue<>(QUEUED_BLOCKS_PER_SHARD);
    final SampleTally tally = new SampleTally();
    final Thread thread;

    Shard(int index) {
      thread = Thread.ofPlatform().name("vigil-tsdb-replay-shard-" + index).daemon().unstarted(this::run);
    }

    private void run() {
      long chunkRangeMs = head.opts.chunkRangeMs();
      try {
        while (true) {
          Block b = queue.take();
          if (b.last) {
            b.last = false;
            free.add(b);
            return;
          }
          if (b.drained != null) {
            CountDownLatch d = b.drained;
            b.drained = null;
            free.add(b);
            d.countDown();
            continue;
          }
          for (int i = 0; i < b.n; i++) {
            // No monitor: until finish() the shard is the only thread touching its series. The
            // commit before seq is the newest any reader could have seen, as in the live path
            // where each replayed batch is published before the next.
            long seq = b.seqs[i];
            tally.apply(b.series[i], b.ts[i], b.bits[i], seq, seq - 1, keepFrom, oooFloor, chunkRangeMs);
          }
          Arrays.fill(b.series, 0, b.n, null);
          b.n = 0;
          free.add(b);
        }
      } catch (InterruptedException e) {
        // close() without finish(): the replay was abandoned
      } catch (Throwable e) {
        failure = e;
      }
    }
  }
}
