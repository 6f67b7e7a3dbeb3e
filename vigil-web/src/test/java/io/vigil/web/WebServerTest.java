package io.vigil.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebServerTest {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final HttpClient client = HttpClient.newHttpClient();
  private final CountDownLatch slowStarted = new CountDownLatch(1);
  private WebServer server;
  private String base;

  @BeforeEach
  void start() throws Exception {
    Router router = new Router()
        .get("/hello", Role.OPEN, ex -> ex.respond(200, "text/plain", "hello " + ex.param("name")))
        .add(Set.of("POST"), "/echo", Role.OPEN, ex -> ex.respond(200, "application/octet-stream", ex.body(1000)))
        .get("/big", Role.OPEN, ex -> ex.respond(200, "text/plain", "x".repeat(100_000)))
        .get("/boom", Role.OPEN, ex -> {
          throw new IllegalStateException("kaput");
        })
        .get("/slow", Role.OPEN, ex -> {
          slowStarted.countDown();
          Thread.sleep(1000);
          ex.respond(200, "text/plain", "done");
        })
        .get("/metrics", Role.OPEN, new MetricsEndpoint(registry))
        .getOrPost("/form", Role.OPEN, ex -> ex.respond(200, "text/plain", String.join(",", ex.params("q"))));
    server = new WebServer(WebOptions.defaults(ListenAddress.parse("127.0.0.1:0")), router, registry);
    server.start();
    base = "http://127.0.0.1:" + server.port();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private HttpResponse<byte[]> send(HttpRequest.Builder b) throws Exception {
    return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  @Test
  void servesRoutesWithParameters() throws Exception {
    var r = send(HttpRequest.newBuilder(URI.create(base + "/hello?name=vigil")));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(text(r)).isEqualTo("hello vigil");
  }

  @Test
  void formBodyAndQueryParametersAreMerged() throws Exception {
    var r = send(HttpRequest.newBuilder(URI.create(base + "/form?q=b"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("q=a%20b")));
    assertThat(text(r)).contains("a b").contains("b");
  }

  @Test
  void largeFormBodiesAreReadUpToTheBodyLimitNotJettysFormDefault() throws Exception {
    String big = "x".repeat(300_000); // Grafana posts long queries; Jetty's form default is 200,000 bytes
    var r = send(HttpRequest.newBuilder(URI.create(base + "/form"))
        .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
        .POST(HttpRequest.BodyPublishers.ofString("q=" + big)));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(text(r)).hasSize(300_000);
  }

  @Test
  void unknownPathIsGoStyle404AndWrongMethodIs405() throws Exception {
    var r = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/nosuch")));
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(text(r)).isEqualTo("404 page not found\n");
    var m = send(HttpRequest.newBuilder(URI.create(base + "/hello")).DELETE());
    assertThat(m.statusCode()).isEqualTo(405);
    assertThat(m.headers().firstValue("Allow")).hasValue("GET");
  }

  @Test
  void bodiesOverTheLimitGet413() throws Exception {
    var ok = send(HttpRequest.newBuilder(URI.create(base + "/echo")).POST(HttpRequest.BodyPublishers.ofString("abc")));
    assertThat(text(ok)).isEqualTo("abc");
    var big = send(HttpRequest.newBuilder(URI.create(base + "/echo")).POST(HttpRequest.BodyPublishers.ofByteArray(new byte[5000])));
    assertThat(big.statusCode()).isEqualTo(413);
    assertThat(text(big)).contains("limit is 1000 bytes");
  }

  @Test
  void gzipBombIsCutOffAtTheLimit() throws Exception {
    // 10 MB of zeros compress to ~10 KB; the endpoint's limit is 1000 bytes after inflation.
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(buf)) {
      gz.write(new byte[10 << 20]);
    }
    var r = send(HttpRequest.newBuilder(URI.create(base + "/echo"))
        .header("Content-Encoding", "gzip")
        .POST(HttpRequest.BodyPublishers.ofByteArray(buf.toByteArray())));
    assertThat(r.statusCode()).isEqualTo(413);
    ByteArrayOutputStream small = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(small)) {
      gz.write("inflated".getBytes(StandardCharsets.UTF_8));
    }
    var ok = send(HttpRequest.newBuilder(URI.create(base + "/echo"))
        .header("Content-Encoding", "gzip")
        .POST(HttpRequest.BodyPublishers.ofByteArray(small.toByteArray())));
    assertThat(text(ok)).isEqualTo("inflated");
  }

  @Test
  void responsesAreGzippedWhenAsked() throws Exception {
    var r = send(HttpRequest.newBuilder(URI.create(base + "/big")).header("Accept-Encoding", "gzip"));
    assertThat(r.headers().firstValue("Content-Encoding")).hasValue("gzip");
    assertThat(r.body().length).isLessThan(10_000);
    try (var in = new GZIPInputStream(new java.io.ByteArrayInputStream(r.body()))) {
      assertThat(in.readAllBytes()).hasSize(100_000);
    }
    var plain = send(HttpRequest.newBuilder(URI.create(base + "/big")));
    assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
  }

  @Test
  void handlerFailureIs500AndServerKeepsServing() throws Exception {
    var r = send(HttpRequest.newBuilder(URI.create(base + "/boom")));
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(text(r)).contains("kaput");
    assertThat(send(HttpRequest.newBuilder(URI.create(base + "/hello"))).statusCode()).isEqualTo(200);
  }

  @Test
  void metricsCountRequestsByHandlerAndCodeWithContentNegotiation() throws Exception {
    send(HttpRequest.newBuilder(URI.create(base + "/hello")));
    send(HttpRequest.newBuilder(URI.create(base + "/nope")));
    var text = send(HttpRequest.newBuilder(URI.create(base + "/metrics")));
    assertThat(text.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(text(text))
        .contains("vigil_http_requests_total{code=\"200\",handler=\"/hello\"} 1.0")
        .contains("vigil_http_requests_total{code=\"404\",handler=\"other\"} 1.0")
        .contains("vigil_http_request_duration_seconds_bucket{handler=\"/hello\",le=\"0.1\"}");
    var om = send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
        .header("Accept", "application/openmetrics-text;version=1.0.0"));
    assertThat(om.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/openmetrics-text");
    assertThat(text(om)).endsWith("# EOF\n");
    var proto = send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
        .header("Accept", "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited"));
    assertThat(proto.headers().firstValue("Content-Type").orElseThrow()).contains("application/vnd.google.protobuf");
  }

  @Test
  void gracefulStopLetsInFlightRequestsFinish() throws Exception {
    CompletableFuture<HttpResponse<byte[]>> slow = client.sendAsync(
        HttpRequest.newBuilder(URI.create(base + "/slow")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    slowStarted.await();
    server.close();
    var r = slow.get();
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(text(r)).isEqualTo("done");
  }
}
