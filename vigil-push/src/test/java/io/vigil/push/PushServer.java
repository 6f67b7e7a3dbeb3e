package io.vigil.push;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.storage.Appendable;
import io.vigil.web.Authenticator;
import io.vigil.web.ListenAddress;
import io.vigil.web.Router;
import io.vigil.web.WebOptions;
import io.vigil.web.WebServer;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A push service served by real Jetty on loopback: the main router (push API) and the drop-in
 * Pushgateway router (push API + GET /metrics), each on its own port 0 listener, as vigil-server
 * wires them.
 */
final class PushServer implements AutoCloseable {
  final PrometheusRegistry registry = new PrometheusRegistry();
  final PushService service;
  final WebServer main;
  final WebServer gateway;

  private PushServer(PushService service, WebServer main, WebServer gateway) {
    this.service = service;
    this.main = main;
    this.gateway = gateway;
  }

  static PushServer start(PushOptions options) throws Exception {
    return start(options, null, null, Authenticator.ALLOW_ALL);
  }

  static PushServer start(PushOptions options, Appendable storage, Duration interval, Authenticator auth)
      throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    PushService service = PushService.open(options, registry);
    if (storage != null) {
      service.start(storage, interval);
    }
    Router mainRouter = new Router();
    service.registerRoutes(mainRouter);
    Router gatewayRouter = new Router();
    service.registerPushgatewayRoutes(gatewayRouter, registry);
    WebServer main = new WebServer(webOptions(), mainRouter, registry);
    WebServer gateway = new WebServer(webOptions(), gatewayRouter, new PrometheusRegistry());
    main.setAuthenticator(auth);
    gateway.setAuthenticator(auth);
    main.start();
    gateway.start();
    return new PushServer(service, main, gateway);
  }

  /** Loopback, port 0, and no grace period on close: tests wait for their requests themselves. */
  static WebOptions webOptions() {
    WebOptions d = WebOptions.defaults(ListenAddress.parse("127.0.0.1:0"));
    return new WebOptions(d.listenAddress(), d.maxRequestBodyBytes(), Duration.ZERO, d.idleTimeout(), d.webConfig());
  }

  static PushOptions options(Path dir) {
    return PushOptions.defaults(dir);
  }

  String mainUrl() {
    return "http://127.0.0.1:" + main.port();
  }

  String gatewayUrl() {
    return "http://127.0.0.1:" + gateway.port();
  }

  Http.Response put(String path, String body) {
    return Http.send("PUT", mainUrl() + path, body);
  }

  Http.Response post(String path, String body) {
    return Http.send("POST", mainUrl() + path, body);
  }

  Http.Response delete(String path) {
    return Http.send("DELETE", mainUrl() + path, (byte[]) null);
  }

  /** GET /metrics of the drop-in listener. */
  String metrics() {
    Http.Response r = Http.get(gatewayUrl() + "/metrics");
    if (r.status() != 200) {
      throw new AssertionError("GET /metrics: " + r.status() + " " + r.body());
    }
    return r.body();
  }

  /** GET /metrics without Vigil's own metrics and with push times replaced (comparable text). */
  String userMetrics() {
    return Expositions.userLines(metrics());
  }

  @Override
  public void close() throws Exception {
    main.close();
    gateway.close();
    service.close();
  }
}
