package io.vigil.tsdb.block;

import io.vigil.model.Matcher;
import io.vigil.storage.StorageException;
import io.vigil.tsdb.chunks.ChunkReader;
import io.vigil.tsdb.chunks.CorruptChunkException;
import io.vigil.tsdb.fs.FileSync;
import io.vigil.tsdb.index.CorruptIndexException;
import io.vigil.tsdb.index.IndexDescriptor;
import io.vigil.tsdb.index.IndexReader;
import io.vigil.tsdb.query.Intervals;
import io.vigil.tsdb.query.PostingsForMatchers;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.roaringbitmap.IntIterator;
import org.roaringbitmap.RoaringBitmap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An immutable block on disk: index and chunks memory-mapped in one shared arena, tombstones in
 * memory. Reference counted: the TSDB holds one reference while the block is loaded and every
 * querier holds one while open, so a block dropped by compaction or retention is unmapped (and
 * deleted) only after its last querier closes. Thread-safe.
 */
public final class Block {
  private static final Logger log = LoggerFactory.getLogger(Block.class);
  public static final String CREATION_SUFFIX = ".tmp-for-creation";
  public static final String DELETION_SUFFIX = ".tmp-for-deletion";

  private final Path dir;
  private volatile BlockMeta meta;
  private final Arena arena;
  final IndexReader index;
  final ChunkReader chunks;
  private volatile Map<Integer, Intervals> tombstones;
  private final AtomicInteger refs = new AtomicInteger(1);
  private volatile boolean closing;
  private volatile boolean deleteOnClose;
  private volatile String corruption;
  private final long sizeBytes;

  private Block(Path dir, BlockMeta meta, Arena arena, IndexReader index, ChunkReader chunks, Map<Integer, Intervals> tombstones) {
    this.dir = dir;
    this.meta = meta;
    this.arena = arena;
    this.index = index;
    this.chunks = chunks;
    this.tombstones = tombstones;
    this.sizeBytes = FileSync.sizeOf(dir);
  }

  /**
   * Opens and verifies a block directory: meta.json and its checksum, the listed file sizes, every
   * index checksum, every chunk checksum (when {@code verifyChunks}) and the tombstones.
   *
   * @throws CorruptBlockException if anything fails verification; nothing stays mapped
   */
  public static Block open(Path dir, boolean verifyChunks) throws CorruptBlockException, IOException {
    BlockMeta meta = BlockMeta.read(dir);
    for (BlockMeta.FileInfo f : meta.files()) {
      Path p = dir.resolve(f.name());
      if (!Files.isRegularFile(p)) {
        throw new CorruptBlockException(dir, f.name() + " is missing", null);
      }
      long size = Files.size(p);
      if (size != f.sizeBytes()) {
        throw new CorruptBlockException(dir, f.name() + " has " + size + " bytes, meta.json says " + f.sizeBytes(), null);
      }
    }
    Arena arena = Arena.ofShared();
    try {
      IndexReader index = new IndexReader(dir.resolve(IndexDescriptor.FILE), arena);
      int series = index.verify();
      if (series != meta.stats().numSeries()) {
        throw new CorruptBlockException(dir, "index holds " + series + " series, meta.json says " + meta.stats().numSeries(), null);
      }
      ChunkReader chunks = new ChunkReader(dir, arena);
      if (verifyChunks) {
        long n = chunks.verifyAll();
        if (n != meta.stats().numChunks()) {
          throw new CorruptBlockException(dir, "chunk files hold " + n + " chunks, meta.json says " + meta.stats().numChunks(), null);
        }
      }
      return new Block(dir, meta, arena, index, chunks, Tombstones.read(dir));
    } catch (CorruptIndexException | CorruptChunkException e) {
      arena.close();
      throw new CorruptBlockException(dir, e.getMessage(), e);
    } catch (CorruptBlockException | IOException | RuntimeException e) {
      arena.close();
      throw e;
    }
  }

  public BlockMeta meta() {
    return meta;
  }

  public Path dir() {
    return dir;
  }

  public String ulid() {
    return meta.ulid();
  }

