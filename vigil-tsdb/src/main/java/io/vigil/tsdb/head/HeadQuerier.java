package io.vigil.tsdb.head;

import io.vigil.model.Labels;
import io.vigil.model.Matcher;
import io.vigil.storage.MergeSampleIterator;
import io.vigil.storage.SampleIterator;
import io.vigil.storage.SelectHints;
import io.vigil.storage.Series;
import io.vigil.storage.SeriesSet;
import io.vigil.storage.StorageException;
import io.vigil.tsdb.query.ArraySampleIterator;
import io.vigil.tsdb.query.LabelQuerier;
import io.vigil.tsdb.query.PostingsForMatchers;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.roaringbitmap.RoaringBitmap;

/**
 * A consistent read view of the head over {@code [mint, maxt]}: it sees exactly the batches
 * published before it was opened (see {@link Isolation}). Postings are resolved under the index read
 * lock; each series is captured under its own lock for an instant when the series set reaches it,
 * and decoded without locks. Not thread-safe; close it to let the head forget isolation state.
 */
public final class HeadQuerier extends LabelQuerier {
  private final Head head;
  private final long mint;
  private final long maxt;
  private final long readerId;
  private final long snapshotSeq;
  private boolean closed;

  HeadQuerier(Head head, long mint, long maxt) {
    this.head = head;
    this.mint = mint;
    this.maxt = maxt;
    long[] r = head.isolation.openReader(mint);
    this.readerId = r[0];
    this.snapshotSeq = r[1];
  }

  /** The last commit sequence this querier sees; compaction passes it to {@link Head#truncate}. */
  public long snapshotSeq() {
    return snapshotSeq;
  }

  @Override
  protected void ensureOpen() {
    if (closed) {
      throw new StorageException("querier is closed");
    }
  }

  private MemSeries[] matching(Matcher... matchers) {
    RoaringBitmap ids = head.postings.read(ix -> PostingsForMatchers.select(ix, matchers));
    MemSeries[] out = new MemSeries[ids.getCardinality()];
    int n = 0;
    for (org.roaringbitmap.IntIterator it = ids.getIntIterator(); it.hasNext(); ) {
      MemSeries s = head.series.get(it.next());
      if (s != null) {
        out[n++] = s;
      }
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  @Override
  public SeriesSet select(boolean sortSeries, SelectHints hints, Matcher... matchers) {
    ensureOpen();
    long lo = hints == null ? mint : Math.max(mint, hints.startMs());
    long hi = hints == null ? maxt : Math.min(maxt, hints.endMs());
    int limit = hints == null ? 0 : hints.limit();
    MemSeries[] found = matching(matchers);
    if (sortSeries) {
      Arrays.sort(found, Comparator.comparing(s -> s.labels));
    }
    return new HeadSeriesSet(found, lo, hi, limit);
  }

  private final class HeadSeriesSet implements SeriesSet {
    private final MemSeries[] found;
    private final long lo;
    private final long hi;
    private final int limit;
    private int i = -1;
    private int returned;
    private Series current;

    HeadSeriesSet(MemSeries[] found, long lo, long hi, int limit) {
      this.found = found;
      this.lo = lo;
      this.hi = hi;
      this.limit = limit;
    }

    @Override
    public boolean next() {
      if (closed) {
        throw new StorageException("querier is closed");
      }
      if (limit > 0 && returned >= limit) {
        return false;
      }
      while (++i < found.length) {
        MemSeries s = found[i];
        ChunkSnapshot snap;
        synchronized (s) {
          snap = s.snapshot(snapshotSeq, lo, hi);
        }
        if (snap != null) {
          current = new HeadSeries(s.labels, snap);
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

  private record HeadSeries(Labels labels, ChunkSnapshot snap) implements Series {
    @Override
    public SampleIterator iterator(SampleIterator reuse) {
      HeadSeriesIterator inOrder = null;
      ArraySampleIterator outOfOrder = null;
      if (reuse instanceof HeadSeriesIterator h) {
        inOrder = h;
      } else if (reuse instanceof MergeSampleIterator m && m.sources().length == 2
          && m.sources()[0] instanceof HeadSeriesIterator h && m.sources()[1] instanceof ArraySampleIterator a) {
        inOrder = h;
        outOfOrder = a;
      }
      inOrder = (inOrder == null ? new HeadSeriesIterator() : inOrder).reset(snap);
      OooSamples.View ooo = snap.ooo();
      if (ooo == null) {
        return inOrder;
      }
      outOfOrder = outOfOrder == null ? new ArraySampleIterator(ooo.ts(), ooo.vs(), ooo.n()) : outOfOrder.reset(ooo.ts(), ooo.vs(), ooo.n());
      // In-order data first: on equal timestamps the first write (in order) wins.
      return reuse instanceof MergeSampleIterator m && m.sources().length == 2 && m.sources()[0] == inOrder
          ? m.reset(inOrder, outOfOrder) : new MergeSampleIterator(inOrder, outOfOrder);
    }
  }

  /** Whether the series has a sample this querier can see. */
  private boolean hasVisibleSamples(MemSeries s) {
    synchronized (s) {
      return s.snapshot(snapshotSeq, mint, maxt) != null;
    }
  }

  @Override
  protected java.util.Iterator<Labels> labelsWithData(Matcher... matchers) {
    return Arrays.stream(matching(matchers)).filter(this::hasVisibleSamples).map(s -> s.labels).iterator();
  }

  @Override
  protected List<String> allLabelValues(String name) {
    return head.postings.labelValues(name);
  }

  @Override
  protected List<String> allLabelNames() {
    return head.postings.labelNames();
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      head.isolation.closeReader(readerId);
    }
  }
}
