package io.vigil.scrape.discovery;

import io.vigil.config.DiscoveryConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the discoverers of every job, each on its own virtual thread, merges what they report per
 * job, and hands the merged groups of changed jobs to a consumer, at most once per update interval
 * (Prometheus's discovery manager and its 5 s {@code updatert}): bursts of changes become one
 * sync. The first update after {@link #applyConfig} goes out as soon as a discoverer reports.
 *
 * <p>On {@link #applyConfig}, jobs whose discovery configuration is unchanged keep their running
 * discoverers and groups; only changed jobs restart theirs. Thread-safe.
 */
public final class DiscoveryManager implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DiscoveryManager.class);

  private final String name;
  private final long updateIntervalMs;
  private final DiscoveryMetrics metrics;
  private final Consumer<Map<String, List<TargetGroup>>> sink;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Map<String, Job> jobs = new LinkedHashMap<>();
  private final Set<String> dirty = new HashSet<>();
  private final Thread sender;
  private boolean urgent = true;
  private boolean closed;

  /**
   * @param name the consumer's name in metrics ({@code scrape})
   * @param sink receives job name → every current group of that job, for changed jobs only; called
   *     from one thread at a time
   */
  public DiscoveryManager(String name, long updateIntervalMs, DiscoveryMetrics metrics,
      Consumer<Map<String, List<TargetGroup>>> sink) {
    this.name = name;
    this.updateIntervalMs = updateIntervalMs;
    this.metrics = metrics;
    this.sink = sink;
    this.sender = Thread.ofVirtual().name("discovery-sender-" + name).start(this::sendLoop);
  }

  /** The running discoverers of one job and what each reported, by source. */
  private final class Job {
    final String jobName;
    final List<DiscoveryConfig> configs;
    final List<Thread> threads = new ArrayList<>();
    final List<Map<String, TargetGroup>> groups = new ArrayList<>();

    Job(String jobName, List<DiscoveryConfig> configs) {
      this.jobName = jobName;
      this.configs = List.copyOf(configs);
    }

    void start() {
      int[] unsupported = {0};
      List<Discoverer> discoverers = Discoverers.create(configs, metrics, unsupported);
      failedConfigs += unsupported[0];
      for (int i = 0; i < discoverers.size(); i++) {
        groups.add(new LinkedHashMap<>());
        Discoverer d = discoverers.get(i);
        int index = i;
        threads.add(Thread.ofVirtual().name("discovery-" + jobName + "-" + i).start(() -> {
          try {
            d.run(update -> receive(this, index, update));
          } catch (InterruptedException e) {
            // stopped
          } catch (RuntimeException e) {
            log.error("discoverer {} of job {} failed", index, jobName, e);
          }
        }));
      }
    }

    void stop() {
      threads.forEach(Thread::interrupt);
    }

    List<TargetGroup> allGroups() {
      List<TargetGroup> out = new ArrayList<>();
      for (Map<String, TargetGroup> g : groups) {
        out.addAll(g.values());
      }
      return out;
    }
  }

  private int failedConfigs;

  /** Starts, keeps or stops discoverers so that exactly the given jobs run. */
  public void applyConfig(Map<String, List<DiscoveryConfig>> configsByJob) {
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("discovery manager is closed");
      }
      failedConfigs = 0;
      for (var it = jobs.entrySet().iterator(); it.hasNext(); ) {
        var e = it.next();
        List<DiscoveryConfig> wanted = configsByJob.get(e.getKey());
        if (wanted == null || !wanted.equals(e.getValue().configs)) {
          e.getValue().stop();
          it.remove();
          metrics.discoveredTargets.labelValues(e.getKey(), name).set(0);
        }
      }
      for (var e : configsByJob.entrySet()) {
        Job job = jobs.get(e.getKey());
        if (job == null) {
          job = new Job(e.getKey(), e.getValue());
          jobs.put(e.getKey(), job);
          job.start();
          if (job.threads.isEmpty()) {
            dirty.add(job.jobName); // no discoverer will ever report: tell the consumer it is empty
          }
        } else {
          failedConfigs += (int) job.configs.stream().filter(c -> c instanceof io.vigil.config.UnsupportedDiscovery).count();
        }
      }
      metrics.failedConfigs.labelValues(name).set(failedConfigs);
      urgent = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void receive(Job job, int index, List<TargetGroup> update) {
    metrics.receivedUpdates.labelValues(name).inc();
    lock.lock();
    try {
      if (jobs.get(job.jobName) != job) {
        return; // a discoverer of a replaced configuration
      }
      Map<String, TargetGroup> g = job.groups.get(index);
      for (TargetGroup tg : update) {
        if (tg.targets().isEmpty()) {
          g.remove(tg.source());
        } else {
          g.put(tg.source(), tg);
        }
      }
      dirty.add(job.jobName);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void sendLoop() {
    long lastSendNanos = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(updateIntervalMs);
    try {
      while (true) {
        Map<String, List<TargetGroup>> out = new LinkedHashMap<>();
        lock.lock();
        try {
          while (!closed && (dirty.isEmpty()
              || (!urgent && System.nanoTime() - lastSendNanos < TimeUnit.MILLISECONDS.toNanos(updateIntervalMs)))) {
            if (dirty.isEmpty()) {
              changed.await();
            } else {
              long waitNanos = TimeUnit.MILLISECONDS.toNanos(updateIntervalMs) - (System.nanoTime() - lastSendNanos);
              changed.awaitNanos(Math.max(1, waitNanos));
            }
          }
          if (closed) {
            return;
          }
          for (String job : dirty) {
            Job j = jobs.get(job);
            List<TargetGroup> groups = j == null ? List.of() : j.allGroups();
            out.put(job, groups);
            if (j != null) {
              metrics.discoveredTargets.labelValues(job, name).set(groups.stream().mapToInt(g -> g.targets().size()).sum());
            }
          }
          dirty.clear();
          urgent = false;
        } finally {
          lock.unlock();
        }
        lastSendNanos = System.nanoTime();
        metrics.updates.labelValues(name).inc();
        try {
          sink.accept(out);
        } catch (RuntimeException e) {
          log.error("applying discovered targets failed", e);
        }
      }
    } catch (InterruptedException e) {
      // closed
    }
  }

  /** Stops every discoverer and the sender; no update is delivered after this returns. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      jobs.values().forEach(Job::stop);
      jobs.clear();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      sender.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
