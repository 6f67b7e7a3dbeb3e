package io.vigil.push;

import io.vigil.model.Labels;
import io.vigil.model.StaleNaN;
import io.vigil.storage.Appendable;
import io.vigil.storage.Appender;
import io.vigil.storage.SampleRejectedException;
import io.vigil.storage.StorageException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the pushed groups into the storage as if it scraped a Pushgateway with
 * {@code honor_labels: true}: every interval (the global scrape_interval) all groups, with one
 * appender commit per round; and, between rounds, the groups that just changed (so a fresh push is
 * queryable at once), batched: everything that changed while the previous write ran goes into the
 * next commit.
 *
 * <p>Per group it keeps the series references of the last write, so a round appends by reference
 * and hashes labels only after a group changed. When a series disappears (a push without it, a
 * deletion, a wipe, an expiry) it gets a staleness marker ({@link StaleNaN}) at the next write,
 * as Prometheus marks series that vanish from a scrape.
 *
 * <p>One thread does all writes, so timestamps only grow: each write takes
 * {@code max(now, previous + 1 ms)}. Thread-safe.
 */
final class GroupSampler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GroupSampler.class);

  private final PushStore store;
  private final Appendable appendable;
  private final PushMetrics metrics;
  private final InstantSource clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private final Set<GroupingKey> dirty = new HashSet<>();
  private final List<CompletableFuture<Void>> waiting = new ArrayList<>();
  private final Thread thread;
  private volatile long intervalMs;
  private volatile boolean closed;

  /** Sampler-thread state: what was last written for each group. */
  private static final class Written {
    final PushGroup state;
    final SampleView view;
    final long[] refs;

    Written(PushGroup state, SampleView view, long[] refs) {
      this.state = state;
      this.view = view;
      this.refs = refs;
    }
  }

  private final Map<GroupingKey, Written> written = new HashMap<>();
  private long lastTimestampMs;

  GroupSampler(PushStore store, Appendable appendable, Duration interval, PushMetrics metrics, InstantSource clock) {
    this.store = store;
    this.appendable = appendable;
    this.metrics = metrics;
    this.clock = clock;
    setInterval(interval);
    this.thread = Thread.ofPlatform().name("vigil-push-sampler").daemon(true).unstarted(this::run);
  }

  void start() {
    thread.start();
  }

  void setInterval(Duration interval) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("push sampling interval must be positive: " + interval);
    }
    intervalMs = interval.toMillis();
    lock.lock();
    try {
      wake.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Asks for these groups to be written soon; the future completes once they are committed. */
  CompletableFuture<Void> sampleSoon(Collection<GroupingKey> keys) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    lock.lock();
    try {
      if (closed) {
        f.complete(null);
        return f;
      }
      dirty.addAll(keys);
      waiting.add(f);
      wake.signalAll();
    } finally {
      lock.unlock();
    }
    return f;
  }

  private void run() {
    long lastRoundMs = Long.MIN_VALUE / 2; // the first round right away
    while (!closed) {
      List<GroupingKey> keys;
      List<CompletableFuture<Void>> done;
      boolean round;
      lock.lock();
      try {
        // The interval is read on every wake-up, so a changed scrape_interval applies at once.
        while (!closed && dirty.isEmpty() && clock.millis() < lastRoundMs + intervalMs) {
          wake.awaitNanos(Math.max(1, lastRoundMs + intervalMs - clock.millis()) * 1_000_000L);
        }
        if (closed) {
          break;
        }
        round = clock.millis() >= lastRoundMs + intervalMs;
        keys = new ArrayList<>(dirty);
        dirty.clear();
        done = new ArrayList<>(waiting);
        waiting.clear();
      } catch (InterruptedException e) {
        break;
      } finally {
        lock.unlock();
      }
      try {
        if (round) {
          lastRoundMs = clock.millis();
          writeAll();
        } else {
          writeSome(keys);
        }
      } catch (RuntimeException e) {
        metrics.sampleError("internal");
        log.atError().setCause(e).log("sampling pushed groups failed");
      } finally {
        for (CompletableFuture<Void> f : done) {
          f.complete(null);
        }
      }
    }
    lock.lock();
    try {
      waiting.forEach(f -> f.complete(null));
      waiting.clear();
    } finally {
      lock.unlock();
    }
  }

  private long nextTimestamp() {
    lastTimestampMs = Math.max(clock.millis(), lastTimestampMs + 1);
    return lastTimestampMs;
  }

  /** One round: every group, and staleness markers for groups that are gone. */
  private void writeAll() {
    long ts = nextTimestamp();
    Appender app = appendable.appender();
    int[] samples = {0};
    for (PushGroup g : store.groups()) {
      samples[0] += write(app, g.key(), g, ts);
    }
    for (Iterator<Map.Entry<GroupingKey, Written>> it = written.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<GroupingKey, Written> e = it.next();
      if (store.get(e.getKey()) == null) {
        samples[0] += markStale(app, e.getValue(), ts);
        it.remove();
      }
    }
    commit(app, true, samples[0]);
  }

  /** The groups that changed since the last write (pushed, deleted, wiped, expired). */
  private void writeSome(List<GroupingKey> keys) {
    long ts = nextTimestamp();
    Appender app = appendable.appender();
    int samples = 0;
    for (GroupingKey k : keys) {
      samples += write(app, k, store.get(k), ts);
    }
    commit(app, false, samples);
  }

  private void commit(Appender app, boolean interval, int samples) {
    try {
      app.commit();
      metrics.sampleRound(interval, samples);
    } catch (StorageException | SampleRejectedException e) {
      app.rollback();
      metrics.sampleError("commit");
      log.atWarn().addKeyValue("cause", e.getMessage()).log("storage refused the samples of pushed groups");
    }
  }

  /** Writes one group's current state ({@code g}, or null when it is gone); returns samples appended. */
  private int write(Appender app, GroupingKey key, PushGroup g, long ts) {
    Written w = written.get(key);
    if (g == null) {
      if (w == null) {
        return 0;
      }
      written.remove(key);
      return markStale(app, w, ts);
    }
    int appended = 0;
    if (w == null || w.state != g) {
      SampleView view;
      long[] refs;
      if (w != null && w.state.families() == g.families()) {
        view = w.view.withValuesOf(g); // only the push times changed: same series, same refs
        refs = w.refs;
      } else {
        view = SampleView.of(g);
        refs = new long[view.size()];
        if (w != null) {
          appended += carryRefs(app, w, view, refs, ts);
        }
      }
      w = new Written(g, view, refs);
      written.put(key, w);
    }
    Labels[] labels = w.view.labels();
    double[] values = w.view.values();
    for (int i = 0; i < labels.length; i++) {
      w.refs[i] = append(app, w.refs[i], labels[i], ts, values[i]);
      appended++;
    }
    return appended;
  }

  /** Reuses the refs of series that stay; series that went away get a staleness marker. */
  private int carryRefs(Appender app, Written old, SampleView view, long[] refs, long ts) {
    Map<Labels, Long> previous = new HashMap<>(old.view.size() * 2);
    Labels[] oldLabels = old.view.labels();
    for (int i = 0; i < oldLabels.length; i++) {
      previous.put(oldLabels[i], old.refs[i]);
    }
    Labels[] labels = view.labels();
    for (int i = 0; i < labels.length; i++) {
      Long ref = previous.remove(labels[i]);
      refs[i] = ref == null ? 0 : ref;
    }
    for (Map.Entry<Labels, Long> gone : previous.entrySet()) {
      append(app, gone.getValue(), gone.getKey(), ts, StaleNaN.VALUE);
    }
    return previous.size();
  }

  private int markStale(Appender app, Written w, long ts) {
    Labels[] labels = w.view.labels();
    for (int i = 0; i < labels.length; i++) {
      append(app, w.refs[i], labels[i], ts, StaleNaN.VALUE);
    }
    return labels.length;
  }

  /** Appends by reference when one is known, by labels otherwise; returns the reference (0 if rejected). */
  private long append(Appender app, long ref, Labels labels, long ts, double v) {
    try {
      if (ref != 0) {
        try {
          app.append(ref, ts, v);
          return ref;
        } catch (SampleRejectedException e) {
          if (e.reason() != SampleRejectedException.Reason.UNKNOWN_SERIES) {
            throw e;
          }
        }
      }
      return app.append(0, labels, ts, v);
    } catch (SampleRejectedException e) {
      metrics.sampleError(e.reason().label());
      return ref;
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      wake.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
