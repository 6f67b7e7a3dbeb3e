package io.vigil.scrape;

import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.vigil.model.Labels;
import io.vigil.model.StaleNaN;
import io.vigil.storage.Appendable;
import io.vigil.storage.Appender;
import io.vigil.storage.SampleRejectedException;
import io.vigil.storage.StorageException;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scrapes one target every interval on its own virtual thread (Prometheus's {@code scrapeLoop}).
 * Scrapes happen at the instants {@code t} with {@code t mod interval == hash mod interval}, where
 * the hash is {@link Labels#hash64()} of the target's labels (mixed with the manager's seed): stable
 * across restarts, spread over the interval across targets, and unchanged when a reload keeps the
 * target. A scrape that would start late because the previous one overran is skipped, as a Go
 * ticker drops ticks.
 *
 * <p>Each scrape appends the body and the report series ({@code up}, {@code scrape_duration_seconds},
 * {@code scrape_samples_scraped}, {@code scrape_samples_post_metric_relabeling},
 * {@code scrape_series_added}) in one storage batch at the scrape's start time. A failed scrape
 * writes {@code up 0} and staleness markers for the series of the last successful one.
 *
 * <p>Stopping never interrupts the thread (an interrupt would close the storage's file channels
 * mid-write); it signals a latch and aborts the HTTP request in flight. A loop stopped because its
 * target went away writes staleness markers for all its series after about two more intervals,
 * unless the same series were written again meanwhile (as Prometheus's end-of-run staleness).
 */
final class ScrapeLoop {
  private static final Logger log = LoggerFactory.getLogger(ScrapeLoop.class);
  /**
   * A scrape starting within this much of its scheduled instant is stamped with the instant itself
   * (Prometheus's scrape timestamp alignment): regular timestamps compress to almost nothing.
   */
  static final long ALIGN_TOLERANCE_MS = 2;

  private static final String[] REPORT_NAMES = {"up", "scrape_duration_seconds", "scrape_samples_scraped",
      "scrape_samples_post_metric_relabeling", "scrape_series_added"};

  final String job;
  final Target target;
  final ScrapeSettings settings;
  private final Appendable storage;
  private final HttpClient client;
  private final HttpScraper scraper;
  private final BodyAppender appender;
  private final ScrapeMetrics metrics;
  private final DistributionDataPoint intervalLength;
  private final long offsetSeed;
  private final Labels[] reportLabels = new Labels[REPORT_NAMES.length];
  private final long[] reportRefs = new long[REPORT_NAMES.length];
  private final CountDownLatch stopSignal = new CountDownLatch(1);
  private final CountDownLatch shutdownSignal = new CountDownLatch(1);
  private final java.util.function.Consumer<ScrapeLoop> onExit;
  private Thread thread;
  private volatile boolean stopping;
  private volatile boolean endOfRunStaleness = true;

  /** Set by the pool when the target limit is exceeded: scrapes fail with it without a request. */
  volatile String forcedError;
  private volatile String lastError = "";
  private volatile Instant lastScrape;
  private volatile double lastDurationSeconds;
  private volatile TargetHealth health = TargetHealth.UNKNOWN;

  ScrapeLoop(String job, Target target, ScrapeSettings settings, ScrapeCache cache, Appendable storage,
      HttpClient client, ScrapeOptions options, ScrapeMetrics metrics, java.util.function.Consumer<ScrapeLoop> onExit) {
    this.job = job;
    this.target = target;
    this.settings = settings;
    this.storage = storage;
    this.client = client;
    this.metrics = metrics;
    this.onExit = onExit;
    this.offsetSeed = options.offsetSeed();
    this.scraper = new HttpScraper(client, target, settings, options.userAgent(), settings.maxBodyBytes());
    this.appender = new BodyAppender(AppendOptions.of(settings.config(), target.labels()), cache);
    this.intervalLength = metrics.intervalLength.labelValues(target.interval().toString());
    for (int i = 0; i < REPORT_NAMES.length; i++) {
      // Prometheus's mutateReportSampleLabels: the target's labels always win on report series.
      reportLabels[i] = target.labels().toBuilder().set(Labels.METRIC_NAME, REPORT_NAMES[i]).build();
    }
  }

  HttpClient scraperClient() {
    return client;
  }

  ScrapeCache cache() {
    return appender.cache();
  }

  AppendOptions appendOptions() {
    return appender.options();
  }

  void start() {
    thread = Thread.ofVirtual().name("scrape-" + job + "-" + target.address()).start(this::run);
  }

  /**
   * Stops scraping. With {@code staleness}, the thread lingers to write end-of-run staleness
   * markers; without, it exits at once (the target lives on in another loop).
   */
  void stop(boolean staleness) {
    endOfRunStaleness = staleness;
    stopping = true;
    stopSignal.countDown();
    scraper.abort();
  }

  /** Stops without staleness markers, also cutting short a lingering end-of-run wait. */
  void shutdown() {
    stop(false);
    shutdownSignal.countDown();
  }

  void join() {
    if (thread == null) {
      return;
    }
    boolean interrupted = false;
    while (true) {
      try {
        thread.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Delay from {@code nowMs} to the first scrape instant of this target. */
  static long firstDelayMs(long hash, long seed, long intervalMs, long nowMs) {
    long base = intervalMs - Math.floorMod(nowMs, intervalMs);
    long offset = Long.remainderUnsigned(hash ^ seed, intervalMs);
    long next = base + offset;
    return next >= intervalMs ? next - intervalMs : next;
  }

  private void run() {
    long intervalMs = target.interval().millis();
    long now = System.currentTimeMillis();
    long next = now + firstDelayMs(target.fullLabels().hash64(), offsetSeed, intervalMs, now);
    long lastTs = 0;
    long lastStartNanos = 0;
    try {
      while (true) {
        long wait = next - System.currentTimeMillis();
        if (wait > 0 && stopSignal.await(wait, TimeUnit.MILLISECONDS) || stopping) {
          break;
        }
        long startNanos = System.nanoTime();
        long startMs = System.currentTimeMillis();
        long ts = Math.abs(startMs - next) <= ALIGN_TOLERANCE_MS ? next : startMs;
        if (lastStartNanos != 0) {
          intervalLength.observe((startNanos - lastStartNanos) / 1e9);
        }
        lastStartNanos = startNanos;
        if (scrapeAndReport(ts, startNanos)) {
          lastTs = ts;
        }
        next += intervalMs;
        long after = System.currentTimeMillis();
        if (next <= after) {
          next += ((after - next) / intervalMs + 1) * intervalMs; // skip the instants we overran
        }
      }
      if (endOfRunStaleness && lastTs != 0) {
        endOfRunStaleness(next, intervalMs);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // nobody interrupts scrape loops; keep the flag for the JVM
    } catch (RuntimeException | Error e) {
      log.error("scrape loop of {} in job {} died", target.url(), job, e);
    } finally {
      scraper.close();
      onExit.accept(this);
    }
  }

  /** Scrapes, appends and reports; false when the loop was stopped meanwhile and nothing was written. */
  private boolean scrapeAndReport(long ts, long startNanos) {
    Instant start = Instant.now();
    String error = forcedError;
    if (error == null) {
      try {
        scraper.scrape();
      } catch (ScrapeFailure f) {
        error = f.getMessage();
        if (error.equals("body size limit exceeded")) {
          metrics.exceededBodySizeLimit.inc();
        }
      }
      if (stopping) {
        return false;
      }
    }
    Appender app = storage.appender();
    BodyAppender.Result r = null;
    try {
      if (error == null) {
        r = appender.append(app, scraper.body(), 0, scraper.bodyLength(), scraper.contentType(), ts);
        countRejected(r);
        if (r.error != null) {
          error = r.error;
          if (r.sampleLimitExceeded) {
            metrics.exceededSampleLimit.inc();
          }
          if (r.labelLimitExceeded) {
            metrics.exceededLabelLimits.inc();
          }
          app.rollback();
          app = storage.appender();
        }
      }
      if (error != null) {
        appender.appendFailure(app, ts);
      }
      double seconds = (System.nanoTime() - startNanos) / 1e9;
      report(app, ts, seconds, r, error == null);
      app.commit();
      lastDurationSeconds = seconds;
    } catch (StorageException e) {
      app.rollback();
      log.warn("scrape of {} could not be stored: {}", target.url(), e.getMessage());
      error = "storage: " + e.getMessage();
    }
    lastError = error == null ? "" : error;
    health = error == null ? TargetHealth.UP : TargetHealth.DOWN;
    lastScrape = start;
    return true;
  }

  private void countRejected(BodyAppender.Result r) {
    if (r.outOfOrder > 0) {
      metrics.sampleOutOfOrder.inc(r.outOfOrder);
    }
    if (r.duplicates > 0) {
      metrics.sampleDuplicate.inc(r.duplicates);
    }
    if (r.outOfBounds > 0) {
      metrics.sampleOutOfBounds.inc(r.outOfBounds);
    }
  }

  private void report(Appender app, long ts, double seconds, BodyAppender.Result r, boolean up) {
    reportSample(app, 0, ts, up ? 1 : 0);
    reportSample(app, 1, ts, seconds);
    reportSample(app, 2, ts, r == null ? 0 : r.total);
    reportSample(app, 3, ts, r == null ? 0 : r.added);
    reportSample(app, 4, ts, r == null ? 0 : r.seriesAdded);
  }

  private void reportSample(Appender app, int i, long ts, double v) {
    try {
      if (reportRefs[i] != 0) {
        try {
          app.append(reportRefs[i], ts, v);
          return;
        } catch (SampleRejectedException e) {
          if (e.reason() != SampleRejectedException.Reason.UNKNOWN_SERIES) {
            throw e;
          }
        }
      }
      reportRefs[i] = app.append(0, reportLabels[i], ts, v);
    } catch (SampleRejectedException e) {
      // out of order after a clock jump, or a marker after a recreated target: nothing to report
    }
  }

  /**
   * Waits until the next scrape would have been due (its instant becomes the markers' timestamp),
   * then one more interval and a tenth so that a recreated loop for the same series has written
   * (making the markers out of order, hence ignored), then marks every series stale.
   */
  private void endOfRunStaleness(long next, long intervalMs) throws InterruptedException {
    long staleTs = next;
    long until = next + intervalMs + intervalMs / 10;
    long wait = until - System.currentTimeMillis();
    if (wait > 0 && shutdownSignal.await(wait, TimeUnit.MILLISECONDS)) {
      return;
    }
    Appender app = storage.appender();
    try {
      appender.appendFailure(app, staleTs);
      for (int i = 0; i < REPORT_NAMES.length; i++) {
        reportSample(app, i, staleTs, StaleNaN.VALUE);
      }
      app.commit();
    } catch (StorageException e) {
      app.rollback();
      log.warn("end-of-run staleness markers for {} could not be stored: {}", target.url(), e.getMessage());
    }
  }

  ActiveTarget snapshot(ScrapeOptions options) {
    return new ActiveTarget(target.discoveredLabels(), target.labels(), job, target.url(),
        GlobalUrl.of(target.scheme(), target.address(), target.pathAndQuery(), options.externalUrl(), options.listenPort()),
        lastError, lastScrape, lastDurationSeconds, health, target.interval().toString(), target.timeout().toString());
  }
}
