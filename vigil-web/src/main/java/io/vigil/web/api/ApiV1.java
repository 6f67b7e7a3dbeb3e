package io.vigil.web.api;

import com.google.re2j.Pattern;
import io.vigil.promql.Engine;
import io.vigil.storage.Queryable;
import io.vigil.storage.StorageException;
import io.vigil.web.Endpoint;
import io.vigil.web.HttpExchange;
import io.vigil.web.HttpStatusException;
import io.vigil.web.Role;
import io.vigil.web.Router;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Prometheus HTTP API v1: registers every {@code /api/v1/...} endpoint on a {@link Router}, with
 * Prometheus's parameters, JSON shapes, status codes, errorTypes and error texts. Reads need
 * {@link Role#READ}, the admin API {@link Role#ADMIN}. A request carrying a {@link io.vigil.web.Tenant}
 * sees only that tenant's series, through every read endpoint.
 *
 * <p>Build with {@link #builder(Engine, Queryable)}; everything else is optional and defaults to an
 * "empty" component (no targets, no rules, ...). Thread-safe once built. {@link #close()} stops the
 * timer thread that enforces per-request query timeouts.
 */
public final class ApiV1 implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ApiV1.class);
  private static final String PREFIX = "/api/v1";

  private final QueryApi queries;
  private final SeriesApi series;
  private final TargetsApi targets;
  private final RulesApi rules;
  private final StatusApi status;
  private final AdminApi admin;
  private final boolean adminEnabled;
  private final Pattern corsOrigin;
  private final BooleanSupplier ready;
  private final ScheduledExecutorService timers;

  private ApiV1(Builder b) {
    ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon()
        .name("vigil-api-query-timeouts").factory());
    // Most queries finish before their timeout: drop their timers at once instead of at expiry.
    t.setRemoveOnCancelPolicy(true);
    this.timers = t;
    this.queries = new QueryApi(b.engine, b.queryable, b.exemplars, b.clock, timers);
    this.series = new SeriesApi(b.queryable, b.metadata);
    this.targets = new TargetsApi(b.targets);
    this.rules = new RulesApi(b.rules);
    this.status = new StatusApi(b.config, b.flags, b.runtimeInfo, b.buildInfo, b.tsdbStatus, b.alertmanagers,
        b.queryable, b.notifications);
    this.admin = new AdminApi(b.tsdbAdmin, b.dataDir, b.clock);
    this.adminEnabled = b.enableAdmin;
    this.corsOrigin = Pattern.compile("^(?:" + b.corsOrigin + ")$", Pattern.DOTALL);
    this.ready = b.ready;
  }

  public static Builder builder(Engine engine, Queryable queryable) {
    return new Builder(engine, queryable);
  }

  /** Adds every endpoint (and a CORS preflight answer for each) to the router. */
  public void register(Router r) {
    read(r, Set.of("GET", "POST"), "/query", queries::query);
    read(r, Set.of("GET", "POST"), "/query_range", queries::queryRange);
    read(r, Set.of("GET", "POST"), "/query_exemplars", queries::queryExemplars);
    read(r, Set.of("GET", "POST"), "/format_query", queries::formatQuery);
    read(r, Set.of("GET", "POST"), "/parse_query", queries::parseQuery);
    read(r, Set.of("GET", "POST"), "/labels", series::labelNames);
    read(r, Set.of("GET"), "/label/{name}/values", series::labelValues);
    read(r, Set.of("GET", "POST"), "/series", series::series);
    route(r, Set.of("DELETE"), "/series", Role.ADMIN, series::dropSeries, false);
    read(r, Set.of("GET"), "/metadata", series::metadata);
    read(r, Set.of("GET"), "/scrape_pools", targets::scrapePools);
    read(r, Set.of("GET"), "/targets", targets::targets);
    read(r, Set.of("GET"), "/targets/metadata", targets::targetMetadata);
    read(r, Set.of("GET"), "/alertmanagers", status::alertmanagers);
    read(r, Set.of("GET"), "/alerts", rules::alerts);
    read(r, Set.of("GET"), "/rules", rules::rules);
    read(r, Set.of("GET"), "/status/config", status::config);
    read(r, Set.of("GET"), "/status/flags", status::flags);
    read(r, Set.of("GET"), "/status/runtimeinfo", status::runtimeInfo);
    read(r, Set.of("GET"), "/status/buildinfo", status::buildInfo);
    read(r, Set.of("GET"), "/status/tsdb", status::tsdb);
    read(r, Set.of("GET"), "/notifications", status::notifications);
    // Prometheus serves the WAL replay status even before it is ready: that is when it matters.
    route(r, Set.of("GET"), "/status/walreplay", Role.READ, status::walReplay, true);
    Set<String> adminMethods = Set.of("POST", "PUT");
    route(r, adminMethods, "/admin/tsdb/snapshot", Role.ADMIN, adminEnabled ? admin::snapshot : AdminApi::disabled, false);
    route(r, adminMethods, "/admin/tsdb/delete_series", Role.ADMIN,
        adminEnabled ? admin::deleteSeries : AdminApi::disabled, false);
    route(r, adminMethods, "/admin/tsdb/clean_tombstones", Role.ADMIN,
        adminEnabled ? admin::cleanTombstones : AdminApi::disabled, false);
  }

  private void read(Router r, Set<String> methods, String path, ApiEndpoint f) {
    route(r, methods, path, Role.READ, f, false);
  }

  private void route(Router r, Set<String> methods, String path, Role role, ApiEndpoint f, boolean evenIfNotReady) {
    String pattern = PREFIX + path;
    r.add(methods, pattern, role, wrap(f, evenIfNotReady));
    if (r.match("OPTIONS", pattern.replace("{name}", "x")) instanceof Router.Found) {
      return; // one preflight route per path
    }
    // Browsers send preflights without credentials, so they must be open.
    r.add(Set.of("OPTIONS"), pattern, Role.OPEN, ex -> {
      cors(ex);
      ex.respondEmpty(204);
    });
  }

  @FunctionalInterface
  private interface ApiEndpoint {
    void handle(HttpExchange ex) throws Exception;
  }

  private Endpoint wrap(ApiEndpoint f, boolean evenIfNotReady) {
    return ex -> {
      if (!evenIfNotReady && !ready.getAsBoolean()) {
        ex.respond(503, "text/plain; charset=utf-8", "Service Unavailable");
        return;
      }
      cors(ex);
      try {
        f.handle(ex);
      } catch (ApiError e) {
        fail(ex, e);
      } catch (StorageException e) {
        fail(ex, ApiError.internal(e.getMessage()));
      } catch (HttpStatusException e) {
        if (e.status() != 400) {
          throw e; // e.g. 413 for an oversized body: not an API error in Prometheus either
        }
        fail(ex, ApiError.badData(e.getMessage()));
      } catch (RuntimeException e) {
        log.atError().setCause(e).addKeyValue("path", ex.path()).log("API request failed");
        fail(ex, ApiError.internal(e.toString()));
      }
    };
  }

  private static void fail(HttpExchange ex, ApiError e) throws java.io.IOException {
    if (ex.responseStarted()) {
      throw e; // too late for an error envelope; the router ends the truncated response
    }
    ApiResponses.error(ex, e);
  }

  /** Prometheus's httputil.SetCORS: only for requests with an Origin header. */
  private void cors(HttpExchange ex) {
    String origin = ex.header("Origin");
    if (origin == null || origin.isEmpty()) {
      return;
    }
    ex.setHeader("Access-Control-Allow-Headers", "Accept, Authorization, Content-Type, Origin");
    ex.setHeader("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
    ex.setHeader("Access-Control-Expose-Headers", "Date");
    ex.setHeader("Vary", "Origin");
    if (corsOrigin.pattern().equals("^(?:.*)$")) {
      ex.setHeader("Access-Control-Allow-Origin", "*");
    } else if (corsOrigin.matcher(origin).matches()) {
      ex.setHeader("Access-Control-Allow-Origin", origin);
    }
  }

  @Override
  public void close() {
    timers.shutdownNow();
  }

  /** Collects the API's collaborators; unset ones are the EMPTY implementations. Not thread-safe. */
  public static final class Builder {
    private final Engine engine;
    private final Queryable queryable;
    private TsdbStatus tsdbStatus = TsdbStatus.EMPTY;
    private TsdbAdmin tsdbAdmin = TsdbAdmin.UNAVAILABLE;
    private TargetRetriever targets = TargetRetriever.EMPTY;
    private MetadataSource metadata = MetadataSource.EMPTY;
    private RulesRetriever rules = RulesRetriever.EMPTY;
    private AlertmanagerRetriever alertmanagers = AlertmanagerRetriever.EMPTY;
    private ExemplarSource exemplars = ExemplarSource.EMPTY;
    private ConfigSource config = ConfigSource.EMPTY;
    private NotificationSource notifications = NotificationSource.EMPTY;
    private Supplier<Map<String, String>> flags = Map::of;
    private Supplier<RuntimeInfo> runtimeInfo;
    private BuildInfo buildInfo = BuildInfo.UNKNOWN;
    private boolean enableAdmin;
    private Path dataDir;
    private String corsOrigin = ".*";
    private Clock clock = Clock.systemUTC();
    private BooleanSupplier ready = () -> true;

    private Builder(Engine engine, Queryable queryable) {
      this.engine = Objects.requireNonNull(engine);
      this.queryable = Objects.requireNonNull(queryable);
      java.time.Instant started = Clock.systemUTC().instant();
      this.runtimeInfo = () -> RuntimeInfo.ofThisJvm(started, true, started, "");
    }

    public Builder tsdbStatus(TsdbStatus s) {
      this.tsdbStatus = Objects.requireNonNull(s);
      return this;
    }

    public Builder tsdbAdmin(TsdbAdmin a) {
      this.tsdbAdmin = Objects.requireNonNull(a);
      return this;
    }

    public Builder targets(TargetRetriever t) {
      this.targets = Objects.requireNonNull(t);
      return this;
    }

    public Builder metadata(MetadataSource m) {
      this.metadata = Objects.requireNonNull(m);
      return this;
    }

    public Builder rules(RulesRetriever r) {
      this.rules = Objects.requireNonNull(r);
      return this;
    }

    public Builder alertmanagers(AlertmanagerRetriever a) {
      this.alertmanagers = Objects.requireNonNull(a);
      return this;
    }

    public Builder exemplars(ExemplarSource e) {
      this.exemplars = Objects.requireNonNull(e);
      return this;
    }

    public Builder config(ConfigSource c) {
      this.config = Objects.requireNonNull(c);
      return this;
    }

    public Builder notifications(NotificationSource n) {
      this.notifications = Objects.requireNonNull(n);
      return this;
    }

    /** Command-line flags without their dashes, e.g. {@code "query.timeout" -> "2m"}. */
    public Builder flags(Supplier<Map<String, String>> f) {
      this.flags = Objects.requireNonNull(f);
      return this;
    }

    public Builder runtimeInfo(Supplier<RuntimeInfo> r) {
      this.runtimeInfo = Objects.requireNonNull(r);
      return this;
    }

    public Builder buildInfo(BuildInfo b) {
      this.buildInfo = Objects.requireNonNull(b);
      return this;
    }

    /**
     * --web.enable-admin-api (default off: the admin endpoints answer 503 "admin APIs disabled").
     *
     * @param dataDir the storage directory; snapshots go to its {@code snapshots/} folder
     */
    public Builder enableAdmin(boolean enable, Path dataDir) {
      this.enableAdmin = enable;
      this.dataDir = dataDir;
      return this;
    }

    /** --web.cors.origin: an RE2 regex (anchored) of allowed origins; default ".*" (any). */
    public Builder corsOrigin(String regex) {
      Pattern.compile(regex); // fail at startup, not per request
      this.corsOrigin = regex;
      return this;
    }

    /** Where "now" comes from (the default time of instant queries, snapshot names). */
    public Builder clock(Clock c) {
      this.clock = Objects.requireNonNull(c);
      return this;
    }

    /** While false, endpoints answer 503 "Service Unavailable" as Prometheus does during startup. */
    public Builder ready(BooleanSupplier r) {
      this.ready = Objects.requireNonNull(r);
      return this;
    }

    public ApiV1 build() {
      return new ApiV1(this);
    }
  }
}
