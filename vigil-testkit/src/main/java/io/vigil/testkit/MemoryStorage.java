package io.vigil.testkit;

import io.vigil.model.Labels;
import io.vigil.model.Matcher;
import io.vigil.storage.Appender;
import io.vigil.storage.LabelHints;
import io.vigil.storage.Querier;
import io.vigil.storage.SampleIterator;
import io.vigil.storage.SampleRejectedException;
import io.vigil.storage.SelectHints;
import io.vigil.storage.Series;
import io.vigil.storage.SeriesSet;
import io.vigil.storage.Storage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A deliberately simple, obviously correct storage: a sorted map of series to sorted maps of
 * samples, guarded by one lock. It is the reference that engines are compared against and the store
 * behind tests that need data but are not about storage. Samples may arrive in any order; a second
 * sample at an existing timestamp must carry the same value (bit-exact) or is rejected. Not fast.
 */
public final class MemoryStorage implements Storage {
  private final TreeMap<Labels, TreeMap<Long, Double>> series = new TreeMap<>();
  private final Map<Long, Labels> refs = new HashMap<>();
  private final Map<Labels, Long> refOf = new HashMap<>();
  private long nextRef = 1;

  @Override
  public Appender appender() {
    return new MemoryAppender();
  }

  @Override
  public synchronized Querier querier(long mint, long maxt) {
    // Snapshot: copy the samples in range so later commits stay invisible to this querier.
    TreeMap<Labels, long[]> ts = new TreeMap<>();
    TreeMap<Labels, double[]> vs = new TreeMap<>();
    series.forEach((labels, samples) -> {
      var sub = samples.subMap(mint, true, maxt, true);
      long[] t = new long[sub.size()];
      double[] v = new double[sub.size()];
      int i = 0;
      for (var e : sub.entrySet()) {
        t[i] = e.getKey();
        v[i++] = e.getValue();
      }
      ts.put(labels, t);
      vs.put(labels, v);
    });
    return new MemoryQuerier(ts, vs);
  }

  /** Removes everything (the scripted tests' "clear"). */
  public synchronized void clear() {
    series.clear();
    refs.clear();
    refOf.clear();
  }

  public synchronized int seriesCount() {
    return series.size();
  }

  @Override
  public long startTimeMs() {
    return Long.MIN_VALUE;
  }

  @Override
  public void close() {}

  private synchronized long refFor(Labels labels) {
    return refOf.computeIfAbsent(labels, l -> {
      long r = nextRef++;
      refs.put(r, l);
      return r;
    });
  }

  private synchronized Labels labelsOf(long ref) {
    return refs.get(ref);
  }

  private synchronized void apply(List<Labels> labels, long[] ts, double[] vs, int n) {
    // Validate first so that a commit is all or nothing.
    Map<Labels, TreeMap<Long, Double>> pending = new HashMap<>();
    for (int i = 0; i < n; i++) {
      Double old = pending.computeIfAbsent(labels.get(i), k -> new TreeMap<>()).get(ts[i]);
      if (old == null) {
        TreeMap<Long, Double> existing = series.get(labels.get(i));
        old = existing == null ? null : existing.get(ts[i]);
      }
      if (old != null && Double.doubleToRawLongBits(old) != Double.doubleToRawLongBits(vs[i])) {
        throw new SampleRejectedException(SampleRejectedException.Reason.DUPLICATE_TIMESTAMP,
            "duplicate sample for timestamp " + ts[i] + " in " + labels.get(i));
      }
      pending.get(labels.get(i)).put(ts[i], vs[i]);
    }
    pending.forEach((l, samples) -> series.computeIfAbsent(l, k -> new TreeMap<>()).putAll(samples));
  }

  private final class MemoryAppender implements Appender {
    private final List<Labels> labels = new ArrayList<>();
    private long[] ts = new long[16];
    private double[] vs = new double[16];

    @Override
    public long append(long ref, Labels l, long timestampMs, double value) {
      if (l == null || l.isEmpty()) {
        throw new SampleRejectedException(SampleRejectedException.Reason.INVALID_LABELS, "empty label set");
      }
      add(l, timestampMs, value);
      return refFor(l);
    }

