package io.vigil.remote;

import com.google.protobuf.InvalidProtocolBufferException;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.model.Labels;
import io.vigil.storage.Appendable;
import io.vigil.storage.Appender;
import io.vigil.storage.SampleRejectedException;
import io.vigil.storage.StorageException;
import io.vigil.web.HttpExchange;
import io.vigil.web.HttpStatusException;
import io.vigil.web.Role;
import io.vigil.web.Router;
import io.vigil.web.Tenant;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prometheus remote write 1.0 receiver: {@code POST /api/v1/write} with a snappy-compressed
 * {@code prometheus.WriteRequest}, as Prometheus's {@code --web.enable-remote-write-receiver}.
 *
 * <p><b>Batch semantics.</b> One request is one {@link Appender} batch. Prometheus 2.x and 3.x
 * (remote write 1.0 path) roll the whole request back at the first out-of-order sample and answer
 * 400, so the sender drops every good sample of the batch with it. Vigil writes what it can, as
 * remote write 2.0's partial-write rule does: refused samples (invalid labels, label limits, out of
 * order, out of bounds, more than {@code maxAheadMs} in the future, conflicting duplicates) are
 * skipped and counted, the rest is committed, and then:
 * <ul>
 *   <li>204 only if every float sample of the request was committed, and only after
 *       {@link Appender#commit()} returned, i.e. the samples are durable;
 *   <li>400 with the reasons (first few rejections, then counts) if any sample was refused; the
 *       others are durable and a sender must not resend (resending would only be refused again);
 *   <li>413 if the body, its declared decompressed size, or its series or sample count is over a
 *       limit; 400 if it is not valid snappy or protobuf: nothing is stored in both cases;
 *   <li>500 if the storage fails ({@link StorageException}, e.g. a full disk): the batch is rolled
 *       back, nothing is stored, and the sender retries.
 * </ul>
 * Native histogram samples and exemplars are not stored yet: they are counted, logged (at most once
 * a minute) and skipped without failing the request (Prometheus without native histograms answers
 * 500, which makes senders retry forever). Metadata is counted and ignored.
 *
 * <p><b>Tenancy.</b> If the exchange carries a {@link Tenant}, its label is set on every series,
 * replacing a label of that name sent by the client.
 *
 * <p>Thread-safe: requests run concurrently, each with its own appender and a pooled
 * {@link WriteContext}.
 */
public final class RemoteWriteReceiver {
  /** The path Prometheus serves remote write on. */
  public static final String PATH = "/api/v1/write";
  /** Prometheus 3's answer when the receiver is off (2.42 names the old feature flag instead). */
  static final String DISABLED_MESSAGE = "remote write receiver needs to be enabled with --web.enable-remote-write-receiver";
  private static final String TEXT = "text/plain; charset=utf-8";
  private static final long WARN_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
  private static final Logger log = LoggerFactory.getLogger(RemoteWriteReceiver.class);

  private final Appendable appendable;
  private final RemoteWriteOptions options;
  private final RemoteWriteMetrics metrics;
  private final ArrayBlockingQueue<WriteContext> pool;
  private final SeriesCache seriesCache;
  private final AtomicLong nextRejectWarn = new AtomicLong(System.nanoTime());
  private final AtomicLong nextUnsupportedWarn = new AtomicLong(System.nanoTime());
  private final AtomicLong nextStorageErrorLog = new AtomicLong(System.nanoTime());

  /**
   * @param appendable where samples go (the TSDB, or a fanout)
   * @param registry where the {@code vigil_remote_write_*} metrics are registered
   */
  public RemoteWriteReceiver(Appendable appendable, RemoteWriteOptions options, PrometheusRegistry registry) {
    this.appendable = appendable;
    this.options = options;
    this.metrics = new RemoteWriteMetrics(registry);
    this.pool = new ArrayBlockingQueue<>(Math.max(1, options.pooledContexts()));
    this.seriesCache = new SeriesCache(options.seriesCacheSize());
  }

  /** Registers {@code POST /api/v1/write} (role WRITE). Call only when the receiver is enabled. */
  public void registerRoutes(Router router) {
    router.add(Set.of("POST"), PATH, Role.WRITE, this::handle);
  }

  /**
   * Registers what Prometheus answers on {@code POST /api/v1/write} when the receiver is off: 404
   * with a hint at the flag. For the server to call instead of {@link #registerRoutes}.
   */
  public static void registerDisabled(Router router) {
    router.add(Set.of("POST"), PATH, Role.WRITE, ex -> ex.respond(404, TEXT, DISABLED_MESSAGE + "\n"));
  }

  /** The HTTP endpoint: checks headers, reads the body within its limit, writes, answers. */
  void handle(HttpExchange ex) throws IOException {
    long start = System.nanoTime();
    int status = 500;
    try {
      status = serve(ex);
    } catch (HttpStatusException e) {
      status = e.status();
      throw e;
    } finally {
      metrics.request(status, System.nanoTime() - start);
    }
  }

  private int serve(HttpExchange ex) throws IOException {
    String unsupported = unsupportedMediaType(ex.header("Content-Type"), ex.header("Content-Encoding"));
    if (unsupported != null) {
      ex.respond(415, TEXT, unsupported + "\n");
      return 415;
    }
    byte[] body = ex.body(options.maxCompressedBytes());
    WriteResult r = write(body, 0, body.length, ex.attribute(Tenant.class));
    if (r.status() == 204) {
      ex.respondEmpty(204);
    } else {
      ex.respond(r.status(), TEXT, r.message() + "\n");
    }
    return r.status();
  }

  /** Null if the headers describe remote write 1.0 (or say nothing, as old senders do), else why not. */
  static String unsupportedMediaType(String contentType, String contentEncoding) {
    if (contentEncoding != null && !contentEncoding.isBlank() && !contentEncoding.trim().equalsIgnoreCase("snappy")) {
      return contentEncoding + " encoding (compression) is not accepted by this server; only snappy is acceptable";
    }
    if (contentType == null || contentType.isBlank()) {
      return null;
    }
    String[] parts = contentType.split(";");
    if (!parts[0].trim().equalsIgnoreCase("application/x-protobuf")) {
      return "expected application/x-protobuf as the first (media) part, got " + contentType + " content-type";
    }
    for (int i = 1; i < parts.length; i++) {
      String[] kv = parts[i].trim().split("=", 2);
      if (kv.length == 2 && kv[0].trim().equals("proto") && !kv[1].trim().equals("prometheus.WriteRequest")) {
        return kv[1].trim() + " protobuf message is not accepted by this server; accepted [prometheus.WriteRequest]";
      }
    }
    return null;
  }

  /** Series in the label cache's current generations (tests and diagnostics). */
  int cachedSeries() {
    return seriesCache.size();
  }

  /**
   * Decodes and stores one snappy-compressed WriteRequest: the HTTP path without HTTP (benchmarks
   * and embedders call it directly). See the class comment for the result's meaning.
   *
   * @param tenant the tenant whose label is set on every series, or null
   */
  public WriteResult write(byte[] body, int offset, int length, Tenant tenant) {
    long declared;
    try {
      declared = SnappyBlock.declaredLength(body, offset, length);
    } catch (SnappyBlock.CorruptException e) {
      return fail(400, e.getMessage());
    }
    if (declared > options.maxDecompressedBytes()) {
      return fail(413, "decompressed body of " + declared + " bytes (declared in the snappy header) exceeds the limit of "
          + options.maxDecompressedBytes() + " bytes");
    }
    WriteContext ctx = pool.poll();
    if (ctx == null) {
      ctx = new WriteContext(options);
    }
    try {
      byte[] raw = ctx.rawBuffer((int) declared);
      int n;
      try {
        n = SnappyBlock.decompress(body, offset, length, raw, (int) declared);
      } catch (SnappyBlock.CorruptException e) {
        return fail(400, e.getMessage());
      }
      ctx.startRequest();
      ctx.parser.reset(raw, 0, n);
      return store(ctx, tenant);
    } finally {
      ctx.endRequest();
      if (options.pooledContexts() > 0) {
        pool.offer(ctx);
      }
    }
  }

  private WriteResult store(WriteContext ctx, Tenant tenant) {
    Appender app;
    try {
      app = appendable.appender();
    } catch (StorageException e) {
      return storageFailed(e);
    }
    boolean committed = false;
    try {
      appendAll(ctx, app, tenant);
      app.commit();
      committed = true;
    } catch (InvalidProtocolBufferException e) {
      return fail(400, e.getMessage());
    } catch (LimitExceeded e) {
      return fail(413, e.getMessage());
    } catch (StorageException e) {
      return storageFailed(e);
    } finally {
      if (!committed) {
        app.rollback();
      }
      countRequest(ctx);
    }
    return outcome(ctx);
  }

  /** Thrown (without stack) when a request has more series or samples than the options allow. */
  private static final class LimitExceeded extends Exception {
    LimitExceeded(String message) {
      super(message, null, false, false);
    }
  }

  private void appendAll(WriteContext ctx, Appender app, Tenant tenant) throws InvalidProtocolBufferException, LimitExceeded {
    WriteRequestParser p = ctx.parser;
    byte[] b = p.buffer();
    long maxT = System.currentTimeMillis() + options.maxAheadMs();
    while (p.nextSeries()) {
      int n = p.sampleCount();
      if (++ctx.series > options.maxSeriesPerRequest()) {
        throw new LimitExceeded("request has more than " + options.maxSeriesPerRequest() + " series, the limit per request");
      }
      ctx.samplesReceived += n;
      ctx.histograms += p.histogramCount();
      ctx.exemplars += p.exemplarCount();
      if (ctx.samplesReceived + ctx.histograms > options.maxSamplesPerRequest()) {
        throw new LimitExceeded("request has more than " + options.maxSamplesPerRequest() + " samples, the limit per request");
      }
      if (n == 0) {
        continue;
      }
      SeriesCache.Entry cached = null;
      long hash = 0;
      boolean cacheable = p.labelsContiguous();
      if (cacheable) {
        hash = ByteHash.of(b, p.labelsOffset(), p.labelsLength());
        cached = seriesCache.get(b, p.labelsOffset(), p.labelsLength(), hash, tenant);
      }
      Labels labels;
      long ref;
      if (cached != null) {
        labels = cached.labels;
        ref = cached.ref;
      } else {
        labels = ctx.buildLabels(tenant);
        if (labels == null) {
          continue; // counted as rejected
        }
        ref = 0;
      }
      for (int i = 0; i < n; i++) {
        long t = p.timestampMs(i);
        if (t > maxT) {
          ctx.reject(Rejection.OUT_OF_BOUNDS, 1, "out of bounds: timestamp " + t + " is more than " + options.maxAheadMs()
              + " ms in the future, in " + labels);
          continue;
        }
        try {
          ref = app.append(ref, labels, t, p.value(i));
          ctx.samplesWritten++;
        } catch (SampleRejectedException e) {
          ctx.reject(Rejection.of(e.reason()), 1, e.getMessage());
        }
      }
      if (cached != null) {
        if (cached.ref != ref) {
          cached.ref = ref;
        }
      } else if (cacheable) {
        seriesCache.put(b, p.labelsOffset(), p.labelsLength(), hash, tenant, labels, ref);
      }
    }
  }

  private void countRequest(WriteContext ctx) {
    metrics.samplesReceived.inc(ctx.samplesReceived + ctx.histograms);
    for (Rejection r : Rejection.values()) {
      long n = ctx.rejectedByReason[r.ordinal()];
      if (n > 0) {
        metrics.rejected(r, n);
      }
    }
    if (ctx.histograms > 0) {
      metrics.rejected(Rejection.NATIVE_HISTOGRAM, ctx.histograms);
    }
    metrics.exemplarsDropped.inc(ctx.exemplars);
    metrics.metadataIgnored.inc(ctx.parser.metadataCount());
    if ((ctx.histograms > 0 || ctx.exemplars > 0) && due(nextUnsupportedWarn)) {
      log.warn("remote write: dropped {} native histogram samples and {} exemplars (not stored by Vigil yet; "
          + "see vigil_remote_write_samples_rejected_total and vigil_remote_write_exemplars_dropped_total)",
          ctx.histograms, ctx.exemplars);
    }
  }

  private WriteResult outcome(WriteContext ctx) {
    if (ctx.floatRejected == 0) {
      return new WriteResult(204, "", ctx.samplesReceived, ctx.samplesWritten, 0);
    }
    StringBuilder msg = new StringBuilder(256);
    for (String m : ctx.messages) {
      msg.append(m).append('\n');
    }
    msg.append("rejected ").append(ctx.floatRejected).append(" of ").append(ctx.samplesReceived).append(" samples (");
    String sep = "";
    for (Rejection r : Rejection.values()) {
      long n = ctx.rejectedByReason[r.ordinal()];
      if (n > 0) {
        msg.append(sep).append(r.label).append(": ").append(n);
        sep = ", ";
      }
    }
    msg.append("); the other ").append(ctx.samplesWritten).append(" were written");
    String text = msg.toString();
    if (due(nextRejectWarn)) {
      log.warn("remote write: {}", text.replace('\n', ' '));
    }
    return new WriteResult(400, text, ctx.samplesReceived, ctx.samplesWritten, ctx.floatRejected);
  }

  private WriteResult storageFailed(StorageException e) {
    // Senders retry a 500 every few seconds per shard: one stack trace a minute is enough.
    if (due(nextStorageErrorLog)) {
      log.error("remote write: storage failed, request rolled back (the sender will retry): {}", e.getMessage(), e);
    } else {
      log.debug("remote write: storage failed, request rolled back: {}", e.getMessage());
    }
    return fail(500, "storage error: " + e.getMessage());
  }

  private static WriteResult fail(int status, String message) {
    return new WriteResult(status, message, 0, 0, 0);
  }

  /** True at most once per interval across threads: keeps a flood of bad requests out of the log. */
  private static boolean due(AtomicLong next) {
    long now = System.nanoTime();
    long at = next.get();
    return now - at >= 0 && next.compareAndSet(at, now + WARN_INTERVAL_NANOS);
  }
}
