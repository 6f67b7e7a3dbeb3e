package io.vigil.web.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.model.Labels;
import io.vigil.promql.Engine;
import io.vigil.promql.EngineOptions;
import io.vigil.storage.Appender;
import io.vigil.storage.Queryable;
import io.vigil.testkit.MemoryStorage;
import io.vigil.web.ListenAddress;
import io.vigil.web.Router;
import io.vigil.web.Tenant;
import io.vigil.web.WebOptions;
import io.vigil.web.WebServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real API server for tests: {@link WebServer} on a loopback port with {@link ApiV1} over the real
 * PromQL engine and a {@link MemoryStorage}. A request header {@code X-Test-Tenant: label=value}
 * makes the test authenticator attach that {@link Tenant}, as a token-scoped one would.
 */
final class ApiHarness implements AutoCloseable {
  /** "Now" of every harness: the capture time of the Prometheus fixtures. */
  static final long NOW_MS = 1795290126000L;
  static final long NOW_S = NOW_MS / 1000;
  static final ObjectMapper JSON = JsonMapper.builder().build();

  final MemoryStorage storage = new MemoryStorage();
  final Engine engine;
  final ApiV1 api;
  final WebServer server;
  final HttpClient client = HttpClient.newHttpClient();
  final String base;

  ApiHarness(Consumer<ApiV1.Builder> configure) throws Exception {
    this(EngineOptions.DEFAULTS, null, configure);
  }

  /** @param queryable what the API reads (null: the harness's storage) */
  ApiHarness(EngineOptions options, Queryable queryable, Consumer<ApiV1.Builder> configure) throws Exception {
    this(options, queryable, configure, null);
  }

  /** @param shutdownGrace how long a stop waits for in-flight requests (null: the default) */
  ApiHarness(EngineOptions options, Queryable queryable, Consumer<ApiV1.Builder> configure,
      java.time.Duration shutdownGrace) throws Exception {
    engine = new Engine(options);
    ApiV1.Builder b = ApiV1.builder(engine, queryable == null ? storage : queryable)
        .clock(Clock.fixed(Instant.ofEpochMilli(NOW_MS), ZoneOffset.UTC));
    configure.accept(b);
    api = b.build();
    Router router = new Router();
    api.register(router);
    WebOptions web = WebOptions.defaults(ListenAddress.parse("127.0.0.1:0"));
    if (shutdownGrace != null) {
      web = withShutdownGrace(web, shutdownGrace);
    }
    server = new WebServer(web, router, new PrometheusRegistry());
    server.setAuthenticator((ex, role) -> {
      String t = ex.header("X-Test-Tenant");
      if (t != null) {
        int eq = t.indexOf('=');
        ex.setAttribute(Tenant.class, new Tenant(t.substring(0, eq), t.substring(eq + 1)));
      }
    });
    server.start();
    base = "http://127.0.0.1:" + server.port();
  }

  /** A copy of the options with another grace period, whatever other components the record has. */
  private static WebOptions withShutdownGrace(WebOptions o, java.time.Duration grace) throws Exception {
    java.lang.reflect.RecordComponent[] rc = WebOptions.class.getRecordComponents();
    Object[] args = new Object[rc.length];
    Class<?>[] types = new Class<?>[rc.length];
    for (int i = 0; i < rc.length; i++) {
      types[i] = rc[i].getType();
      args[i] = rc[i].getName().equals("shutdownGrace") ? grace : rc[i].getAccessor().invoke(o);
    }
    return WebOptions.class.getDeclaredConstructor(types).newInstance(args);
  }

  /** Appends one sample per step from {@code fromMs} to {@code toMs} (inclusive). */
  void series(Labels labels, long fromMs, long toMs, long stepMs, java.util.function.LongToDoubleFunction value) {
    Appender a = storage.appender();
    for (long t = fromMs; t <= toMs; t += stepMs) {
      a.append(0, labels, t, value.applyAsDouble(t));
    }
    a.commit();
  }

  /** The fixture-like data most tests use: up, a pushed gauge and a counter, 10 minutes at 5 s. */
  void loadStandardData() {
    long from = NOW_MS - 600_000;
    for (String[] t : new String[][] {{"127.0.0.1:39090", "prometheus"}, {"127.0.0.1:39091", "pushgateway"},
        {"127.0.0.1:39100", "node"}}) {
      series(Labels.of("__name__", "up", "instance", t[0], "job", t[1]), from, NOW_MS, 5000, x -> 1);
    }
    String[][] states = {{"changed", "3"}, {"new", "120"}, {"unmodified", "4000"}};
    for (String[] s : states) {
      series(Labels.of("__name__", "restic_backup_files_total", "instance", "host1", "job", "restic", "repo",
          "s3:bucket/path", "state", s[0]), from, NOW_MS, 5000, x -> Double.parseDouble(s[1]));
    }
    series(Labels.of("__name__", "prometheus_http_requests_total", "code", "200", "handler", "/metrics", "instance",
        "127.0.0.1:39090", "job", "prometheus"), from, NOW_MS, 5000, x -> (x - from) / 5000.0);
  }

  record Response(int status, String contentType, String body, java.net.http.HttpHeaders headers) {
    JsonNode json() {
      return JSON.readTree(body);
    }

    JsonNode data() {
      JsonNode j = json();
      assertThat(j.get("status").stringValue()).as(body).isEqualTo("success");
      return j.get("data");
    }
  }

  Response get(String pathAndQuery, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return send(b.GET().build());
  }

  /** A form POST, as Grafana and curl --data-urlencode send them. */
  Response post(String path, String form, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "application/x-www-form-urlencoded");
    if (headers.length > 0) {
      b.headers(headers);
    }
    return send(b.POST(HttpRequest.BodyPublishers.ofString(form)).build());
  }

  Response send(HttpRequest r) throws Exception {
    HttpResponse<String> resp = client.send(r, HttpResponse.BodyHandlers.ofString());
    return new Response(resp.statusCode(), resp.headers().firstValue("Content-Type").orElse(""), resp.body(),
        resp.headers());
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** name=value&... with every value URL-encoded. */
  static String form(String... namesAndValues) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      if (!sb.isEmpty()) {
        sb.append('&');
      }
      sb.append(enc(namesAndValues[i])).append('=').append(enc(namesAndValues[i + 1]));
    }
    return sb.toString();
  }

  @Override
  public void close() throws Exception {
    server.close();
    api.close();
  }
}