    @Override
    public void append(long ref, long timestampMs, double value) {
      Labels l = labelsOf(ref);
      if (l == null) {
        throw new SampleRejectedException(SampleRejectedException.Reason.UNKNOWN_SERIES, "unknown series ref " + ref);
      }
      add(l, timestampMs, value);
    }

    private void add(Labels l, long t, double v) {
      int n = labels.size();
      if (n == ts.length) {
        ts = Arrays.copyOf(ts, n * 2);
        vs = Arrays.copyOf(vs, n * 2);
      }
      ts[n] = t;
      vs[n] = v;
      labels.add(l);
    }

    @Override
    public void commit() {
      try {
        apply(labels, ts, vs, labels.size());
      } finally {
        labels.clear();
      }
    }

    @Override
    public void rollback() {
      labels.clear();
    }
  }

  private static final class MemoryQuerier implements Querier {
    private final TreeMap<Labels, long[]> ts;
    private final TreeMap<Labels, double[]> vs;

    MemoryQuerier(TreeMap<Labels, long[]> ts, TreeMap<Labels, double[]> vs) {
      this.ts = ts;
      this.vs = vs;
    }

    private List<Labels> matching(Matcher... matchers) {
      List<Labels> out = new ArrayList<>();
      outer:
      for (Labels l : ts.keySet()) {
        for (Matcher m : matchers) {
          if (!m.matches(l.get(m.name()))) {
            continue outer;
          }
        }
        out.add(l);
      }
      return out;
    }

    @Override
    public SeriesSet select(boolean sortSeries, SelectHints hints, Matcher... matchers) {
      List<Labels> found = matching(matchers);
      long lo = hints == null ? Long.MIN_VALUE : hints.startMs();
      long hi = hints == null ? Long.MAX_VALUE : hints.endMs();
      Iterator<Labels> it = found.iterator();
      return new SeriesSet() {
        private Series current;

        @Override
        public boolean next() {
          while (it.hasNext()) {
            Labels l = it.next();
            long[] t = ts.get(l);
            double[] v = vs.get(l);
            int from = 0;
            while (from < t.length && t[from] < lo) {
              from++;
            }
            int to = from;
            while (to < t.length && t[to] <= hi) {
              to++;
            }
            if (from == to) {
              continue; // no samples in range: not returned, as by a real storage
            }
            long[] st = Arrays.copyOfRange(t, from, to);
            double[] sv = Arrays.copyOfRange(v, from, to);
            current = new Series() {
              @Override
              public Labels labels() {
                return l;
              }

              @Override
              public SampleIterator iterator(SampleIterator reuse) {
                return new ArrayIterator(st, sv);
              }
            };
            return true;
          }
          return false;
        }

        @Override
        public Series at() {
          return current;
        }
      };
    }

    @Override
    public List<String> labelValues(String name, LabelHints hints, Matcher... matchers) {
      TreeSet<String> values = new TreeSet<>();
      for (Labels l : matching(matchers)) {
        if (ts.get(l).length > 0 && l.has(name)) {
          values.add(l.get(name));
        }
      }
      return limit(new ArrayList<>(values), hints);
    }

    @Override
    public List<String> labelNames(LabelHints hints, Matcher... matchers) {
      TreeSet<String> names = new TreeSet<>();
      for (Labels l : matching(matchers)) {
        if (ts.get(l).length > 0) {
          names.addAll(l.names());
        }
      }
      return limit(new ArrayList<>(names), hints);
    }

    private static List<String> limit(List<String> list, LabelHints hints) {
      return hints != null && hints.limit() > 0 && list.size() > hints.limit() ? list.subList(0, hints.limit()) : list;
    }

    @Override
    public void close() {}
  }

  /** Iterates two parallel arrays. */
  public static final class ArrayIterator implements SampleIterator {
    private final long[] t;
    private final double[] v;
    private int i = -1;

    public ArrayIterator(long[] t, double[] v) {
      this.t = t;
      this.v = v;
    }

    @Override
    public boolean next() {
      if (i < t.length) {
        i++;
      }
      return i < t.length;
    }

    @Override
    public boolean seek(long timestampMs) {
      if (i < 0) {
        i = 0;
      }
      while (i < t.length && t[i] < timestampMs) {
        i++;
      }
      return i < t.length;
    }

    @Override
    public long atT() {
      return t[i];
    }

    @Override
    public double atV() {
      return v[i];
    }
  }
}
