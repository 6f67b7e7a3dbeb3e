package io.vigil.server;

import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.config.Config;
import io.vigil.config.ConfigException;
import io.vigil.config.WebConfig;
import io.vigil.config.WebConfigLoader;
import io.vigil.promql.Engine;
import io.vigil.promql.EngineOptions;
import io.vigil.promql.parser.ParserOptions;
import io.vigil.tsdb.Tsdb;
import io.vigil.tsdb.TsdbOptions;
import io.vigil.notify.Notifier;
import io.vigil.notify.NotifierOptions;
import io.vigil.push.PushOptions;
import io.vigil.push.PushService;
import io.vigil.remote.RemoteWriteOptions;
import io.vigil.rules.RuleManager;
import io.vigil.rules.RuleOptions;
import io.vigil.remote.RemoteWriteReceiver;
import io.vigil.scrape.ScrapeManager;
import io.vigil.scrape.ScrapeOptions;
import io.vigil.scrape.discovery.DiscoveryMetrics;
import io.vigil.storage.Appender;
import io.vigil.ui.UiRoutes;
import io.vigil.storage.Querier;
import io.vigil.storage.StorageException;
import io.vigil.web.HttpExchange;
import io.vigil.web.api.ApiV1;
import io.vigil.web.api.RuntimeInfo;
import io.vigil.web.MetricsEndpoint;
import io.vigil.web.Role;
import io.vigil.web.Route;
import io.vigil.web.Router;
import io.vigil.web.WebOptions;
import io.vigil.web.WebServer;
import io.vigil.web.auth.WebAuthenticator;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Vigil: wires configuration, storage, engines and the HTTP server, and takes them down
 * in the reverse order. Several instances can run in one JVM (tests): nothing here is global.
 */
