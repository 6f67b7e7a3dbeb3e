package io.vigil.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.model.Labels;
import io.vigil.remote.Stored.Point;
import io.vigil.tsdb.Tsdb;
import io.vigil.tsdb.TsdbOptions;
import io.vigil.web.HttpStatusException;
import io.vigil.web.ListenAddress;
import io.vigil.web.MetricsEndpoint;
import io.vigil.web.Role;
import io.vigil.web.Router;
import io.vigil.web.Tenant;
import io.vigil.web.WebServer;
import io.vigil.web.WebOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The receiver behind the real web server on loopback, written to by the client, over a real TSDB. */
class RemoteWriteHttpTest {
  static final long NOW = System.currentTimeMillis();
  static final RemoteWriteClient.Options FAST = RemoteWriteClient.Options.defaults()
      .withBackoff(Duration.ofMillis(5), Duration.ofMillis(20)).withMaxAttempts(3);

  @TempDir
  Path dir;
  Tsdb db;
  PrometheusRegistry registry = new PrometheusRegistry();
  WebServer server;
  String base;
  final AtomicInteger flakyCalls = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    db = Tsdb.open(dir.resolve("data"), TsdbOptions.defaults().withCompactionIntervalMs(0), new PrometheusRegistry());
    RemoteWriteReceiver receiver = new RemoteWriteReceiver(db, RemoteWriteOptions.defaults().withMaxCompressedBytes(4096),
        registry);
    Router router = new Router().get("/metrics", Role.OPEN, new MetricsEndpoint(registry));
    receiver.registerRoutes(router);
    // A second receiver path answering 503 (then 429) before it lets requests through: retries.
    router.add(Set.of("POST"), "/flaky/write", Role.WRITE, ex -> {
      int n = flakyCalls.incrementAndGet();
      if (n == 1) {
        throw new HttpStatusException(503, "not yet");
      }
      if (n == 2) {
        ex.setHeader("Retry-After", "0");
        throw new HttpStatusException(429, "slow down");
      }
      receiver.handle(ex);
    });
    Router disabled = new Router();
    RemoteWriteReceiver.registerDisabled(disabled);
    router.add(Set.of("POST"), "/disabled/api/v1/write", Role.WRITE,
        ex -> ((Router.Found) disabled.match("POST", RemoteWriteReceiver.PATH)).route().endpoint().handle(ex));
    server = new WebServer(WebOptions.defaults(ListenAddress.parse("127.0.0.1:0")), router, new PrometheusRegistry());
    server.setAuthenticator((ex, role) -> {
      String t = ex.header("X-Test-Tenant");
      if (t != null) {
        ex.setAttribute(Tenant.class, new Tenant("tenant", t));
      }
    });
    server.start();
    base = "http://127.0.0.1:" + server.port();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    db.close();
  }

  RemoteWriteClient client(String path, RemoteWriteClient.Options options) {
    return new RemoteWriteClient(URI.create(base + path), options);
  }

  static Labels up(String instance) {
    return Labels.of("__name__", "up", "job", "node", "instance", instance);
  }

  @Test
  void acceptedSamplesAre204AndQueryable() throws Exception {
    WriteRequestEncoder enc = new WriteRequestEncoder();
    enc.addSeries(up("a"), new long[] {NOW, NOW + 15_000}, new double[] {1, 0}, 0, 2);
    enc.addSeries(up("b"), NOW, 1);

    RemoteWriteClient.Response r = client(RemoteWriteReceiver.PATH, FAST).send(enc);

    assertThat(r.status()).as(r.body()).isEqualTo(204);
    assertThat(r.attempts()).isEqualTo(1);
    assertThat(Stored.all(db).get(up("a"))).containsExactly(Point.of(NOW, 1), Point.of(NOW + 15_000, 0));
    assertThat(metrics()).contains("vigil_remote_write_requests_total{code=\"204\"} 1.0")
        .contains("vigil_remote_write_samples_received_total 3.0")
        .contains("vigil_remote_write_request_duration_seconds_count 1");
  }

  @Test
  void rejectedSamplesAre400WithTheReasonAndAreNotRetried() throws Exception {
    WriteRequestEncoder enc = new WriteRequestEncoder();
    enc.addSeries(up("a"), NOW, 1);
    client(RemoteWriteReceiver.PATH, FAST).send(enc);
    enc.reset().addSeries(up("a"), NOW - 1, 1).addSeries(up("c"), NOW, 1);

    RemoteWriteClient.Response r = client(RemoteWriteReceiver.PATH, FAST).send(enc);

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.attempts()).isEqualTo(1);
    assertThat(r.body()).startsWith("out of order sample: timestamp " + (NOW - 1))
        .endsWith("rejected 1 of 2 samples (out_of_order: 1); the other 1 were written\n");
    assertThat(Stored.all(db)).containsKey(up("c"));
    assertThat(metrics()).contains("vigil_remote_write_requests_total{code=\"400\"} 1.0")
        .contains("vigil_remote_write_samples_rejected_total{reason=\"out_of_order\"} 1.0");
  }

  @Test
  void bodiesOverTheCompressedLimitAre413() throws Exception {
    WriteRequestEncoder enc = new WriteRequestEncoder();
    java.util.Random rnd = new java.util.Random(1); // incompressible label values
    for (int i = 0; i < 200; i++) {
      enc.addSeries(up(Long.toHexString(rnd.nextLong()) + Long.toHexString(rnd.nextLong())), NOW, i);
    }
    assertThat(enc.compress()).isGreaterThan(4096);
    RemoteWriteClient.Response r = client(RemoteWriteReceiver.PATH, FAST).send(enc);
    assertThat(r.status()).isEqualTo(413);
    assertThat(r.body()).contains("request body too large: limit is 4096 bytes");
    assertThat(Stored.all(db)).isEmpty();
    assertThat(metrics()).contains("vigil_remote_write_requests_total{code=\"413\"} 1.0");
  }

  @Test
  void otherEncodingsAndMessagesAre415() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    WriteRequestEncoder enc = new WriteRequestEncoder().addSeries(up("a"), NOW, 1);
    byte[] body = enc.compressedCopy();
    HttpResponse<String> zstd = http.send(HttpRequest.newBuilder(URI.create(base + RemoteWriteReceiver.PATH))
        .header("Content-Encoding", "zstd").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(zstd.statusCode()).isEqualTo(415);
    assertThat(zstd.body()).isEqualTo("zstd encoding (compression) is not accepted by this server; only snappy is acceptable\n");
    HttpResponse<String> v2 = http.send(HttpRequest.newBuilder(URI.create(base + RemoteWriteReceiver.PATH))
        .header("Content-Type", "application/x-protobuf;proto=io.prometheus.write.v2.Request")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(v2.statusCode()).isEqualTo(415);
    assertThat(v2.body()).startsWith("io.prometheus.write.v2.Request protobuf message is not accepted");
    // No headers at all (old senders): assumed remote write 1.0 with snappy, as Prometheus does.
    HttpResponse<String> bare = http.send(HttpRequest.newBuilder(URI.create(base + RemoteWriteReceiver.PATH))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(bare.statusCode()).isEqualTo(204);
  }

  @Test
  void storageFailureIs500AndRetried() throws Exception {
    db.close();
    WriteRequestEncoder enc = new WriteRequestEncoder().addSeries(up("a"), NOW, 1);
    RemoteWriteClient.Response r = client(RemoteWriteReceiver.PATH, FAST).send(enc);
    assertThat(r.status()).isEqualTo(500);
    assertThat(r.attempts()).isEqualTo(3);
    assertThat(r.body()).startsWith("storage error: ");
    assertThat(metrics()).contains("vigil_remote_write_requests_total{code=\"500\"} 3.0");
  }

  @Test
  void clientRetries503And429ThenSucceeds() throws Exception {
    WriteRequestEncoder enc = new WriteRequestEncoder().addSeries(up("a"), NOW, 1);
    RemoteWriteClient.Response r = client("/flaky/write", FAST).send(enc);
    assertThat(r.status()).isEqualTo(204);
    assertThat(r.attempts()).isEqualTo(3);
    assertThat(flakyCalls.get()).isEqualTo(3);
    assertThat(Stored.all(db)).containsKey(up("a"));
  }

  @Test
  void clientGivesUpWithTheConnectionErrorWhenNobodyListens() throws Exception {
    int port = io.vigil.testkit.PeerProcess.freePort();
    RemoteWriteClient c = new RemoteWriteClient(URI.create("http://127.0.0.1:" + port + "/api/v1/write"), FAST);
    assertThatThrownBy(() -> c.send(new WriteRequestEncoder().addSeries(up("a"), NOW, 1))).isInstanceOf(IOException.class);
  }

  @Test
  void tenantFromTheAuthenticatorIsSetOnEverySeries() throws Exception {
    WriteRequestEncoder enc = new WriteRequestEncoder().addSeries(Labels.of("__name__", "m", "tenant", "evil"), NOW, 1);
    RemoteWriteClient c = client(RemoteWriteReceiver.PATH, FAST.withHeaders(Map.of("X-Test-Tenant", "acme")));
    assertThat(c.send(enc).status()).isEqualTo(204);
    assertThat(Stored.all(db)).containsOnlyKeys(Labels.of("__name__", "m", "tenant", "acme"));
  }

  @Test
  void disabledReceiverAnswers404AsPrometheusAndGetIs405() throws Exception {
    RemoteWriteClient.Response r = client("/disabled/api/v1/write", FAST).send(new WriteRequestEncoder().addSeries(up("a"), NOW, 1));
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.body()).isEqualTo("remote write receiver needs to be enabled with --web.enable-remote-write-receiver\n");
    HttpResponse<String> get = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + RemoteWriteReceiver.PATH)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).hasValue("POST");
  }

  private String metrics() throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }
}
