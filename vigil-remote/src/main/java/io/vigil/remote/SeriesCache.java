package io.vigil.remote;

import io.vigil.model.Labels;
import io.vigil.web.Tenant;
import java.util.Arrays;
import java.util.Objects;

/**
 * Remembers, for the exact encoded label bytes of a TimeSeries, the validated {@link Labels} built
 * from them and the storage's series reference: the same sender sends the same series in every
 * request, so on a hit the receiver skips string decoding, validation, sorting and hashing, and
 * appends by reference (as Prometheus's scrape cache does for scrapes).
 *
 * <p>Keyed by the raw bytes plus the request's tenant (a tenant rewrites labels). Bounded with two
 * generations: when the current one is full it becomes the previous one and a fresh one starts;
 * entries found in the previous generation move to the current one. So series that keep coming
 * stay and vanished ones age out after two generations, without per-entry bookkeeping.
 *
 * <p>Not thread-safe (one per pooled decode context). References may go stale when the storage
 * drops a series; {@link io.vigil.storage.Appender#append(long, Labels, long, double)} then finds
 * the series by its labels, so a stale entry costs a lookup, never a wrong write.
 */
final class SeriesCache {
  /** One cached series. {@code ref} is updated after each append. */
  static final class Entry {
    final byte[] key;
    final Tenant tenant;
    final Labels labels;
    long ref;

    Entry(byte[] key, Tenant tenant, Labels labels, long ref) {
      this.key = key;
      this.tenant = tenant;
      this.labels = labels;
      this.ref = ref;
    }
  }

  private final int generationCapacity;
  private Entry[] current;
  private Entry[] previous;
  private int currentCount;

  /** @param capacity entries kept (at most twice this across both generations); 0 disables the cache */
  SeriesCache(int capacity) {
    this.generationCapacity = capacity;
    this.current = capacity == 0 ? new Entry[1] : newTable();
  }

  private Entry[] newTable() {
    return new Entry[Integer.highestOneBit(Math.max(8, generationCapacity) * 2 - 1) << 1];
  }

  /** The entry for these label bytes and tenant, or null. */
  Entry get(byte[] b, int off, int len, long hash, Tenant tenant) {
    if (generationCapacity == 0) {
      return null;
    }
    Entry e = find(current, b, off, len, hash, tenant);
    if (e != null || previous == null) {
      return e;
    }
    e = find(previous, b, off, len, hash, tenant);
    if (e != null) {
      insert(e, hash);
    }
    return e;
  }

  /** Adds an entry (the caller checked that it is absent). */
  void put(byte[] b, int off, int len, long hash, Tenant tenant, Labels labels, long ref) {
    if (generationCapacity == 0) {
      return;
    }
    insert(new Entry(Arrays.copyOfRange(b, off, off + len), tenant, labels, ref), hash);
  }

  int size() {
    return currentCount;
  }

  private void insert(Entry e, long hash) {
    if (currentCount >= generationCapacity) {
      previous = current;
      current = newTable();
      currentCount = 0;
    }
    int mask = current.length - 1;
    int slot = (int) hash & mask;
    while (current[slot] != null) {
      slot = (slot + 1) & mask;
    }
    current[slot] = e;
    currentCount++;
  }

  private static Entry find(Entry[] table, byte[] b, int off, int len, long hash, Tenant tenant) {
    int mask = table.length - 1;
    int slot = (int) hash & mask;
    for (;;) {
      Entry e = table[slot];
      if (e == null) {
        return null;
      }
      if (e.key.length == len && Arrays.equals(e.key, 0, len, b, off, off + len)
          && Objects.equals(e.tenant, tenant)) {
        return e;
      }
      slot = (slot + 1) & mask;
    }
  }
}