public final class VigilServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(VigilServer.class);
  /** The Prometheus version whose HTTP API and PromQL Vigil implements (reported by buildinfo). */
  static final String PROMETHEUS_API_VERSION = "3.0.0";

  private final ServerOptions options;
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final ConfigReloader config;
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private volatile boolean ready;
  private WebServer web;
  private Router router;
  private volatile Tsdb tsdb;
  private Engine engine;
  private ApiV1 api;
  private volatile ScrapeManager scrape;
  private PushService push;
  private volatile Notifier notifier;
  private volatile RuleManager rules;
  private WebServer pushWeb;
  private final Instant startTime = Instant.now();
  private boolean closed;

  public VigilServer(ServerOptions options) {
    this.options = options;
    this.config = new ConfigReloader(options.configFile(), registry);
  }

  public void start() throws Exception {
    BuildInfo build = BuildInfo.current();
    log.atInfo().addKeyValue("version", build.version()).addKeyValue("revision", build.revision())
        .addKeyValue("java", build.javaVersion()).log("Starting Vigil");
    JvmMetrics.builder().register(registry);
    Info.builder().name("vigil_build_info")
        .help("A metric with a constant '1' value labeled by version, revision, branch, and javaversion from which Vigil was built.")
        .labelNames("version", "revision", "branch", "javaversion")
        .register(registry)
        .addLabelValues(build.version(), build.revision(), build.branch(), build.javaVersion());

    Config initial = config.loadInitial();
    engine = new Engine(engineOptions(initial));

    WebConfig webConfig = loadWebConfig();
    push = PushService.open(PushOptions.defaults(options.tsdbPath().resolve("push"))
        .withGroupTtl(Duration.ofMillis(options.pushGroupTtl().millis())), registry);
    push.setStatusInfo(Map.of("version", build.version(), "revision", build.revision(), "branch", build.branch(),
        "buildUser", "vigil", "buildDate", build.buildDate(), "goVersion", build.javaVersion()), options.flags());
    // The web server comes up first so /-/healthy answers and /-/ready says 503 while the WAL replays.
    web = new WebServer(new WebOptions(options.listenAddress(), options.maxRequestBodySize().bytes(),
        Duration.ofSeconds(10), Duration.ofMinutes(5), webConfig), router = router(), registry);
    web.setAuthenticator(new WebAuthenticator(webConfig));
    web.start();
    if (options.pushListenAddress() != null) {
      Router pushgateway = new Router();
      push.registerPushgatewayRoutes(pushgateway, registry);
      pushWeb = new WebServer(new WebOptions(options.pushListenAddress(), options.maxRequestBodySize().bytes(),
          Duration.ofSeconds(10), Duration.ofMinutes(5), webConfig), pushgateway, registry);
      pushWeb.setAuthenticator(new WebAuthenticator(webConfig));
      pushWeb.start();
    }
    if (options.webConfigFile() != null) {
      // Credentials change with the web config file on every reload (TLS settings need a restart).
      config.addApplier(new ConfigReloader.Applier() {
        @Override
        public String name() {
          return "web config";
        }

        @Override
        public void apply(Config ignored) throws Exception {
          WebAuthenticator auth = new WebAuthenticator(loadWebConfig());
          web.setAuthenticator(auth);
          if (pushWeb != null) {
            pushWeb.setAuthenticator(auth);
          }
        }
      });
    }
    tsdb = Tsdb.start(options.tsdbPath(), tsdbOptions(initial), registry);
    tsdb.awaitReady();
    // One set of vigil_sd_* metrics for both discoveries: name="scrape" and name="notify".
    DiscoveryMetrics discoveryMetrics = new DiscoveryMetrics(registry);
    scrape = new ScrapeManager(this::appender, ScrapeOptions.defaults().withExternalUrl(externalUrl(), web.port()),
        registry, discoveryMetrics);
    config.addApplier(applier("scrape", scrape::applyConfig));
    push.start(this::appender, Duration.ofMillis(initial.global().scrapeInterval().millis()));
    notifier = new Notifier(NotifierOptions.DEFAULTS, registry, discoveryMetrics);
    config.addApplier(applier("notifier", notifier::applyConfig));
    rules = new RuleManager(engine, this::querier, this::appender, notifier::send, RuleOptions.DEFAULTS
        .withExternalUrl(externalUrl().toString())
        .withOutageTolerance(Duration.ofMillis(options.forOutageTolerance().millis()))
        .withForGracePeriod(Duration.ofMillis(options.forGracePeriod().millis()))
        .withResendDelay(Duration.ofMillis(options.resendDelay().millis())), registry);
    config.addApplier(applier("rules", rules::applyConfig));
    config.addApplier(applier("push", c -> push.setScrapeInterval(Duration.ofMillis(c.global().scrapeInterval().millis()))));
    config.addApplier(applier("unsupported settings", c -> UnsupportedSettings.of(c).forEach(w -> log.warn("{}", w))));
    config.applyCurrent();
    ready = true;
    if (pushWeb != null) {
      log.atInfo().addKeyValue("push_listen_address", options.pushListenAddress().host() == null
          ? ":" + pushWeb.port() : options.pushListenAddress().host() + ":" + pushWeb.port())
          .log("Pushgateway-compatible listener is up");
    }
    log.atInfo()
        .addKeyValue("listen_address", options.listenAddress().host() == null ? ":" + web.port() : options.listenAddress().host() + ":" + web.port())
        .addKeyValue("data_dir", options.tsdbPath().toAbsolutePath())
        .addKeyValue("config_file", config.source())
        .log("Vigil is ready to receive web requests");
  }

  private WebConfig loadWebConfig() throws ConfigException, java.io.IOException {
    if (options.webConfigFile() == null) {
      return WebConfig.NONE;
    }
    WebConfig wc = new WebConfigLoader().load(options.webConfigFile());
    wc.warnings().forEach(w -> log.atWarn().log(w.toString()));
    return wc;
  }

  private TsdbOptions tsdbOptions(Config cfg) {
    long oooWindowMs = options.outOfOrderTimeWindow().millis();
    if (oooWindowMs == 0) {
      oooWindowMs = cfg.storage().outOfOrderTimeWindow().millis();
    }
    return TsdbOptions.defaults()
        .withRetentionMs(options.retentionTime().millis())
        .withRetentionBytes(options.retentionSize().bytes())
        .withOutOfOrderWindowMs(oooWindowMs);
  }

  private EngineOptions engineOptions(Config cfg) {
    boolean experimental = options.featureEnabled("promql-experimental-functions");
    String queryLog = cfg.global().queryLogFile();
    return EngineOptions.DEFAULTS
        .withLookbackDelta(Duration.ofMillis(options.lookbackDelta().millis()))
        .withTimeout(Duration.ofMillis(options.queryTimeout().millis()))
        .withMaxSamples(options.queryMaxSamples())
        .withMaxConcurrency(options.queryMaxConcurrency())
        .withParserOptions(experimental ? new ParserOptions(true, false, false, false) : ParserOptions.DEFAULT)
        .withDelayedNameRemoval(options.featureEnabled("promql-delayed-name-removal"))
        .withQueryLogFile(queryLog == null || queryLog.isEmpty() ? null : Path.of(queryLog));
  }

  private Router router() {
    Router r = new Router();
    r.get("/-/healthy", Role.OPEN, ex -> ex.respond(200, "text/plain; charset=utf-8", "Vigil Server is Healthy.\n"));
    r.add(Set.of("GET", "HEAD"), "/-/ready", Role.OPEN, this::ready);
    r.add(Set.of("POST", "PUT"), "/-/reload", Role.ADMIN, this::reloadEndpoint);
    r.add(Set.of("POST", "PUT"), "/-/quit", Role.ADMIN, this::quitEndpoint);
    r.get("/metrics", Role.READ, new MetricsEndpoint(registry));
    api = apiV1();
    api.register(r);
    new UiRoutes().register(r);
    push.registerRoutes(r);
    if (options.enableRemoteWriteReceiver()) {
      new RemoteWriteReceiver(this::appender, RemoteWriteOptions.defaults()
          .withMaxCompressedBytes(options.maxRequestBodySize().bytes()), registry).registerRoutes(r);
    } else {
      RemoteWriteReceiver.registerDisabled(r);
    }
    return r;
  }

  /** Storage as the HTTP side sees it: usable once the WAL is replayed, a retryable error before. */
  private Appender appender() {
    Tsdb db = tsdb;
    if (db == null || !db.isReady()) {
      throw new StorageException("storage is not ready yet (WAL replay in progress)");
    }
    return db.appender();
  }

  private Querier querier(long mint, long maxt) {
    Tsdb db = tsdb;
    if (db == null) {
      throw new StorageException("storage is not ready yet (WAL replay in progress)");
    }
    return db.querier(mint, maxt);
  }

  /** --web.external-url, or Prometheus's default: http://<hostname>:<port>/. */
  URI externalUrl() {
    String flag = options.externalUrl();
    if (flag != null && !flag.isEmpty()) {
      return URI.create(flag.endsWith("/") ? flag : flag + "/");
    }
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      host = "localhost";
    }
    return URI.create("http://" + host + ":" + (web == null ? options.listenAddress().port() : web.port()) + "/");
  }

  private static ConfigReloader.Applier applier(String name, ConfigConsumer apply) {
    return new ConfigReloader.Applier() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public void apply(Config c) throws Exception {
        apply.accept(c);
      }
    };
  }

  @FunctionalInterface
  private interface ConfigConsumer {
    void accept(Config c) throws Exception;
  }

  private ApiV1 apiV1() {
    BuildInfo build = BuildInfo.current();
    TsdbApiAdapter tsdbApi = new TsdbApiAdapter(() -> tsdb);
    ScrapeApiAdapter scrapeApi = new ScrapeApiAdapter(() -> scrape);
    RulesApiAdapter rulesApi = new RulesApiAdapter(() -> rules, () -> notifier);
    return ApiV1.builder(engine, this::querier)
        .targets(scrapeApi)
        .rules(rulesApi)
        .alertmanagers(rulesApi)
        .metadata(scrapeApi)
        .tsdbStatus(tsdbApi)
        .tsdbAdmin(tsdbApi)
        .enableAdmin(options.enableAdminApi(), options.tsdbPath())
        .config(() -> config.current().toYaml())
        .flags(options::flags)
        .runtimeInfo(() -> RuntimeInfo.ofThisJvm(startTime, config.lastReloadSuccessful(), config.lastSuccessTime(),
            retentionText()))
        // Grafana decides what the server can do from this version: Vigil speaks Prometheus 3.0's
        // API, and says which Vigil it is in the build metadata.
        .buildInfo(new io.vigil.web.api.BuildInfo(PROMETHEUS_API_VERSION + "+vigil." + build.version(),
            build.revision(), build.branch(), "vigil", build.buildDate(), build.javaVersion()))
        .ready(() -> ready)
        .build();
  }

  private String retentionText() {
    String time = options.retentionTime().toString();
    return options.retentionSize().isZero() ? time : time + " or " + options.retentionSize();
  }

  private void ready(HttpExchange ex) throws Exception {
    if (ready) {
      ex.respond(200, "text/plain; charset=utf-8", "Vigil Server is Ready.\n");
    } else {
      ex.respond(503, "text/plain; charset=utf-8", "Service Unavailable\n");
    }
  }

  private void reloadEndpoint(HttpExchange ex) throws Exception {
    if (!options.enableLifecycle()) {
      ex.respond(403, "text/plain; charset=utf-8", "Lifecycle API is not enabled.\n");
      return;
    }
    String err = reloadConfig();
    if (err == null) {
      ex.respondEmpty(200);
    } else {
      ex.respond(500, "text/plain; charset=utf-8", "failed to reload config: " + err + "\n");
    }
  }

  private void quitEndpoint(HttpExchange ex) throws Exception {
    if (!options.enableLifecycle()) {
      ex.respond(403, "text/plain; charset=utf-8", "Lifecycle API is not enabled.\n");
      return;
    }
    ex.respond(200, "text/plain; charset=utf-8", "Requesting termination... Goodbye!\n");
    requestStop();
  }

  /** Reloads the configuration file; null on success, else the reason. */
  public String reloadConfig() {
    return config.reload();
  }

  /** The push store; for tests. */
  public PushService push() {
    return push;
  }

  /** The Pushgateway-compatible listener's port, or -1. */
  public int pushPort() {
    return pushWeb == null ? -1 : pushWeb.port();
  }

  /** Every route of the main listener, for the authorization table test. */
  List<Route> routes() {
    return router.routes();
  }

  /** The storage; for tests and embedding. */
  public Tsdb tsdb() {
    return tsdb;
  }

  public Engine engine() {
    return engine;
  }

  /** The configuration in force. */
  public io.vigil.config.Config currentConfig() {
    return config.current();
  }

  public boolean isReady() {
    return ready;
  }

  public int port() {
    return web.port();
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  /** Asks the process to stop: {@link #awaitStopRequest()} returns. */
  public void requestStop() {
    stopRequested.countDown();
  }

  public void awaitStopRequest() throws InterruptedException {
    stopRequested.await();
  }

  /** Graceful stop: no new requests, in-flight ones finish (bounded), storage flushed. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    ready = false;
    if (web != null) {
      try {
        web.close();
      } catch (Exception e) {
        log.atWarn().setCause(e).log("Error stopping the web server");
      }
    }
    if (pushWeb != null) {
      try {
        pushWeb.close();
      } catch (Exception e) {
        log.atWarn().setCause(e).log("Error stopping the Pushgateway listener");
      }
    }
    if (scrape != null) {
      scrape.close();
    }
    if (rules != null) {
      rules.close();
    }
    if (notifier != null) {
      notifier.close();
    }
    if (push != null) {
      try {
        push.close();
      } catch (java.io.IOException | RuntimeException e) {
        log.atWarn().setCause(e).log("Error closing the push store");
      }
    }
    if (api != null) {
      api.close();
    }
    if (tsdb != null) {
      try {
        tsdb.close();
      } catch (RuntimeException e) {
        log.atWarn().setCause(e).log("Error closing the TSDB");
      }
    }
    log.info("See you next time!");
  }
}
