package io.vigil.remote;

import io.vigil.model.Labels;
import io.vigil.web.Tenant;
import java.util.Arrays;
import java.util.Objects;

/**
 * Remembers, for the exact encoded label bytes of a TimeSeries, the validated {@link Labels} built
 * from them and the storage's series reference: senders send the same series in every request, so
 * on a hit the receiver skips string decoding, validation, sorting and hashing, and appends by
 * reference (as Prometheus's scrape cache does for scrapes, and VictoriaMetrics's raw-name cache
 * for remote write).
 *
 * <p>One cache is shared by all requests: a sender's shards arrive as concurrent requests on
 * whichever decode context is free, so a cache per context would learn every series once per
 * context and lose what it learnt whenever a context is dropped. It is split into {@link #STRIPES}
 * stripes by the hash's top bits, each behind its own lock, which concurrent requests rarely
 * contend for.
 *
 * <p>Keyed by the raw bytes plus the request's tenant (a tenant rewrites labels). Each stripe is
 * bounded with two generations: when the current one is full it becomes the previous one and a
 * fresh one starts; entries found in the previous generation move to the current one. So series
 * that keep coming stay and vanished ones age out after two generations, without per-entry
 * bookkeeping.
 *
 * <p>References may go stale when the storage drops a series; {@link
 * io.vigil.storage.Appender#append(long, Labels, long, double)} then finds the series by its labels,
 * so a stale entry costs a lookup, never a wrong write.
 */
final class SeriesCache {
  static final int STRIPES = 16;
  private static final int INITIAL_TABLE_SIZE = 64;

  /** One cached series. {@code ref} is updated after appends that changed it. */
  static final class Entry {
    final byte[] key;
    final Tenant tenant;
    final Labels labels;
    volatile long ref;

    Entry(byte[] key, Tenant tenant, Labels labels, long ref) {
      this.key = key;
      this.tenant = tenant;
      this.labels = labels;
      this.ref = ref;
    }
  }

  private final Stripe[] stripes;

  /** @param capacity entries per generation over all stripes (at most twice this kept); 0 disables the cache */
  SeriesCache(int capacity) {
    if (capacity == 0) {
      stripes = null;
      return;
    }
    stripes = new Stripe[STRIPES];
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new Stripe(Math.max(8, (capacity + STRIPES - 1) / STRIPES));
    }
  }

  /** The entry for these label bytes and tenant, or null. */
  Entry get(byte[] b, int off, int len, long hash, Tenant tenant) {
    if (stripes == null) {
      return null;
    }
    Stripe s = stripe(hash);
    synchronized (s) {
      return s.get(b, off, len, hash, tenant);
    }
  }

  /** Adds an entry unless another request added the same series meanwhile. */
  void put(byte[] b, int off, int len, long hash, Tenant tenant, Labels labels, long ref) {
    if (stripes == null) {
      return;
    }
    byte[] key = Arrays.copyOfRange(b, off, off + len);
    Stripe s = stripe(hash);
    synchronized (s) {
      if (s.get(b, off, len, hash, tenant) == null) {
        s.insert(new Entry(key, tenant, labels, ref), hash);
      }
    }
  }

  /** Entries in the current generations. */
  int size() {
    if (stripes == null) {
      return 0;
    }
    int n = 0;
    for (Stripe s : stripes) {
      synchronized (s) {
        n += s.currentCount;
      }
    }
    return n;
  }

  private Stripe stripe(long hash) {
    return stripes[(int) (hash >>> 60) & (STRIPES - 1)];
  }

  /**
   * One stripe: an open-addressing table per generation, with the entries' hashes in a parallel
   * array so that probing reads consecutive longs and dereferences only the entry whose hash matches
   * (comparing keys along a probe chain cost a cache miss per entry); guarded by the stripe's monitor.
   */
  private static final class Stripe {
    private final int generationCapacity;
    private Table current;
    private Table previous;
    private int currentCount;

    Stripe(int generationCapacity) {
      this.generationCapacity = generationCapacity;
      // Tables grow as series arrive: a server with a few thousand series does not pay for a cache
      // sized by its heap (12 bytes per slot, two slots per entry).
      this.current = new Table(Math.min(INITIAL_TABLE_SIZE, maxTableSize()));
    }

    private int maxTableSize() {
      return Integer.highestOneBit(generationCapacity * 2 - 1) << 1;
    }

    Entry get(byte[] b, int off, int len, long hash, Tenant tenant) {
      Entry e = current.find(b, off, len, hash, tenant);
      if (e != null || previous == null) {
        return e;
      }
      e = previous.find(b, off, len, hash, tenant);
      if (e != null) {
        insert(e, hash);
      }
      return e;
    }

    void insert(Entry e, long hash) {
      if (currentCount >= generationCapacity) {
        previous = current;
        current = new Table(previous.entries.length);
        currentCount = 0;
      } else if (2 * (currentCount + 1) > current.entries.length) {
        current = current.doubled();
      }
      current.add(e, hash);
      currentCount++;
    }
  }

  /** A linear-probing table at most half full. */
  private static final class Table {
    final Entry[] entries;
    final long[] hashes;

    Table(int size) {
      entries = new Entry[size];
      hashes = new long[size];
    }

    Table doubled() {
      Table t = new Table(entries.length * 2);
      for (int i = 0; i < entries.length; i++) {
        if (entries[i] != null) {
          t.add(entries[i], hashes[i]);
        }
      }
      return t;
    }

    Entry find(byte[] b, int off, int len, long hash, Tenant tenant) {
      int mask = entries.length - 1;
      for (int slot = (int) hash & mask; ; slot = (slot + 1) & mask) {
        if (hashes[slot] == hash) {
          Entry e = entries[slot];
          if (e == null) { // an empty slot (its hash is 0) ends the chain even when the key hashes to 0
            return null;
          }
          if (e.key.length == len && Arrays.equals(e.key, 0, len, b, off, off + len) && Objects.equals(e.tenant, tenant)) {
            return e;
          }
        } else if (entries[slot] == null) {
          return null;
        }
      }
    }

    void add(Entry e, long hash) {
      int mask = entries.length - 1;
      int slot = (int) hash & mask;
      while (entries[slot] != null) {
        slot = (slot + 1) & mask;
      }
      entries[slot] = e;
      hashes[slot] = hash;
    }
  }
}
