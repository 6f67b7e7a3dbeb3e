package io.vigil.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Labels;
import io.vigil.model.Matcher;
import io.vigil.model.MetricType;
import io.vigil.testkit.PeerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real exporters, started by the test on 127.0.0.1 and stopped by PID, scraped into a real TSDB. */
class ExportersTest {
  @TempDir Path dir;

  @Test
  void scrapesNodeExporterAndPushgateway() throws Exception {
    int nodePort = PeerProcess.freePort();
    int pgPort = PeerProcess.freePort();
    try (PeerProcess node = PeerProcess.start("node_exporter", nodePort, dir.resolve("node"),
            List.of(PeerProcess.requireBinary("prometheus-node-exporter"), "--web.listen-address=127.0.0.1:{port}"))
            .awaitHttpOk("/metrics", Duration.ofSeconds(20));
        PeerProcess pg = PeerProcess.start("pushgateway", pgPort, dir.resolve("pg"),
            List.of(PeerProcess.requireBinary("prometheus-pushgateway"), "--web.listen-address=127.0.0.1:{port}",
                "--persistence.file={dir}/pg.data"))
            .awaitHttpOk("/metrics", Duration.ofSeconds(20));
        ScrapeTestSupport s = new ScrapeTestSupport(dir)) {
      HttpResponse<String> push = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create(pg.baseUrl() + "/metrics/job/restic/instance/host1"))
          .PUT(HttpRequest.BodyPublishers.ofString("""
              # HELP restic_backup_files_total Files seen by the last backup, by state.
              # TYPE restic_backup_files_total gauge
              restic_backup_files_total{state="new"} 12
              restic_backup_files_total{state="unmodified"} 4000
              stash_backup_session_success 1
              """)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(push.statusCode()).isEqualTo(200);
      s.apply("""
          scrape_configs:
            - job_name: node
              scrape_interval: 1s
              static_configs: [{targets: ['127.0.0.1:%d']}]
            - job_name: pushgateway
              scrape_interval: 1s
              honor_labels: true
              static_configs: [{targets: ['127.0.0.1:%d']}]
            - job_name: pushgateway-plain
              scrape_interval: 1s
              static_configs: [{targets: ['127.0.0.1:%d']}]
          """.formatted(nodePort, pgPort, pgPort));
      s.awaitScrapes("node", 3);
      s.awaitScrapes("pushgateway", 2);
      s.awaitScrapes("pushgateway-plain", 2);

      // node_exporter: every exposed sample became a series with the target's labels
      ActiveTarget nodeTarget = s.target("node");
      assertThat(nodeTarget.health()).as(nodeTarget.lastError()).isEqualTo(TargetHealth.UP);
      List<Stored.Point> scraped = Stored.series(s.db, "__name__", "scrape_samples_scraped", "job", "node");
      double lastCount = scraped.getLast().v();
      assertThat(lastCount).isGreaterThan(200);
      Map<Labels, List<Stored.Point>> nodeSeries = Stored.job(s.db, "node");
      long atLast = scraped.getLast().t();
      long withSampleAtLast = nodeSeries.entrySet().stream()
          .filter(e -> !e.getKey().metricName().startsWith("scrape_") && !e.getKey().metricName().equals("up"))
          .filter(e -> e.getValue().stream().anyMatch(p -> p.t() == atLast && !p.stale())).count();
      assertThat(withSampleAtLast).isEqualTo((long) lastCount);
      assertThat(nodeSeries.keySet()).allMatch(l -> l.get("instance").equals("127.0.0.1:" + nodePort));
      assertThat(Stored.select(s.db, Matcher.equal("__name__", "node_cpu_seconds_total"), Matcher.equal("mode", "idle")))
          .isNotEmpty();
      List<MetricMetadata> nodeMeta = s.manager.targetMetadata(nodeTarget.labels());
      assertThat(nodeMeta).anySatisfy(m -> {
        assertThat(m.metric()).isEqualTo("node_cpu_seconds_total");
        assertThat(m.metadata().type()).isEqualTo(MetricType.COUNTER);
        assertThat(m.metadata().help()).isEqualTo("Seconds the CPUs spent in each mode.");
      });

      // pushgateway with honor_labels: pushed job and instance kept
      assertThat(Stored.series(s.db, "__name__", "restic_backup_files_total", "job", "restic", "instance", "host1",
          "state", "new")).allMatch(p -> p.v() == 12);
      assertThat(Stored.select(s.db, Matcher.equal("__name__", "push_time_seconds"), Matcher.equal("job", "restic")))
          .hasSize(1);
      // without honor_labels: renamed to exported_*
      assertThat(Stored.select(s.db, Matcher.equal("__name__", "restic_backup_files_total"),
          Matcher.equal("job", "pushgateway-plain"), Matcher.equal("exported_job", "restic"),
          Matcher.equal("exported_instance", "host1"))).hasSize(2);
      List<MetricMetadata> pgMeta = s.manager.targetMetadata(s.target("pushgateway").labels());
      assertThat(pgMeta).contains(new MetricMetadata("stash_backup_session_success", io.vigil.model.Metadata.UNKNOWN));
      assertThat(pgMeta).anyMatch(m -> m.metric().equals("restic_backup_files_total")
          && m.metadata().help().equals("Files seen by the last backup, by state."));

      // the pushgateway going down: up 0 with Prometheus's error text, its series stale
      pg.kill9();
      s.awaitScrapes("pushgateway", 2);
      ActiveTarget down = s.target("pushgateway");
      assertThat(down.health()).isEqualTo(TargetHealth.DOWN);
      assertThat(down.lastError()).startsWith("Get \"http://127.0.0.1:" + pgPort + "/metrics\": ");
      assertThat(Stored.series(s.db, "__name__", "restic_backup_files_total", "job", "restic", "state", "new")
          .getLast().stale()).isTrue();
      assertThat(Stored.series(s.db, "__name__", "up", "job", "pushgateway").getLast().v()).isZero();
    }
  }
}