  public long minTime() {
    return meta.minTime();
  }

  /** Exclusive end of the block's range. */
  public long maxTime() {
    return meta.maxTime();
  }

  public long sizeBytes() {
    return sizeBytes;
  }

  public Map<Integer, Intervals> tombstones() {
    return tombstones;
  }

  public boolean overlaps(long mint, long maxtInclusive) {
    return meta.minTime() <= maxtInclusive && mint < meta.maxTime();
  }

  /** Takes a reference for a reader; false if the block is closing. */
  boolean tryAcquire() {
    while (true) {
      int r = refs.get();
      if (r <= 0 || closing) {
        return false;
      }
      if (refs.compareAndSet(r, r + 1)) {
        return true;
      }
    }
  }

  void release() {
    if (refs.decrementAndGet() == 0) {
      arena.close();
      if (deleteOnClose) {
        try {
          deleteDir(dir);
        } catch (IOException e) {
          log.error("could not delete block {}: {}", dir, e.toString());
        }
      }
    }
  }

  /** Deletes a block directory crash-safely: renamed aside first, so it is never seen half deleted. */
  public static void deleteDir(Path dir) throws IOException {
    Path aside = dir.resolveSibling(dir.getFileName() + DELETION_SUFFIX);
    if (Files.exists(dir)) {
      FileSync.rename(dir, aside);
    }
    FileSync.deleteRecursively(aside);
  }

  /** A querier over {@code [mint, maxt]}; holds a reference until closed. */
  public BlockQuerier querier(long mint, long maxt) {
    if (!tryAcquire()) {
      throw new StorageException("block " + ulid() + " is closed");
    }
    return new BlockQuerier(this, mint, maxt);
  }

  /**
   * Drops the TSDB's reference: the block is unmapped (and deleted when {@code delete}) as soon as
   * its last querier closes.
   */
  public void close(boolean delete) {
    if (delete) {
      deleteOnClose = true;
    }
    if (!closing) {
      closing = true;
      release();
    }
  }

  /** Called by readers that found damage; the TSDB moves the block aside at its next reload. */
  void markCorrupt(String reason) {
    if (corruption == null) {
      corruption = reason;
      log.error("block {} failed a checksum while being read and will be moved aside: {}", ulid(), reason);
    }
  }

  /** Damage found while reading, or null. */
  public String corruption() {
    return corruption;
  }

  /**
   * Adds tombstones for samples in {@code [mint, maxt]} of the matching series and persists them.
   *
   * @return the number of series affected
   */
  public synchronized int delete(long mint, long maxt, Matcher... matchers) throws IOException {
    RoaringBitmap ids = PostingsForMatchers.select(index.view(), matchers);
    if (ids.isEmpty() || mint >= meta.maxTime() || maxt < meta.minTime()) {
      return 0;
    }
    Map<Integer, Intervals> next = new HashMap<>(tombstones);
    IndexReader.SeriesEntry e = new IndexReader.SeriesEntry();
    int affected = 0;
    for (IntIterator it = ids.getIntIterator(); it.hasNext(); ) {
      int id = it.next();
      index.series(id, e, false);
      if (e.numChunks == 0 || e.mints[0] > maxt || e.maxts[e.numChunks - 1] < mint) {
        continue;
      }
      next.merge(id, Intervals.of(mint, maxt), Intervals::addAll);
      affected++;
    }
    if (affected == 0) {
      return 0;
    }
    Tombstones.write(dir, next);
    long count = next.values().stream().mapToLong(Intervals::size).sum();
    BlockMeta updated = meta.withStats(new BlockMeta.Stats(meta.stats().numSamples(), meta.stats().numSeries(),
        meta.stats().numChunks(), count));
    updated.write(dir);
    try {
      meta = BlockMeta.read(dir);
    } catch (CorruptBlockException ex) {
      throw new IOException("meta.json unreadable right after writing it: " + ex.getMessage(), ex);
    }
    tombstones = next;
    return affected;
  }

  @Override
  public String toString() {
    return "Block[" + meta + "]";
  }
}
