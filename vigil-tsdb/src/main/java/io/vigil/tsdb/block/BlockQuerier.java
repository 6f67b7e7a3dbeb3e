package io.vigil.tsdb.block;

import io.vigil.model.Labels;
import io.vigil.model.Matcher;
import io.vigil.storage.SampleIterator;
import io.vigil.storage.SelectHints;
import io.vigil.storage.Series;
import io.vigil.storage.SeriesSet;
import io.vigil.storage.StorageException;
import io.vigil.tsdb.index.CorruptIndexException;
import io.vigil.tsdb.index.IndexReader;
import io.vigil.tsdb.query.Intervals;
import io.vigil.tsdb.query.LabelQuerier;
import io.vigil.tsdb.query.PostingsForMatchers;
import java.util.Iterator;
import java.util.List;
import org.roaringbitmap.IntIterator;
import org.roaringbitmap.RoaringBitmap;

/**
 * Reads one block over {@code [mint, maxt]}. Series ids increase in label order, so results are
 * always sorted. Series are decoded lazily as the set advances; chunks when iterated. Holds a
 * reference on the block until closed. Not thread-safe.
 */
public final class BlockQuerier extends LabelQuerier {
  private final Block block;
  private final long mint;
  private final long maxt;
  private boolean closed;

  BlockQuerier(Block block, long mint, long maxt) {
    this.block = block;
    this.mint = mint;
    this.maxt = maxt;
  }

  @Override
  protected void ensureOpen() {
    if (closed) {
      throw new StorageException("querier is closed");
    }
  }

  private RoaringBitmap matching(Matcher... matchers) {
    try {
      return PostingsForMatchers.select(block.index.view(), matchers);
    } catch (CorruptIndexException e) {
      block.markCorrupt(e.getMessage());
      throw new StorageException("block " + block.ulid() + " is damaged: " + e.getMessage(), e);
    }
  }

  @Override
  public SeriesSet select(boolean sortSeries, SelectHints hints, Matcher... matchers) {
    ensureOpen();
    long lo = hints == null ? mint : Math.max(mint, hints.startMs());
    long hi = hints == null ? maxt : Math.min(maxt, hints.endMs());
    int limit = hints == null ? 0 : hints.limit();
    if (lo > hi || !block.overlaps(lo, hi)) {
      return SeriesSet.EMPTY;
    }
    return new BlockSeriesSet(matching(matchers).getIntIterator(), lo, hi, limit);
  }

  /** The chunks of series {@code id} that overlap {@code [lo, hi]} and are not wholly deleted; null if none. */
  private BlockSeries load(int id, IndexReader.SeriesEntry e, long lo, long hi) {
    try {
      block.index.series(id, e, true);
    } catch (CorruptIndexException ex) {
      block.markCorrupt(ex.getMessage());
      throw new StorageException("block " + block.ulid() + " is damaged: " + ex.getMessage(), ex);
    }
    Intervals deleted = block.tombstones().getOrDefault(id, Intervals.NONE);
    int from = 0;
    while (from < e.numChunks && e.maxts[from] < lo) {
      from++;
    }
    int to = from;
    int kept = 0;
    while (to < e.numChunks && e.mints[to] <= hi) {
      to++;
    }
    long[] mints = new long[to - from];
    long[] maxts = new long[to - from];
    long[] refs = new long[to - from];
    for (int i = from; i < to; i++) {
      if (!deleted.isEmpty() && deleted.covers(Math.max(e.mints[i], lo), Math.min(e.maxts[i], hi))) {
        continue;
      }
      mints[kept] = e.mints[i];
      maxts[kept] = e.maxts[i];
      refs[kept++] = e.refs[i];
    }
    return kept == 0 ? null : new BlockSeries(block, e.labels, mints, maxts, refs, kept, lo, hi, deleted);
  }

  private final class BlockSeriesSet implements SeriesSet {
    private final IntIterator ids;
    private final long lo;
    private final long hi;
    private final int limit;
    private final IndexReader.SeriesEntry entry = new IndexReader.SeriesEntry();
    private int returned;
    private Series current;

    BlockSeriesSet(IntIterator ids, long lo, long hi, int limit) {
      this.ids = ids;
      this.lo = lo;
      this.hi = hi;
      this.limit = limit;
    }

    @Override
    public boolean next() {
      ensureOpen();
      if (limit > 0 && returned >= limit) {
        return false;
      }
      while (ids.hasNext()) {
        BlockSeries s = load(ids.next(), entry, lo, hi);
        if (s != null) {
          current = s;
          returned++;
          return true;
        }
      }
      return false;
    }

    @Override
    public Series at() {
      return current;
    }
  }

  private record BlockSeries(Block block, Labels labels, long[] mints, long[] maxts, long[] refs, int n, long lo, long hi,
      Intervals deleted) implements Series {
    @Override
    public SampleIterator iterator(SampleIterator reuse) {
      BlockSeriesIterator it = reuse instanceof BlockSeriesIterator b ? b : new BlockSeriesIterator();
      return it.reset(block, mints, maxts, refs, n, lo, hi, deleted);
    }
  }

  /** Labels of the matching series with chunks in the querier's range that are not wholly deleted. */
  @Override
  protected Iterator<Labels> labelsWithData(Matcher... matchers) {
    IntIterator ids = matching(matchers).getIntIterator();
    IndexReader.SeriesEntry e = new IndexReader.SeriesEntry();
    return new Iterator<>() {
      private Labels next;

      @Override
      public boolean hasNext() {
        while (next == null && ids.hasNext()) {
          BlockSeries s = load(ids.next(), e, mint, maxt);
          next = s == null ? null : s.labels();
        }
        return next != null;
      }

      @Override
      public Labels next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        Labels l = next;
        next = null;
        return l;
      }
    };
  }

  @Override
  protected List<String> allLabelValues(String name) {
    return block.index.labelValues(name);
  }

  @Override
  protected List<String> allLabelNames() {
    return block.index.labelNames();
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      block.release();
    }
  }

  @Override
  public String toString() {
    return "BlockQuerier[" + block.ulid() + ", " + mint + ".." + maxt + "]";
  }
}
