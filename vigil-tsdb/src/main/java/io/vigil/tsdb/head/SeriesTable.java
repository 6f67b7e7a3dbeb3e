package io.vigil.tsdb.head;

import io.vigil.model.Labels;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The head's series by reference and by labels. Lookup by reference (the appenders' fast path) is a
 * lock-free read of a paged array indexed by the reference, which is why references are dense ints
 * handed out in order; lookup by labels is a concurrent hash map. Insertions and removals are
 * serialized by the head's series lock.
 */
final class SeriesTable {
  private static final int PAGE_BITS = 12;
  private static final int PAGE_SIZE = 1 << PAGE_BITS;
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(MemSeries[].class);

  private volatile MemSeries[][] pages = new MemSeries[16][];
  private final ConcurrentHashMap<Labels, MemSeries> byLabels = new ConcurrentHashMap<>();
  private final AtomicInteger size = new AtomicInteger();
  private int maxRef;

  MemSeries get(long ref) {
    if (ref <= 0 || ref > Integer.MAX_VALUE) {
      return null;
    }
    int r = (int) ref;
    MemSeries[][] p = pages;
    int page = r >>> PAGE_BITS;
    if (page >= p.length || p[page] == null) {
      return null;
    }
    return (MemSeries) SLOT.getAcquire(p[page], r & (PAGE_SIZE - 1));
  }

  MemSeries get(Labels labels) {
    return byLabels.get(labels);
  }

  /** Adds a series; the caller holds the head's series lock. */
  void put(MemSeries s) {
    int page = s.ref >>> PAGE_BITS;
    MemSeries[][] p = pages;
    if (page >= p.length) {
      p = Arrays.copyOf(p, Math.max(page + 1, p.length * 2));
    }
    if (p[page] == null) {
      p = p == pages ? p.clone() : p;
      p[page] = new MemSeries[PAGE_SIZE];
    }
    SLOT.setRelease(p[page], s.ref & (PAGE_SIZE - 1), s);
    if (p != pages) {
      pages = p; // volatile publication of the grown directory
    }
    byLabels.put(s.labels, s);
    size.incrementAndGet();
    maxRef = Math.max(maxRef, s.ref);
  }

  /** Removes a series; the caller holds the head's series lock. */
  void remove(MemSeries s) {
    MemSeries[][] p = pages;
    SLOT.setRelease(p[s.ref >>> PAGE_BITS], s.ref & (PAGE_SIZE - 1), (MemSeries) null);
    byLabels.remove(s.labels, s);
    size.decrementAndGet();
  }

  int size() {
    return size.get();
  }

  /** Highest reference ever put; the caller holds the head's series lock. */
  int maxRef() {
    return maxRef;
  }

  /** Visits every series present at some point during the call (weakly consistent). */
  void forEach(Consumer<MemSeries> action) {
    MemSeries[][] p = pages;
    for (MemSeries[] page : p) {
      if (page == null) {
        continue;
      }
      for (int i = 0; i < PAGE_SIZE; i++) {
        MemSeries s = (MemSeries) SLOT.getAcquire(page, i);
        if (s != null) {
          action.accept(s);
        }
      }
    }
  }
}
