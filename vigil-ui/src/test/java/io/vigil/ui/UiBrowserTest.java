package io.vigil.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.model.Labels;
import io.vigil.promql.Engine;
import io.vigil.promql.EngineOptions;
import io.vigil.storage.Appender;
import io.vigil.testkit.MemoryStorage;
import io.vigil.testkit.PeerProcess;
import io.vigil.web.ListenAddress;
import io.vigil.web.Router;
import io.vigil.web.WebOptions;
import io.vigil.web.WebServer;
import io.vigil.web.api.ApiV1;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The UI in the real Chromium (Debian package), headless, against the real HTTP API over a small
 * store: the page renders what the API returns, and label values cannot inject markup.
 */
class UiBrowserTest {
  @TempDir
  static Path tmp;

  private static WebServer server;
  private static ApiV1 api;
  private static String base;
  private static final long NOW = System.currentTimeMillis();

  @BeforeAll
  static void start() throws Exception {
    MemoryStorage storage = new MemoryStorage();
    Appender app = storage.appender();
    for (int i = 0; i < 60; i++) {
      long t = NOW - (60 - i) * 15_000L;
      app.append(Labels.of("__name__", "restic_backup_files_total", "job", "restic", "instance", "host1"), t, 100 + i);
      app.append(Labels.of("__name__", "restic_backup_files_total", "job", "restic", "instance", "host2"), t, 200 + 2 * i);
      app.append(Labels.of("__name__", "evil", "note", "<img src=x onerror=alert(1)>"), t, 1);
    }
    app.commit();
    Router router = new Router();
    new UiRoutes().register(router);
    api = ApiV1.builder(new Engine(EngineOptions.DEFAULTS), storage).build();
    api.register(router);
    server = new WebServer(WebOptions.defaults(ListenAddress.parse("127.0.0.1:0")), router, new PrometheusRegistry());
    server.start();
    base = "http://127.0.0.1:" + server.port();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    api.close();
  }

  /** The page's DOM after its scripts and API calls ran, as Chromium serialises it. */
  private static String dom(String pathAndQuery) throws Exception {
    List<String> cmd = List.of(PeerProcess.requireBinary("chromium"), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + tmp.resolve("profile-" + System.nanoTime()),
        "--virtual-time-budget=15000", "--dump-dom", base + pathAndQuery);
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("chromium finished").isTrue();
    return out;
  }

  private static String graphUrl(String expr, int tab) {
    return "/graph?g0.expr=" + URLEncoder.encode(expr, StandardCharsets.UTF_8) + "&g0.tab=" + tab + "&g0.range_input=1h";
  }

  @Test
  void tableViewShowsTheQueryResultOfAGeneratorUrl() throws Exception {
    String dom = dom(graphUrl("restic_backup_files_total", 1));
    assertThat(dom).contains("id=\"result-table\"")
        .contains("restic_backup_files_total{instance=\"host1\", job=\"restic\"}")
        .contains("restic_backup_files_total{instance=\"host2\", job=\"restic\"}")
        .contains(">159<").contains(">318<")
        .contains("2 results in");
  }

  @Test
  void graphViewDrawsOneLinePerSeries() throws Exception {
    String dom = dom(graphUrl("rate(restic_backup_files_total[1m])", 0));
    assertThat(Pattern.compile("<polyline ").matcher(dom).results().count()).isEqualTo(2);
    assertThat(dom).contains("class=\"legend\"").contains("{instance=\"host1\", job=\"restic\"}");
  }

  @Test
  void queryErrorsAreShownWithTheirType() throws Exception {
    String dom = dom(graphUrl("sum(restic_backup_files_total", 1));
    assertThat(dom).contains("class=\"error\"").contains("bad_data").contains("parse error");
  }

  @Test
  void labelValuesCannotInjectMarkup() throws Exception {
    String dom = dom(graphUrl("evil", 1));
    assertThat(dom).contains("&lt;img src=x onerror=alert(1)&gt;").doesNotContain("<img src=\"x\"");
  }

  @Test
  void staticFilesAndPagesAreServed() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    for (String path : List.of("/graph", "/alerts", "/targets", "/static/app.js", "/static/app.css", "/favicon.ico")) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(path).isEqualTo(200);
    }
    HttpResponse<String> root = http.send(HttpRequest.newBuilder(URI.create(base + "/")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(root.statusCode()).isEqualTo(302);
    assertThat(root.headers().firstValue("Location")).hasValue("/graph");
    HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(base + "/static/nope.js")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(missing.statusCode()).isEqualTo(404);
  }
}
