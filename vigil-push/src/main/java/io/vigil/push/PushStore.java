package io.vigil.push;

import io.vigil.model.Labels;
import java.io.IOException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The groups, the consistency rules across them, and their journal. Every change happens under one
 * lock, in this order: check, append the record to the journal buffer, make the new state visible;
 * then, without the lock, wait until the record is durable. So a rejected change leaves nothing
 * behind, the journal's order is the order of changes, and concurrent changes share fsyncs. The work
 * under the lock is proportional to the size of the push (and of the group it changes), never to the
 * number of groups. Reads ({@link #get}, {@link #groups}) take no lock: group states are immutable.
 */
final class PushStore implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PushStore.class);

  private final PushOptions options;
  private final PushMetrics metrics;
  private final InstantSource clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final Object compactionMonitor = new Object();
  private final ConcurrentHashMap<GroupingKey, PushGroup> groups = new ConcurrentHashMap<>();
  private final ConsistencyIndex index = new ConsistencyIndex();
  private final Journal journal;
  private volatile Function<String, NameClaims.Claim> ownClaims;
  private long lastNanos;

  private PushStore(PushOptions options, PushMetrics metrics, InstantSource clock, Journal journal) {
    this.options = options;
    this.metrics = metrics;
    this.clock = clock;
    this.journal = journal;
  }

  /** Replays the journal directory of {@code options} and opens the store. */
  static PushStore open(PushOptions options, PushMetrics metrics, InstantSource clock) throws IOException {
    LinkedHashMap<GroupingKey, PushGroup> replayed = new LinkedHashMap<>();
    Journal journal = Journal.open(options.journalDir(), options.fsync(), metrics, replayed);
    PushStore store = new PushStore(options, metrics, clock, journal);
    boolean dropped = store.rebuild(replayed);
    if (journal.hadDamage() || dropped) {
      try {
        store.compact(); // the recovered state goes into a clean snapshot; damaged files are set aside
      } catch (IOException e) {
        // The recovered state is in memory and the damage stays on disk: the next compaction retries.
        log.atError().setCause(e).log("could not compact the push journal after recovering from damage");
      }
    }
    return store;
  }

  /**
   * Indexes replayed groups, newest first. Only damage (a lost delete) can make two of them
   * conflict; the older one is then dropped, loudly, so the exposition stays valid.
   */
  private boolean rebuild(LinkedHashMap<GroupingKey, PushGroup> replayed) {
    boolean dropped = false;
    for (PushGroup g : replayed.sequencedValues().reversed()) {
      String conflict = index.check(g.key(), null, g.families(), true, null);
      if (conflict != null) {
        log.atError().addKeyValue("group", g.key()).addKeyValue("cause", conflict)
            .log("replayed push group conflicts with a newer group (the journal lost a change); dropping it");
        dropped = true;
        continue;
      }
      index.replace(null, g);
      groups.put(g.key(), g);
    }
    return dropped;
  }

  /** Unix ns from the clock, strictly increasing across changes (so push times never go back). */
  private long nowNanos() {
    Instant now = clock.instant();
    long t = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    lastNanos = Math.max(t, lastNanos + 1);
    return lastNanos;
  }

  /**
   * Puts ({@code replaceAll}) or posts families into group {@code key}; they come from
   * {@link PushBody} and get the push time here. Returns the new state once it is durable.
   *
   * @param ttlMs the group's TTL override from the request, or {@link PushGroup#DEFAULT_TTL}
   */
  PushGroup push(GroupingKey key, List<PushedFamily> families, boolean replaceAll, long ttlMs)
      throws PushRejectedException {
    long lsn;
    PushGroup next;
    String conflict;
    lock.lock();
    try {
      ensureWritable();
      long now = nowNanos();
      PushGroup existing = groups.get(key);
      if (existing == null && groups.size() >= options.maxGroups()) {
        throw PushRejectedException.invalid("push rejected: the store holds " + groups.size()
            + " groups, the limit; delete groups or raise the limit of groups");
      }
      conflict = index.check(key, existing, families, replaceAll, ownClaims);
      if (conflict != null) {
        if (existing == null) {
          throw PushRejectedException.inconsistent(conflict); // no group is created (better than the Pushgateway)
        }
        next = existing.withFailure(now);
      } else {
        List<PushedFamily> stamped = stamp(families, now);
        List<PushedFamily> merged = replaceAll || existing == null ? stamped : merge(existing.families(), stamped);
        next = new PushGroup(key, merged, now, existing == null ? 0 : existing.failureTimeNanos(), ttlMs);
        if (!replaceAll && existing != null && next.sampleCount() - 2 > options.maxSeriesPerPush()) {
          throw PushRejectedException.invalid("push rejected: the group " + key + " would hold "
              + (next.sampleCount() - 2) + " series, more than the limit of " + options.maxSeriesPerPush());
        }
      }
      lsn = append(next);
      groups.put(key, next);
      if (conflict == null) {
        index.replace(existing, next);
      }
    } finally {
      lock.unlock();
    }
    awaitDurable(lsn);
    if (conflict != null) {
      throw PushRejectedException.inconsistent(conflict);
    }
    return next;
  }

  /**
   * A push to {@code key} failed a consistency rule before reaching the store: an existing group
   * gets a new push_failure_time_seconds (durably); no group is created.
   */
  void recordFailure(GroupingKey key) throws PushRejectedException {
    long lsn;
    lock.lock();
    try {
      PushGroup existing = groups.get(key);
      if (existing == null) {
        return;
      }
      ensureWritable();
      PushGroup failed = existing.withFailure(nowNanos());
      lsn = append(failed);
      groups.put(key, failed);
    } finally {
      lock.unlock();
    }
    awaitDurable(lsn);
  }

  /** Deletes the group with exactly this key; returns whether there was one. Durable on return. */
  boolean delete(GroupingKey key) throws PushRejectedException {
    long lsn;
    lock.lock();
    try {
      PushGroup existing = groups.get(key);
      if (existing == null) {
        return false;
      }
      ensureWritable();
      lsn = appendDelete(key, false);
      groups.remove(key);
      index.replace(existing, null);
    } finally {
      lock.unlock();
    }
    awaitDurable(lsn);
    return true;
  }

  /** Deletes every group whose key carries all labels of {@code filter}; returns their keys. */
  List<GroupingKey> wipe(Labels filter) throws PushRejectedException {
    long lsn;
    List<GroupingKey> removed = new ArrayList<>();
    lock.lock();
    try {
      for (GroupingKey k : groups.keySet()) {
        if (k.matches(filter)) {
          removed.add(k);
        }
      }
      if (removed.isEmpty()) {
        return removed;
      }
      ensureWritable();
      try {
        lsn = journal.appendWipe(filter);
      } catch (IOException e) {
        throw unavailable(e);
      }
      for (GroupingKey k : removed) {
        index.replace(groups.remove(k), null);
      }
    } finally {
      lock.unlock();
    }
    awaitDurable(lsn);
    return removed;
  }

  /** Deletes (durably) the groups whose TTL has run out; returns their keys. */
  List<GroupingKey> expire() throws PushRejectedException {
    long defaultTtlMs = options.groupTtl().toMillis();
    List<GroupingKey> expired = new ArrayList<>();
    long lsn = 0;
    lock.lock();
    try {
      Instant now = clock.instant();
      long nowNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
      for (PushGroup g : groups.values()) {
        long ttl = g.effectiveTtlMs(defaultTtlMs);
        if (ttl > 0 && nowNanos - g.pushTimeNanos() > ttl * 1_000_000L) {
          ensureWritable();
          lsn = appendDelete(g.key(), true);
          groups.remove(g.key());
          index.replace(g, null);
          expired.add(g.key());
        }
      }
    } finally {
      lock.unlock();
    }
    if (!expired.isEmpty()) {
      awaitDurable(lsn);
      metrics.expired(expired.size());
      log.atInfo().addKeyValue("groups", expired.size()).addKeyValue("first", expired.getFirst())
          .log("push groups expired (not pushed to within their TTL) and deleted");
    }
    return expired;
  }

  private static List<PushedFamily> stamp(List<PushedFamily> families, long nanos) {
    List<PushedFamily> out = new ArrayList<>(families.size());
    for (PushedFamily f : families) {
      out.add(new PushedFamily(f.name(), f.type(), f.help(), nanos, f.points()));
    }
    return out;
  }

  /** POST: the group's families with those of the same name replaced; both lists sorted by name. */
  private static List<PushedFamily> merge(List<PushedFamily> old, List<PushedFamily> pushed) {
    if (pushed.isEmpty()) {
      return old; // the same list: the sampler sees unchanged series and keeps its references
    }
    List<PushedFamily> out = new ArrayList<>(old.size() + pushed.size());
    int i = 0;
    int j = 0;
    while (i < old.size() || j < pushed.size()) {
      if (j == pushed.size()) {
        out.add(old.get(i++));
      } else if (i == old.size()) {
        out.add(pushed.get(j++));
      } else {
        int c = old.get(i).name().compareTo(pushed.get(j).name());
        if (c < 0) {
          out.add(old.get(i++));
        } else {
          out.add(pushed.get(j++));
          if (c == 0) {
            i++;
          }
        }
      }
    }
    return out;
  }

  private long append(PushGroup g) throws PushRejectedException {
    try {
      return journal.appendGroup(g);
    } catch (IOException e) {
      throw unavailable(e);
    }
  }

  private long appendDelete(GroupingKey key, boolean expired) throws PushRejectedException {
    try {
      return journal.appendDelete(key, expired);
    } catch (IOException e) {
      throw unavailable(e);
    }
  }

  private void awaitDurable(long lsn) throws PushRejectedException {
    try {
      journal.awaitDurable(lsn);
    } catch (IOException e) {
      throw new PushRejectedException(PushRejectedException.Kind.UNAVAILABLE, 500,
          "the change could not be made durable: " + e.getMessage());
    }
  }

  /** With the lock held: if the journal failed, repair it by writing a snapshot of the whole state. */
  private void ensureWritable() throws PushRejectedException {
    if (!journal.failed()) {
      return;
    }
    try {
      long n = journal.beginCompaction();
      journal.finishCompaction(n, List.copyOf(groups.values()));
      log.info("push journal repaired: the whole state was written to a new snapshot");
    } catch (IOException e) {
      throw unavailable(e);
    }
  }

  private static PushRejectedException unavailable(IOException e) {
    return new PushRejectedException(PushRejectedException.Kind.UNAVAILABLE, 503,
        "the push store cannot write its journal, so it accepts no changes: " + e.getMessage());
  }

  /**
   * Writes the live groups into a snapshot and removes the journal files it replaces. Pushes go on
   * meanwhile (into the new segment). One compaction at a time.
   */
  void compact() throws IOException {
    synchronized (compactionMonitor) {
      long n;
      List<PushGroup> copy;
      lock.lock();
      try {
        n = journal.beginCompaction();
        copy = new ArrayList<>(groups.values());
      } finally {
        lock.unlock();
      }
      copy.sort((a, b) -> a.key().compareTo(b.key()));
      journal.finishCompaction(n, copy);
    }
  }

  /** Compacts if enough was written since the last snapshot. */
  void compactIfDue() throws IOException {
    if (journal.compactionDue(options.compactionMinBytes())) {
      compact();
    }
  }

  /** The sample names Vigil's own metrics occupy in the same exposition (null: none). */
  void setOwnClaims(Function<String, NameClaims.Claim> claims) {
    this.ownClaims = claims;
  }

  PushGroup get(GroupingKey key) {
    return groups.get(key);
  }

  Collection<PushGroup> groups() {
    return groups.values();
  }

  /** The groups sorted by key, for outputs that must be deterministic. */
  List<PushGroup> sortedGroups() {
    List<PushGroup> list = new ArrayList<>(groups.values());
    list.sort((a, b) -> a.key().compareTo(b.key()));
    return list;
  }

  int size() {
    return groups.size();
  }

  int seriesCount() {
    return index.seriesCount();
  }

  long journalBytes() {
    return journal.bytesSinceSnapshot();
  }

  @Override
  public void close() throws IOException {
    lock.lock();
    try {
      journal.close();
    } finally {
      lock.unlock();
    }
  }
}
