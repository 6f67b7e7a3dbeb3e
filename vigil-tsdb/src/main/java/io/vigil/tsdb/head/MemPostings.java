package io.vigil.tsdb.head;

import io.vigil.model.Labels;
import io.vigil.tsdb.query.IndexView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Predicate;
import org.roaringbitmap.FastAggregation;
import org.roaringbitmap.RoaringBitmap;

/**
 * The head's inverted index: for every label name, its values in sorted order (a prefix is a range
 * scan) with a RoaringBitmap of series references each. It also interns label strings: a new
 * series' labels are rebuilt from the strings already held here, so a name or value is stored once
 * however many series carry it, and is released when its last series goes.
 *
 * <p>Writers (series creation and removal, rare next to samples) take the write lock; readers run
 * their whole postings computation under the read lock via {@link #read}.
 */
final class MemPostings {
  private static final RoaringBitmap EMPTY = new RoaringBitmap();

  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final HashMap<String, LabelValues> names = new HashMap<>();
  private final RoaringBitmap all = new RoaringBitmap();

  /** One label name: the name string everyone shares and its values. */
  static final class LabelValues {
    final String name;
    final TreeMap<String, RoaringBitmap> values = new TreeMap<>();

    LabelValues(String name) {
      this.name = name;
    }
  }

  /** Indexes series {@code ref} and returns its labels built from interned strings. */
  Labels add(int ref, Labels labels) {
    String[] pairs = new String[labels.size() * 2];
    lock.writeLock().lock();
    try {
      for (int i = 0; i < labels.size(); i++) {
        String name = labels.name(i);
        String value = labels.value(i);
        LabelValues lv = names.computeIfAbsent(name, LabelValues::new);
        Map.Entry<String, RoaringBitmap> e = lv.values.ceilingEntry(value);
        RoaringBitmap bm;
        if (e != null && e.getKey().equals(value)) {
          value = e.getKey();
          bm = e.getValue();
        } else {
          bm = new RoaringBitmap();
          lv.values.put(value, bm);
        }
        bm.add(ref);
        pairs[2 * i] = lv.name;
        pairs[2 * i + 1] = value;
      }
      all.add(ref);
    } finally {
      lock.writeLock().unlock();
    }
    return Labels.fromSortedPairs(pairs);
  }

