package io.vigil.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Labels;
import io.vigil.model.Matcher;
import io.vigil.testkit.PeerProcess;
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
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Debian Prometheus 2.42 and Vigil scrape the same node_exporter with the same scrape config
 * (target and metric relabeling included) for a minute; Vigil must have stored the same set of
 * series, and agree on up and scrape_samples_scraped. Prometheus is read through its HTTP API,
 * Vigil through its Querier.
 */
class SideBySidePrometheusTest {
  @TempDir Path dir;

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final HttpClient http = HttpClient.newHttpClient();

  private JsonNode api(PeerProcess prom, String pathAndQuery) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(prom.baseUrl() + pathAndQuery)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body()).get("data");
  }

  private static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void storesTheSameSeriesAsPrometheus() throws Exception {
    int nodePort = PeerProcess.freePort();
    int promPort = PeerProcess.freePort();
    String scrapeConfigs = """
        scrape_configs:
          - job_name: node
            scrape_interval: 5s
            static_configs:
              - targets: ['127.0.0.1:%d']
                labels: {team: backup}
            relabel_configs:
              - {source_labels: [__address__], regex: '([^:]+):.*', target_label: host, replacement: '$1'}
              - {target_label: __tmp_unused, replacement: x}
            metric_relabel_configs:
              - {source_labels: [__name__], regex: 'go_gc_.*|node_scrape_collector_duration_seconds', action: drop}
              - {source_labels: [__name__], regex: 'node_cpu_seconds_total', target_label: kind, replacement: cpu}
              - {regex: 'fstype', action: labeldrop}
        """.formatted(nodePort);
    Path promDir = Files.createDirectories(dir.resolve("prometheus"));
    Files.writeString(promDir.resolve("prometheus.yml"), "global:\n  scrape_interval: 5s\n" + scrapeConfigs);
    long startMs = System.currentTimeMillis();
    try (PeerProcess node = PeerProcess.start("node_exporter", nodePort, dir.resolve("node"),
            List.of(PeerProcess.requireBinary("prometheus-node-exporter"), "--web.listen-address=127.0.0.1:{port}"))
            .awaitHttpOk("/metrics", Duration.ofSeconds(20));
        PeerProcess prom = PeerProcess.start("prometheus", promPort, promDir,
            List.of(PeerProcess.requireBinary("prometheus"), "--config.file={dir}/prometheus.yml",
                "--storage.tsdb.path={dir}/data", "--web.listen-address=127.0.0.1:{port}"))
            .awaitHttpOk("/-/ready", Duration.ofSeconds(30));
        ScrapeTestSupport s = new ScrapeTestSupport(dir)) {
      s.apply(scrapeConfigs);
      Thread.sleep(60_000);
      long endMs = System.currentTimeMillis();

      JsonNode promSeries = api(prom, "/api/v1/series?match[]=" + q("{job=\"node\"}") + "&start=" + startMs / 1000
          + "&end=" + (endMs / 1000 + 1));
      Set<Labels> expected = new TreeSet<>();
      for (JsonNode n : promSeries) {
        Labels.Builder b = new Labels.Builder();
        n.properties().forEach(e -> b.add(e.getKey(), e.getValue().asString()));
        expected.add(b.build());
      }
      Set<Labels> actual = new TreeSet<>(Stored.select(s.db, Matcher.equal("job", "node")).keySet());
      assertThat(expected).hasSizeGreaterThan(200);
      List<Labels> onlyProm = new ArrayList<>(expected);
      onlyProm.removeAll(actual);
      List<Labels> onlyVigil = new ArrayList<>(actual);
      onlyVigil.removeAll(expected);
      assertThat(onlyVigil).as("series only Vigil stored").isEmpty();
      assertThat(onlyProm).as("series only Prometheus stored").isEmpty();
      assertThat(actual).allMatch(l -> l.get("host").equals("127.0.0.1") && l.get("team").equals("backup")
          && !l.has("fstype") && !l.metricName().startsWith("go_gc_"));

      // up and scrape_samples_scraped agree (counts compared over the last scrapes of each)
      JsonNode promUp = api(prom, "/api/v1/query?query=" + q("up{job=\"node\"}"));
      assertThat(promUp.get("result").get(0).get("value").get(1).asString()).isEqualTo("1");
      assertThat(Stored.series(s.db, "__name__", "up", "job", "node")).hasSizeGreaterThan(9).allMatch(p -> p.v() == 1);
      JsonNode promCounts = api(prom, "/api/v1/query?query=" + q("scrape_samples_scraped{job=\"node\"}[1m]"));
      Set<Double> promValues = new TreeSet<>();
      promCounts.get("result").get(0).get("values").forEach(v -> promValues.add(Double.parseDouble(v.get(1).asString())));
      Set<Double> vigilValues = new TreeSet<>();
      Stored.series(s.db, "__name__", "scrape_samples_scraped", "job", "node").forEach(p -> vigilValues.add(p.v()));
      assertThat(vigilValues).as("Vigil's scrape_samples_scraped vs Prometheus's " + promValues)
          .containsAnyElementsOf(promValues);
      JsonNode promPost = api(prom, "/api/v1/query?query=" + q("scrape_samples_post_metric_relabeling{job=\"node\"}"));
      double post = Double.parseDouble(promPost.get("result").get(0).get("value").get(1).asString());
      assertThat(Stored.series(s.db, "__name__", "scrape_samples_post_metric_relabeling", "job", "node"))
          .anyMatch(p -> p.v() == post);

      // the target as both report it
      JsonNode promTargets = api(prom, "/api/v1/targets").get("activeTargets").get(0);
      ActiveTarget t = s.target("node");
      assertThat(t.scrapeUrl()).isEqualTo(promTargets.get("scrapeUrl").asString());
      Map<String, String> promLabels = new java.util.TreeMap<>();
      promTargets.get("labels").properties().forEach(e -> promLabels.put(e.getKey(), e.getValue().asString()));
      assertThat(t.labels().toMap()).isEqualTo(promLabels);
      Map<String, String> promDiscovered = new java.util.TreeMap<>();
      promTargets.get("discoveredLabels").properties().forEach(e -> promDiscovered.put(e.getKey(), e.getValue().asString()));
      assertThat(new java.util.TreeMap<>(t.discoveredLabels().toMap())).isEqualTo(promDiscovered);
      assertThat(t.health().text()).isEqualTo(promTargets.get("health").asString());
    }
  }
}
