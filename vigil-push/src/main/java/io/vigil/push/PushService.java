package io.vigil.push;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.storage.Appendable;
import io.vigil.web.Role;
import io.vigil.web.Route;
import io.vigil.web.Router;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vigil's Pushgateway: the push API, its durable store, and the sampling of pushed groups into the
 * storage. What vigil-server uses:
 *
 * <ol>
 *   <li>{@link #open} replays the journal (in {@link PushOptions#journalDir()}) and starts the
 *       background maintenance (TTL expiry every second, journal compaction).
 *   <li>{@link #registerRoutes} adds the push API to the main router; {@link #registerPushgatewayRoutes}
 *       adds it, plus {@code GET /metrics}, {@code /-/healthy} and {@code /-/ready}, to the router of
 *       the {@code --push.listen-address} listener (a drop-in Pushgateway).
 *   <li>{@link #start} begins writing the groups into the storage every scrape interval (and right
 *       after each change); {@link #setScrapeInterval} follows config reloads.
 *   <li>{@link #close} stops sampling and maintenance and closes the journal.
 * </ol>
 *
 * <p>Routes and roles: {@code PUT}/{@code POST}/{@code DELETE /metrics/job/<job>{/<name>/<value>}}
 * (and {@code /metrics/job@base64/...}) need {@link Role#WRITE}; {@code GET /api/v1/metrics} and
 * {@code GET /api/v1/status} {@link Role#READ}; {@code PUT /api/v1/admin/wipe} {@link Role#ADMIN}.
 * A push may carry {@code ?ttl=<duration>} (Prometheus syntax, {@code 0} = never expires) to
 * override the group TTL for that group. Thread-safe.
 */
public final class PushService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PushService.class);

  private final PushOptions options;
  private final InstantSource clock;
  private final PushMetrics metrics;
  private final PushStore store;
  private final PushHandlers handlers;
  private final ScheduledExecutorService maintenance;
  private volatile GroupSampler sampler;
  private volatile Map<String, String> buildInformation;
  private volatile Map<String, String> flags;

  private PushService(PushOptions options, PrometheusRegistry registry, InstantSource clock) throws IOException {
    this.options = options;
    this.clock = clock;
    this.metrics = new PushMetrics(registry);
    this.store = PushStore.open(options, metrics, clock);
    metrics.gauges(store::size, store::seriesCount, store::journalBytes);
    Instant start = clock.instant();
    this.buildInformation = defaultBuildInformation();
    this.flags = defaultFlags(options);
    this.handlers = new PushHandlers(store, options, metrics, () -> sampler, () -> buildInformation, () -> flags,
        start.getEpochSecond() * 1_000_000_000L + start.getNano());
    this.maintenance = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().name("vigil-push-maintenance").daemon(true).factory());
    maintenance.scheduleWithFixedDelay(this::expire, 1, 1, TimeUnit.SECONDS);
    long checkMs = options.compactionCheckInterval().toMillis();
    maintenance.scheduleWithFixedDelay(this::compactIfDue, checkMs, checkMs, TimeUnit.MILLISECONDS);
  }

  /**
   * Opens the store: replays the journal (recovering from damage as docs/format/push-journal.md
   * says) and starts TTL expiry and compaction. Self-metrics ({@code vigil_push_*}) go to
   * {@code registry}.
   *
   * @throws IOException if the journal directory cannot be read or written
   */
  public static PushService open(PushOptions options, PrometheusRegistry registry) throws IOException {
    return new PushService(options, registry, InstantSource.system());
  }

  /** {@link #open(PushOptions, PrometheusRegistry)} with the clock that stamps push times. */
  public static PushService open(PushOptions options, PrometheusRegistry registry, InstantSource clock)
      throws IOException {
    return new PushService(options, registry, clock);
  }

  /**
   * Starts writing every group into {@code storage} every {@code scrapeInterval}, as a scrape of a
   * Pushgateway with {@code honor_labels: true} would, and right after each change. Once only.
   */
  public synchronized void start(Appendable storage, Duration scrapeInterval) {
    if (sampler != null) {
      throw new IllegalStateException("push sampling already started");
    }
    GroupSampler s = new GroupSampler(store, storage, scrapeInterval, metrics, clock);
    s.start();
    sampler = s;
  }

  /** The new global scrape_interval (config reload); takes effect at once. */
  public void setScrapeInterval(Duration scrapeInterval) {
    GroupSampler s = sampler;
    if (s == null) {
      throw new IllegalStateException("push sampling not started");
    }
    s.setInterval(scrapeInterval);
  }

  /**
   * Applies a push exactly as {@code PUT} ({@code replace}) or {@code POST} on the push API would,
   * without HTTP: for in-process callers and benchmarks. No tenant, the server's default TTL.
   * Returns once the change is durable (and, if sampling runs, handed to the storage).
   *
   * @param rawPath the push path as on the wire, e.g. {@code /metrics/job/restic/instance/host1}
   * @param contentType the body's Content-Type (null: text format 0.0.4)
   * @throws PushRejectedException with the status and message the push API would answer
   */
  public void push(boolean replace, String rawPath, String contentType, byte[] body) throws PushRejectedException {
    handlers.push(replace, rawPath, null, contentType, body, PushGroup.DEFAULT_TTL);
  }

  /** The push API on the main listener. */
  public void registerRoutes(Router router) {
    addPushRoutes(router);
    // Without a job the Pushgateway answers 405; GET /metrics stays the server's own.
    router.add(new Route(Set.of("PUT", "POST", "DELETE"), "/metrics", "push", Role.OPEN, handlers::noJob));
  }

  /**
   * The drop-in Pushgateway listener: the push API plus {@code GET /metrics} (all groups mixed with
   * {@code vigilOwnMetrics}, as the Pushgateway mixes in its own), {@code /-/healthy} and
   * {@code /-/ready}.
   */
  public void registerPushgatewayRoutes(Router router, PrometheusRegistry vigilOwnMetrics) {
    addPushRoutes(router);
    OwnMetrics own = new OwnMetrics(vigilOwnMetrics, claims -> store.setOwnClaims(claims::get));
    own.families(); // learn the names Vigil's own metrics take before the first push
    router.add(new Route(Set.of("GET"), "/metrics", "metrics", Role.READ, ex -> handlers.exposition(ex, own)));
    router.add(new Route(Set.of("GET"), "/-/healthy", "healthy", Role.OPEN, PushHandlers::ok));
    router.add(new Route(Set.of("GET"), "/-/ready", "ready", Role.OPEN, PushHandlers::ok));
  }

  private void addPushRoutes(Router router) {
    for (String pattern : List.of("/metrics/job/*", "/metrics/job@base64/*")) {
      router.add(new Route(Set.of("PUT", "POST"), pattern, "push", Role.WRITE, handlers::push));
      router.add(new Route(Set.of("DELETE"), pattern, "delete", Role.WRITE, handlers::delete));
    }
    router.add(new Route(Set.of("GET"), "/api/v1/metrics", "api/v1/metrics", Role.READ, handlers::apiMetrics));
    router.add(new Route(Set.of("GET"), "/api/v1/status", "api/v1/status", Role.READ, handlers::apiStatus));
    router.add(new Route(Set.of("PUT"), "/api/v1/admin/wipe", "wipe", Role.ADMIN, handlers::wipe));
  }

  /**
   * What {@code GET /api/v1/status} reports (the Pushgateway's shape): build information
   * (version, revision, branch, buildUser, buildDate, goVersion) and the flags in effect.
   */
  public void setStatusInfo(Map<String, String> buildInformation, Map<String, String> flags) {
    this.buildInformation = Map.copyOf(buildInformation);
    this.flags = Map.copyOf(flags);
  }

  public int groupCount() {
    return store.size();
  }

  /** Every group, sorted by grouping key. */
  public List<PushGroupInfo> groups() {
    List<PushGroupInfo> out = new ArrayList<>();
    for (PushGroup g : store.sortedGroups()) {
      out.add(new PushGroupInfo(g.key().labels().toMap(), instant(g.pushTimeNanos()),
          g.failureTimeNanos() == 0 ? null : instant(g.failureTimeNanos()), g.sampleCount()));
    }
    return out;
  }

  /** Compacts the journal now (it also happens on its own when the journal grows). */
  public void compact() throws IOException {
    store.compact();
  }

  private static Instant instant(long nanos) {
    return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }

  private void expire() {
    try {
      List<GroupingKey> expired = store.expire();
      GroupSampler s = sampler;
      if (!expired.isEmpty() && s != null) {
        s.sampleSoon(expired);
      }
    } catch (PushRejectedException | RuntimeException e) {
      log.atWarn().addKeyValue("cause", e.getMessage()).log("push group expiry failed; retrying in a second");
    }
  }

  private void compactIfDue() {
    try {
      store.compactIfDue();
    } catch (IOException | RuntimeException e) {
      log.atWarn().setCause(e).log("push journal compaction failed; the journal keeps growing until one succeeds");
    }
  }

  private static Map<String, String> defaultBuildInformation() {
    Map<String, String> m = new LinkedHashMap<>();
    String version = PushService.class.getPackage().getImplementationVersion();
    m.put("version", version == null ? "unknown" : version);
    m.put("revision", "unknown");
    m.put("branch", "unknown");
    m.put("buildUser", "unknown");
    m.put("buildDate", "unknown");
    m.put("goVersion", "java" + Runtime.version().feature());
    return m;
  }

  private static Map<String, String> defaultFlags(PushOptions o) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("push.group-ttl", o.groupTtl().isZero() ? "0s" : o.groupTtl().toString());
    m.put("push.journal-dir", o.journalDir().toString());
    m.put("push.max-body-bytes", Long.toString(o.maxBodyBytes()));
    m.put("push.max-series-per-push", Integer.toString(o.maxSeriesPerPush()));
    m.put("push.max-labels-per-series", Integer.toString(o.maxLabelsPerSeries()));
    m.put("push.max-label-value-bytes", Integer.toString(o.maxLabelValueBytes()));
    m.put("push.max-groups", Integer.toString(o.maxGroups()));
    return m;
  }

  @Override
  public void close() throws IOException {
    maintenance.shutdown(); // no interrupts: an interrupted FileChannel closes itself
    GroupSampler s = sampler;
    if (s != null) {
      s.close();
    }
    try {
      maintenance.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    store.close();
  }
}
