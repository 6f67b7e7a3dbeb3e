package io.vigil.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.model.Labels;
import io.vigil.model.Matcher;
import io.vigil.model.StaleNaN;
import io.vigil.remote.Stored.Point;
import io.vigil.testkit.PeerProcess;
import io.vigil.tsdb.Tsdb;
import io.vigil.tsdb.TsdbOptions;
import io.vigil.web.ListenAddress;
import io.vigil.web.Router;
import io.vigil.web.WebOptions;
import io.vigil.web.WebServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real Prometheus 2.42 scrapes itself and a node_exporter every second and remote-writes into
 * Vigil for about a minute; then every series and every sample in a window ending a few seconds
 * before the end must be the same in both (Prometheus read through its query API, Vigil through its
 * Querier).
 */
class PrometheusRemoteWriteTest {
  static final Duration RUN = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  @Test
  void prometheusAndVigilHoldTheSameSeriesAndSamples() throws Exception {
    String prometheus = PeerProcess.requireBinary("prometheus");
    String nodeExporter = PeerProcess.requireBinary("prometheus-node-exporter");
    try (Tsdb db = Tsdb.open(dir.resolve("vigil"), TsdbOptions.defaults().withCompactionIntervalMs(0), new PrometheusRegistry())) {
      Router router = new Router();
      RemoteWriteReceiver receiver = new RemoteWriteReceiver(db, RemoteWriteOptions.defaults(), new PrometheusRegistry());
      receiver.registerRoutes(router);
      WebServer vigil = new WebServer(WebOptions.defaults(ListenAddress.parse("127.0.0.1:0")), router, new PrometheusRegistry());
      vigil.start();
      int promPort = PeerProcess.freePort();
      int nodePort = PeerProcess.freePort();
      Path promDir = dir.resolve("prometheus");
      Files.createDirectories(promDir);
      Files.writeString(promDir.resolve("prometheus.yml"), """
          global:
            scrape_interval: 1s
            evaluation_interval: 1s
          scrape_configs:
            - job_name: prometheus
              static_configs: [{targets: ['127.0.0.1:%d']}]
            - job_name: node
              static_configs: [{targets: ['127.0.0.1:%d']}]
          remote_write:
            - url: http://127.0.0.1:%d/api/v1/write
              queue_config: {batch_send_deadline: 1s, min_backoff: 30ms, max_backoff: 1s}
              metadata_config: {send: true, send_interval: 10s}
          """.formatted(promPort, nodePort, vigil.port()));
      try (PeerProcess node = PeerProcess.start("node_exporter", nodePort, dir.resolve("node"),
              List.of(nodeExporter, "--web.listen-address=127.0.0.1:{port}", "--collector.textfile.directory={dir}"));
          PeerProcess prom = PeerProcess.start("prometheus", promPort, promDir,
              List.of(prometheus, "--config.file={dir}/prometheus.yml", "--storage.tsdb.path={dir}/data",
                  "--web.listen-address=127.0.0.1:{port}"))) {
        node.awaitHttpOk("/metrics", Duration.ofSeconds(20));
        prom.awaitHttpOk("/-/ready", Duration.ofSeconds(30));
        long startMs = System.currentTimeMillis();
        Thread.sleep(RUN.toMillis());
        // Compare up to a cut-off a few seconds back, once Prometheus has sent everything up to it.
        long cutoffMs = System.currentTimeMillis() - 5_000;
        awaitSentUpTo(prom, cutoffMs);
        long windowMs = cutoffMs - startMs - 5_000; // skip the first seconds: the WAL watcher starts late
        Map<Labels, List<Point>> inPrometheus = queryRange(prom, cutoffMs, windowMs);
        Map<Labels, List<Point>> inVigil = new TreeMap<>();
        // Prometheus 2.42's range selectors include both ends of the window (3.x leaves the start out).
        Stored.select(db, cutoffMs - windowMs, cutoffMs, Matcher.regex(Labels.METRIC_NAME, ".+")).forEach((labels, points) -> {
          // Prometheus's range selectors leave staleness markers out, and its JSON has one NaN: so
          // do we for the comparison.
          List<Point> values = new ArrayList<>(points.stream().filter(p -> !StaleNaN.is(p.value()))
              .map(p -> Double.isNaN(p.value()) ? Point.of(p.t(), Double.NaN) : p).toList());
          if (!values.isEmpty()) {
            inVigil.put(labels, values);
          }
        });

        long samples = inPrometheus.values().stream().mapToLong(List::size).sum();
        System.out.printf("compared %d series, %d samples over %d ms%n", inPrometheus.size(), samples, windowMs);
        assertThat(inPrometheus.keySet()).as("jobs").anyMatch(l -> l.get("job").equals("node"))
            .anyMatch(l -> l.get("job").equals("prometheus"));
        assertThat(inPrometheus.size()).isGreaterThan(500);
        assertThat(samples).isGreaterThan(inPrometheus.size() * 30L);
        assertThat(inVigil.keySet()).containsExactlyElementsOf(inPrometheus.keySet());
        for (var e : inPrometheus.entrySet()) {
          assertThat(inVigil.get(e.getKey())).as("samples of %s", e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(metric(prom, "prometheus_remote_storage_samples_failed_total")).isZero();
        prom.terminate(Duration.ofSeconds(20));
      } finally {
        vigil.close();
      }
    }
  }

  private static void awaitSentUpTo(PeerProcess prom, long cutoffMs) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    double sent = 0;
    while (System.nanoTime() < deadline) {
      sent = metric(prom, "prometheus_remote_storage_queue_highest_sent_timestamp_seconds");
      if (sent * 1000 >= cutoffMs + 1000) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("Prometheus sent only up to " + sent + " s, want " + cutoffMs / 1000.0 + ":\n" + prom.logText());
  }

  private static double metric(PeerProcess prom, String name) throws Exception {
    JsonNode result = query(prom, "query=" + enc("max(" + name + ")")).get("data").get("result");
    return result.isEmpty() ? 0 : Double.parseDouble(result.get(0).get("value").get(1).stringValue());
  }

  /** Every raw sample of every series in [cutoff - window, cutoff], via a range selector. */
  private static Map<Labels, List<Point>> queryRange(PeerProcess prom, long cutoffMs, long windowMs) throws Exception {
    JsonNode data = query(prom, "query=" + enc("{__name__=~\".+\"}[" + windowMs + "ms]") + "&time=" + cutoffMs / 1000 + "." + String.format("%03d", cutoffMs % 1000))
        .get("data");
    assertThat(data.get("resultType").stringValue()).isEqualTo("matrix");
    Map<Labels, List<Point>> out = new TreeMap<>();
    for (JsonNode series : data.get("result")) {
      Labels.Builder b = new Labels.Builder();
      series.get("metric").properties().forEach(e -> b.add(e.getKey(), e.getValue().stringValue()));
      List<Point> points = new ArrayList<>();
      for (JsonNode v : series.get("values")) {
        long t = Math.round(v.get(0).asDouble() * 1000);
        points.add(Point.of(t, parseGoFloat(v.get(1).stringValue())));
      }
      out.put(b.build(), points);
    }
    return out;
  }

  private static double parseGoFloat(String s) {
    return switch (s) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(s);
    };
  }

  private static JsonNode query(PeerProcess prom, String form) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(prom.baseUrl() + "/api/v1/query"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JsonMapper.builder().build().readTree(r.body());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