  void delete(int ref, Labels labels) {
    lock.writeLock().lock();
    try {
      for (int i = 0; i < labels.size(); i++) {
        LabelValues lv = names.get(labels.name(i));
        if (lv == null) {
          continue;
        }
        RoaringBitmap bm = lv.values.get(labels.value(i));
        if (bm != null) {
          bm.remove(ref);
          if (bm.isEmpty()) {
            lv.values.remove(labels.value(i));
            if (lv.values.isEmpty()) {
              names.remove(lv.name);
            }
          }
        }
      }
      all.remove(ref);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Runs {@code f} under the read lock; the view must not escape it. */
  <T> T read(Function<IndexView, T> f) {
    lock.readLock().lock();
    try {
      return f.apply(view);
    } finally {
      lock.readLock().unlock();
    }
  }

  private final IndexView view = new IndexView() {
    @Override
    public RoaringBitmap allPostings() {
      return all;
    }

    @Override
    public RoaringBitmap postings(String name, String value) {
      LabelValues lv = names.get(name);
      RoaringBitmap bm = lv == null ? null : lv.values.get(value);
      return bm == null ? EMPTY : bm;
    }

    @Override
    public RoaringBitmap postingsForValues(String name, String prefix, Predicate<String> accept) {
      LabelValues lv = names.get(name);
      if (lv == null) {
        return EMPTY;
      }
      List<RoaringBitmap> parts = new ArrayList<>();
      for (Map.Entry<String, RoaringBitmap> e : lv.values.tailMap(prefix, true).entrySet()) {
        if (!e.getKey().startsWith(prefix)) {
          break;
        }
        if (accept.test(e.getKey())) {
          parts.add(e.getValue());
        }
      }
      return parts.isEmpty() ? EMPTY : parts.size() == 1 ? parts.get(0) : FastAggregation.or(parts.iterator());
    }
  };

  /** Sorted values of {@code name} across all series. */
  List<String> labelValues(String name) {
    lock.readLock().lock();
    try {
      LabelValues lv = names.get(name);
      return lv == null ? List.of() : new ArrayList<>(lv.values.keySet());
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Sorted label names across all series. */
  List<String> labelNames() {
    lock.readLock().lock();
    try {
      List<String> out = new ArrayList<>(names.keySet());
      out.sort(null);
      return out;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Visits every label name with its values (under the read lock); for statistics. */
  void forEachName(java.util.function.BiConsumer<String, TreeMap<String, RoaringBitmap>> action) {
    lock.readLock().lock();
    try {
      names.forEach((n, lv) -> action.accept(n, lv.values));
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Top-N statistics over the index for /api/v1/status/tsdb. */
  record Stats(long numLabelPairs, List<Map.Entry<String, Long>> seriesByMetricName, List<Map.Entry<String, Long>> valuesByLabelName,
      List<Map.Entry<String, Long>> bytesByLabelName, List<Map.Entry<String, Long>> seriesByLabelPair) {}

  Stats stats(int limit) {
    Top byMetric = new Top(limit);
    Top valuesByName = new Top(limit);
    Top bytesByName = new Top(limit);
    Top byPair = new Top(limit);
    long pairs = 0;
    lock.readLock().lock();
    try {
      for (LabelValues lv : names.values()) {
        long bytes = 0;
        for (Map.Entry<String, RoaringBitmap> e : lv.values.entrySet()) {
          long n = e.getValue().getLongCardinality();
          bytes += e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
          byPair.offer(lv.name + "=" + e.getKey(), n);
          if (lv.name.equals(Labels.METRIC_NAME)) {
            byMetric.offer(e.getKey(), n);
          }
        }
        pairs += lv.values.size();
        valuesByName.offer(lv.name, lv.values.size());
        bytesByName.offer(lv.name, bytes);
      }
    } finally {
      lock.readLock().unlock();
    }
    return new Stats(pairs, byMetric.sorted(), valuesByName.sorted(), bytesByName.sorted(), byPair.sorted());
  }

  /** Keeps the N largest (name, count) entries; ties broken by name for stable output. */
  private static final class Top {
    private final int limit;
    private final java.util.PriorityQueue<Map.Entry<String, Long>> heap;
    private static final java.util.Comparator<Map.Entry<String, Long>> ORDER =
        Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.<String, Long>comparingByKey().reversed());

    Top(int limit) {
      this.limit = limit;
      this.heap = new java.util.PriorityQueue<>(Math.max(1, limit + 1), ORDER);
    }

    void offer(String name, long count) {
      if (limit <= 0) {
        return;
      }
      heap.add(Map.entry(name, count));
      if (heap.size() > limit) {
        heap.poll();
      }
    }

    List<Map.Entry<String, Long>> sorted() {
      List<Map.Entry<String, Long>> out = new ArrayList<>(heap);
      out.sort(ORDER.reversed());
      return out;
    }
  }

  /** Approximate heap bytes of the index: bitmaps, tree entries and the interned strings. */
  long sizeBytes() {
    lock.readLock().lock();
    try {
      long b = all.getSizeInBytes();
      for (LabelValues lv : names.values()) {
        b += 64 + 40 + lv.name.length();
        for (Map.Entry<String, RoaringBitmap> e : lv.values.entrySet()) {
          // TreeMap entry (40) + String (24 + array 16 + chars) + bitmap object and containers.
          b += 40 + 40 + e.getKey().length() + 48 + e.getValue().getSizeInBytes();
        }
      }
      return b;
    } finally {
      lock.readLock().unlock();
    }
  }
}
