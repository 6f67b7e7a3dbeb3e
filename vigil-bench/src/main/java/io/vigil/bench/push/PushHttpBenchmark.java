package io.vigil.bench.push;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.push.PushOptions;
import io.vigil.push.PushRejectedException;
import io.vigil.push.PushService;
import io.vigil.web.ListenAddress;
import io.vigil.web.Router;
import io.vigil.web.WebOptions;
import io.vigil.web.WebServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Pushes over HTTP, end to end: client, Jetty, the push API, the store and the journal with fsync,
 * a restic-style 9-gauge PUT from 8 concurrent clients into a store of 1,000 groups. Sample-time
 * mode gives the latency distribution (p99 among it); the throughput is the number of samples
 * divided by the measured time, or run with {@code -bm thrpt}. Client and server share the machine.
 *
 * <p>Run: {@code java -jar vigil-bench/target/benchmarks.jar PushHttpBenchmark}
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class PushHttpBenchmark {
  private static final int GROUPS = 1000;

  private Path dir;
  private PushService service;
  private WebServer server;
  private HttpClient client;
  private URI[] uris;
  private byte[][] bodies;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    dir = Files.createTempDirectory("push-http-bench");
    PrometheusRegistry registry = new PrometheusRegistry();
    service = PushService.open(PushOptions.defaults(dir), registry);
    Router router = new Router();
    service.registerRoutes(router);
    server = new WebServer(WebOptions.defaults(ListenAddress.parse("127.0.0.1:0")), router, registry);
    server.start();
    client = HttpClient.newHttpClient();
    bodies = new byte[64][];
    for (int i = 0; i < bodies.length; i++) {
      bodies[i] = PushStoreBenchmark.resticBody(i).getBytes(StandardCharsets.UTF_8);
    }
    uris = new URI[GROUPS];
    for (int g = 0; g < GROUPS; g++) {
      String path = "/metrics/job/restic/instance/host" + g;
      uris[g] = URI.create("http://127.0.0.1:" + server.port() + path);
      service.push(true, path, null, bodies[g % bodies.length]);
    }
  }

  @Benchmark
  @Threads(8)
  public int put(PushStoreBenchmark.Cursor c) throws IOException, InterruptedException, PushRejectedException {
    int n = c.next++ & Integer.MAX_VALUE;
    HttpResponse<Void> r = client.send(HttpRequest.newBuilder(uris[n % GROUPS])
        .PUT(HttpRequest.BodyPublishers.ofByteArray(bodies[n % bodies.length])).build(), HttpResponse.BodyHandlers.discarding());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("push answered " + r.statusCode());
    }
    return r.statusCode();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    server.close();
    service.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
