package io.vigil.scrape;

import io.vigil.exposition.ByteSlice;
import io.vigil.model.Labels;
import io.vigil.model.Metadata;
import io.vigil.model.MetricType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one target's scrapes have seen (Prometheus's {@code scrapeCache}): for every raw series text
 * of the body ({@code up{job="a"}} exactly as written) the final labels after target labels and
 * metric relabeling and the storage series reference, so a series seen before costs one hash lookup
 * and an append by reference: no label parsing, no relabeling, no allocation. Raw texts that metric
 * relabeling dropped are cached too, as dropped.
 *
 * <p>It also tracks which series the last successful scrape wrote, for staleness markers, and the
 * TYPE/HELP/UNIT metadata per metric family.
 *
 * <p>Series entries are used by one scrape loop at a time (not thread-safe); a loop restarted by a
 * reload hands its cache to its successor after it has stopped. Metadata may be read by any thread
 * at any time.
 */
public final class ScrapeCache {
  /** Metadata of families not seen for this many scrapes is forgotten (Prometheus keeps it 10). */
  static final int METADATA_KEEP_ITERATIONS = 10;

  /** One raw series text. */
  static final class Entry {
    final ByteSlice key;
    /** Final labels; null when metric relabeling dropped the series. */
    final Labels labels;
    long ref;
    /** Iteration of the append that saw it last. */
    int seenIter = -1;
    /** Iteration of the last successful append that saw it and wants staleness tracked, else -1. */
    int liveIter = -1;
    /** Whether the sample seen in iteration {@link #seenIter} is tracked for staleness. */
    boolean tracked;
    int index;

    Entry(ByteSlice key, Labels labels, long ref) {
      this.key = key;
      this.labels = labels;
      this.ref = ref;
    }
  }

  /** One metric family's metadata; fields written by the loop, {@link #snapshot} read by anyone. */
  static final class MetaEntry {
    final String name;
    MetricType type = MetricType.UNKNOWN;
    byte[] helpRaw = new byte[0];
    String help = "";
    byte[] unitRaw = new byte[0];
    String unit = "";
    volatile int lastIter;
    volatile Metadata snapshot = Metadata.UNKNOWN;

    MetaEntry(String name) {
      this.name = name;
    }

    void publish() {
      snapshot = new Metadata(type, help, unit);
    }
  }

  private final HashMap<ByteSlice, Entry> byKey = new HashMap<>();
  private Entry[] entries = new Entry[64];
  private int size;
  private final ConcurrentHashMap<ByteSlice, MetaEntry> metadata = new ConcurrentHashMap<>();

  /** The iteration (append) in progress; also counts appends. */
  int iter;
  /** The last successful iteration whose tracked series have not been marked stale, or -1. */
  int prevLiveIter = -1;
  private int successfulCount;
  private final ScrapeMetrics metrics;

  public ScrapeCache(ScrapeMetrics metrics) {
    this.metrics = metrics;
  }

  /** The entry for a raw series text (a view is fine: nothing is allocated), or null. */
  Entry get(ByteSlice rawSeries) {
    return byKey.get(rawSeries);
  }

  /** Adds an entry for a copy of {@code rawSeries}; {@code labels} null means dropped. */
  Entry add(ByteSlice rawSeries, Labels labels, long ref) {
    Entry e = new Entry(rawSeries.copy(), labels, ref);
    byKey.put(e.key, e);
    if (size == entries.length) {
      entries = Arrays.copyOf(entries, size * 2);
    }
    e.index = size;
    entries[size++] = e;
    return e;
  }

  /** Cached raw series texts, dropped ones included. */
  public int size() {
    return size;
  }

  /** Starts an append; returns its iteration number. */
  int beginIteration() {
    return ++iter;
  }

  /**
   * Ends a successful append: series live in the previous successful append and absent now get
   * a staleness marker from {@code stale}; entries not seen now are forgotten (they would only
   * grow the cache through churn or alternative spellings). An empty body keeps the entries.
   */
  void endSuccessfulIteration(StaleSink stale, boolean emptyBody) {
    int cur = iter;
    int prev = prevLiveIter;
    int w = 0;
    for (int i = 0; i < size; i++) {
      Entry e = entries[i];
      if (e.seenIter == cur) {
        e.liveIter = e.tracked && e.labels != null ? cur : -1;
      } else {
        if (e.liveIter == prev && prev >= 0 && e.labels != null) {
          stale.stale(e);
        }
        e.liveIter = -1;
        if (!emptyBody) {
          byKey.remove(e.key);
          entries[i] = null;
          continue;
        }
      }
      entries[w] = e;
      e.index = w++;
    }
    Arrays.fill(entries, w, size, null);
    size = w;
    prevLiveIter = cur;
    if (!emptyBody) {
      successfulCount = size;
      expireMetadata(cur);
    }
  }

  /**
   * Ends a failed append (or a target's last run): every series live in the last successful
   * append gets a staleness marker, since none of them was written now. A cache that grew past
   * twice its last successful size (plus 1000) is flushed of entries not seen now, so failing
   * scrapes with changing series cannot grow it without bound.
   */
  void endFailedIteration(StaleSink stale) {
    int prev = prevLiveIter;
    for (int i = 0; i < size; i++) {
      Entry e = entries[i];
      if (e.liveIter == prev && prev >= 0 && e.labels != null) {
        stale.stale(e);
      }
      e.liveIter = -1;
    }
    prevLiveIter = -1;
    if (size > 2L * successfulCount + 1000) {
      if (metrics != null) {
        metrics.cacheFlushForced.inc();
      }
      int cur = iter;
      int w = 0;
      for (int i = 0; i < size; i++) {
        Entry e = entries[i];
        if (e.seenIter != cur) {
          byKey.remove(e.key);
          continue;
        }
        entries[w] = e;
        e.index = w++;
      }
      Arrays.fill(entries, w, size, null);
      size = w;
    }
  }

  /** Receives the entries that need a staleness marker. */
  @FunctionalInterface
  interface StaleSink {
    void stale(Entry e);
  }

  // ---- metadata ----

  /** The metadata entry of a family (view key), created on first sight. */
  MetaEntry meta(ByteSlice family) {
    MetaEntry m = metadata.get(family);
    if (m == null) {
      ByteSlice key = family.copy();
      m = new MetaEntry(key.toString());
      metadata.put(key, m);
    }
    m.lastIter = iter;
    return m;
  }

  private void expireMetadata(int cur) {
    if (metadata.isEmpty()) {
      return;
    }
    metadata.values().removeIf(m -> cur - m.lastIter > METADATA_KEEP_ITERATIONS);
  }

  /** The families this target reported recently, sorted by name. Thread-safe. */
  public List<MetricMetadata> metadata() {
    List<MetricMetadata> out = new ArrayList<>(metadata.size());
    for (MetaEntry m : metadata.values()) {
      out.add(new MetricMetadata(m.name, m.snapshot));
    }
    out.sort((a, b) -> a.metric().compareTo(b.metric()));
    return out;
  }

  /** Number of families with metadata. Thread-safe. */
  public int metadataSize() {
    return metadata.size();
  }
}
