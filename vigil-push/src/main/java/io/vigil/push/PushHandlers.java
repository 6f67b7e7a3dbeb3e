package io.vigil.push;

import io.vigil.config.PromDuration;
import io.vigil.exposition.ByteSink;
import io.vigil.model.LabelNames;
import io.vigil.model.Labels;
import io.vigil.web.HttpExchange;
import io.vigil.web.HttpStatusException;
import io.vigil.web.Tenant;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The HTTP endpoints of the push API. Errors are plain-text bodies with the Pushgateway's status
 * codes and (where it has them) its messages. With a {@link Tenant} on the exchange, the tenant's
 * label is part of every grouping key the caller names, and the caller sees and wipes only its own
 * groups.
 */
final class PushHandlers {
  /**
   * How long a push waits for its groups to be written to the storage before answering anyway: the
   * push is durable in the journal already; this only makes a fresh push queryable at once.
   */
  private static final Duration SAMPLE_WAIT = Duration.ofSeconds(2);

  private final PushStore store;
  private final PushBody body;
  private final PushOptions options;
  private final PushMetrics metrics;
  private final Supplier<GroupSampler> sampler;
  private final Supplier<Map<String, String>> buildInformation;
  private final Supplier<Map<String, String>> flags;
  private final long startNanos;

  PushHandlers(PushStore store, PushOptions options, PushMetrics metrics, Supplier<GroupSampler> sampler,
      Supplier<Map<String, String>> buildInformation, Supplier<Map<String, String>> flags, long startNanos) {
    this.store = store;
    this.body = new PushBody(options);
    this.options = options;
    this.metrics = metrics;
    this.sampler = sampler;
    this.buildInformation = buildInformation;
    this.flags = flags;
    this.startNanos = startNanos;
  }

  /** PUT (replace the group) or POST (replace the families of the same names). */
  void push(HttpExchange ex) throws Exception {
    boolean put = ex.method().equals("PUT");
    // The body first: with curl's default form Content-Type, reading a parameter first would
    // consume the body as a form.
    byte[] bytes = ex.body(options.maxBodyBytes());
    try {
      push(put, ex.rawPath(), ex.attribute(Tenant.class), ex.header("Content-Type"), bytes, ttl(ex));
    } catch (PushRejectedException e) {
      throw new HttpStatusException(e.status(), e.getMessage());
    }
    ex.respondEmpty(200);
  }

  /** A push of {@code body} to {@code rawPath}; returns once durable and handed to the storage. */
  void push(boolean put, String rawPath, Tenant tenant, String contentType, byte[] body, long ttlMs)
      throws PushRejectedException {
    String method = put ? "put" : "post";
    GroupingKey key;
    try {
      key = key(rawPath, tenant);
      List<PushedFamily> families;
      try {
        families = this.body.parse(contentType, body, key, 0);
      } catch (PushRejectedException e) {
        if (e.kind() == PushRejectedException.Kind.INCONSISTENT) {
          store.recordFailure(key);
        }
        throw e;
      }
      store.push(key, families, put, ttlMs);
    } catch (PushRejectedException e) {
      metrics.request(method, e.kind().name().toLowerCase(Locale.ROOT));
      throw e;
    }
    metrics.request(method, "success");
    awaitSampled(List.of(key));
  }

  void delete(HttpExchange ex) throws Exception {
    try {
      GroupingKey key = key(ex);
      if (store.delete(key)) {
        awaitSampled(List.of(key));
      }
    } catch (PushRejectedException e) {
      throw rejected("delete", e);
    }
    metrics.request("delete", "success");
    ex.respondEmpty(202);
  }

  void wipe(HttpExchange ex) throws Exception {
    try {
      List<GroupingKey> removed = store.wipe(tenantFilter(ex));
      awaitSampled(removed);
    } catch (PushRejectedException e) {
      throw rejected("wipe", e);
    }
    metrics.request("wipe", "success");
    ex.respondEmpty(202);
  }

  /** {@code PUT /metrics} and the like: the Pushgateway needs a job. */
  void noJob(HttpExchange ex) {
    throw new HttpStatusException(405, "Method Not Allowed");
  }

  void apiMetrics(HttpExchange ex) throws Exception {
    List<PushGroup> groups = visible(ex);
    try (OutputStream out = ex.startResponse(200, PushApiJson.CONTENT_TYPE)) {
      PushApiJson.metrics(groups, out);
    }
  }

  void apiStatus(HttpExchange ex) throws Exception {
    try (OutputStream out = ex.startResponse(200, PushApiJson.CONTENT_TYPE)) {
      PushApiJson.status(buildInformation.get(), flags.get(), startNanos, out);
    }
  }

  /** The Pushgateway's {@code GET /metrics}: all (visible) groups plus the server's own metrics. */
  void exposition(HttpExchange ex, OwnMetrics own) throws Exception {
    ByteSink sink = new ByteSink(64 << 10);
    PushgatewayExposition.write(visible(ex), own.families(), sink);
    try (OutputStream out = ex.startResponse(200, PushgatewayExposition.CONTENT_TYPE)) {
      sink.writeTo(out);
    }
  }

  static void ok(HttpExchange ex) throws Exception {
    ex.respond(200, "text/plain; charset=utf-8", "OK");
  }

  private List<PushGroup> visible(HttpExchange ex) {
    Labels filter = tenantFilter(ex);
    List<PushGroup> all = store.sortedGroups();
    if (filter.isEmpty()) {
      return all;
    }
    List<PushGroup> mine = new ArrayList<>();
    for (PushGroup g : all) {
      if (g.key().matches(filter)) {
        mine.add(g);
      }
    }
    return mine;
  }

  private static Labels tenantFilter(HttpExchange ex) {
    Tenant t = ex.attribute(Tenant.class);
    return t == null ? Labels.EMPTY : Labels.of(t.label(), t.value());
  }

  /** The grouping key of the path, with the caller's tenant label set (it overrides the path's). */
  static GroupingKey key(HttpExchange ex) throws PushRejectedException {
    return key(ex.rawPath(), ex.attribute(Tenant.class));
  }

  static GroupingKey key(String rawPath, Tenant t) throws PushRejectedException {
    GroupingKey key = PushPath.parse(rawPath);
    if (t == null) {
      return key;
    }
    return new GroupingKey(key.labels().toBuilder().set(t.label(), t.value()).build());
  }

  /**
   * {@code ?ttl=<duration>}: the group's TTL override (0 = never expires); absent = the server's
   * {@code --push.group-ttl}. Read after the body (see {@link #push(HttpExchange)}).
   */
  private long ttl(HttpExchange ex) {
    String ttl = ex.param("ttl");
    if (ttl == null || ttl.isEmpty()) {
      return PushGroup.DEFAULT_TTL;
    }
    try {
      return PromDuration.parse(ttl).millis();
    } catch (IllegalArgumentException e) {
      metrics.request(ex.method().equals("PUT") ? "put" : "post", "invalid");
      throw new HttpStatusException(400, "invalid ttl parameter " + LabelNames.quote(ttl) + ": " + e.getMessage());
    }
  }

  private HttpStatusException rejected(String method, PushRejectedException e) {
    metrics.request(method, e.kind().name().toLowerCase(Locale.ROOT));
    return new HttpStatusException(e.status(), e.getMessage());
  }

  private void awaitSampled(List<GroupingKey> keys) {
    GroupSampler s = sampler.get();
    if (s == null || keys.isEmpty()) {
      return;
    }
    CompletableFuture<Void> f = s.sampleSoon(keys);
    try {
      f.get(SAMPLE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // The change is durable; the storage catches up at the next round.
    }
  }
}
