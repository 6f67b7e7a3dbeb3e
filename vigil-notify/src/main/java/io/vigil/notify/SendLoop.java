package io.vigil.notify;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue and sender of one Alertmanager (Prometheus 3's {@code sendLoop}): a bounded queue that
 * drops its oldest alerts when full (newer state matters more), and a virtual thread that posts
 * batches of at most {@code maxBatchSize}, retrying a failed batch {@code sendRetries} times with
 * doubling backoff before counting its alerts as dropped. A slow or dead Alertmanager delays only
 * its own loop. Thread-safe.
 */
final class SendLoop {
  private static final Logger log = LoggerFactory.getLogger(SendLoop.class);

  private final String url;
  private final AlertmanagerClient client;
  private final NotifierOptions options;
  private final NotifierMetrics metrics;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition work = lock.newCondition();
  private final ArrayDeque<Alert> queue = new ArrayDeque<>();
  private final Thread thread;
  private boolean stopped;

  SendLoop(String url, AlertmanagerClient client, NotifierOptions options, NotifierMetrics metrics) {
    this.url = url;
    this.client = client;
    this.options = options;
    this.metrics = metrics;
    metrics.init(url);
    this.thread = Thread.ofVirtual().name("notify-" + url).start(this::loop);
  }

  String url() {
    return url;
  }

  /** Queues alerts; when the queue would overflow, the oldest queued alerts are dropped. */
  void add(List<Alert> alerts) {
    int dropped = 0;
    lock.lock();
    try {
      if (stopped) {
        return;
      }
      int capacity = options.queueCapacity();
      int from = Math.max(0, alerts.size() - capacity);
      dropped += from;
      for (int i = from; i < alerts.size(); i++) {
        if (queue.size() == capacity) {
          queue.pollFirst();
          dropped++;
        }
        queue.addLast(alerts.get(i));
      }
      metrics.queueLength.labelValues(url).set(queue.size());
      work.signal();
    } finally {
      lock.unlock();
    }
    if (dropped > 0) {
      log.warn("Alert notification queue of {} full, dropped {} oldest alerts", url, dropped);
      metrics.dropped.labelValues(url).inc(dropped);
    }
  }

  int queueLength() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  private List<Alert> nextBatch(boolean wait) throws InterruptedException {
    lock.lock();
    try {
      while (wait && queue.isEmpty() && !stopped) {
        work.await();
      }
      if (stopped && wait) {
        return List.of();
      }
      int n = Math.min(queue.size(), options.maxBatchSize());
      List<Alert> batch = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        batch.add(queue.pollFirst());
      }
      metrics.queueLength.labelValues(url).set(queue.size());
      return batch;
    } finally {
      lock.unlock();
    }
  }

  private void loop() {
    try {
      while (true) {
        List<Alert> batch = nextBatch(true);
        if (batch.isEmpty()) {
          return; // stopped
        }
        send(batch, options.sendRetries());
      }
    } catch (InterruptedException e) {
      // stopped
    }
  }

  /** Sends one batch with up to {@code retries} retries; false when its alerts were dropped. */
  private boolean send(List<Alert> batch, int retries) throws InterruptedException {
    byte[] body = AlertJson.encode(batch);
    long backoffMs = options.retryBackoff().toMillis();
    for (int attempt = 0; ; attempt++) {
      long start = System.nanoTime();
      try {
        client.post(url, body);
        metrics.latency.labelValues(url).observe((System.nanoTime() - start) / 1e9);
        metrics.sent.labelValues(url).inc(batch.size());
        return true;
      } catch (IOException e) {
        metrics.errors.labelValues(url).inc(batch.size());
        if (attempt >= retries || isStopped()) {
          log.error("Error sending {} alerts to {}, dropping them: {}", batch.size(), url, e.getMessage());
          metrics.dropped.labelValues(url).inc(batch.size());
          return false;
        }
        log.warn("Error sending {} alerts to {} (attempt {} of {}): {}", batch.size(), url, attempt + 1,
            retries + 1, e.getMessage());
        if (awaitStop(backoffMs << Math.min(attempt, 10))) {
          retries = attempt; // stopping: no more retries, the drain below gets one attempt
        }
      }
    }
  }

  private boolean isStopped() {
    lock.lock();
    try {
      return stopped;
    } finally {
      lock.unlock();
    }
  }

  /** Sleeps up to {@code ms} unless stopped first; true when stopped. */
  private boolean awaitStop(long ms) throws InterruptedException {
    lock.lock();
    try {
      long nanos = TimeUnit.MILLISECONDS.toNanos(ms);
      while (!stopped && nanos > 0) {
        nanos = work.awaitNanos(nanos);
      }
      return stopped;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops the loop. With {@code drain}, what is still queued is sent first, one attempt per batch;
   * without, it is counted as dropped. Blocks until the loop's thread has ended.
   */
  void stop(boolean drain) {
    lock.lock();
    try {
      if (stopped) {
        return;
      }
      stopped = true;
      work.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      thread.join();
      if (drain) {
        for (List<Alert> batch = nextBatch(false); !batch.isEmpty(); batch = nextBatch(false)) {
          send(batch, 0);
        }
      } else {
        int left = queueLength();
        if (left > 0) {
          log.warn("Alert notification queue of {} not drained on shutdown, dropping {} alerts", url, left);
          metrics.dropped.labelValues(url).inc(left);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    metrics.remove(url);
  }
}
