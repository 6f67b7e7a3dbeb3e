package io.vigil.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Labels;
import io.vigil.model.Metadata;
import io.vigil.model.MetricType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One real HTTP target on loopback, a real TSDB: what a scrape stores and reports. */
class ScrapeLoopTest {
  @TempDir Path dir;

  private static String job(String name, String address, String extra) {
    return """
        scrape_configs:
          - job_name: %s
            scrape_interval: 200ms
            %s
            static_configs:
              - targets: ['%s']
                labels: {env: test}
        """.formatted(name, extra.replace("\n", "\n    "), address);
  }

  @Test
  void storesSamplesWithTargetLabelsReportSeriesAndMetadata() throws Exception {
    try (TargetServer server = TargetServer.loopback(); ScrapeTestSupport s = new ScrapeTestSupport(dir)) {
      server.set("/metrics", new TargetServer.Reply(200, "text/plain; version=0.0.4",
          """
          # HELP backup_files_total Files seen by the last backup.
          # TYPE backup_files_total counter
          backup_files_total{state="new"} 3
          backup_files_total{state="changed",job="exposed"} 5
          # TYPE backup_size_bytes gauge
          backup_size_bytes 1e6
          """.getBytes(StandardCharsets.UTF_8), true));
      s.apply(job("backup", server.address(), ""));
      s.awaitScrapes("backup", 2);

      Map<Labels, List<Stored.Point>> series = Stored.job(s.db, "backup");
      assertThat(series.keySet()).contains(
          Labels.of("__name__", "backup_files_total", "state", "new", "job", "backup", "instance", server.address(), "env", "test"),
          // the exposed job label conflicts with the target's: renamed, as Prometheus does without honor_labels
          Labels.of("__name__", "backup_files_total", "state", "changed", "exported_job", "exposed", "job", "backup",
              "instance", server.address(), "env", "test"),
          Labels.of("__name__", "backup_size_bytes", "job", "backup", "instance", server.address(), "env", "test"));
      assertThat(Stored.series(s.db, "__name__", "up", "job", "backup")).allMatch(p -> p.v() == 1);
      assertThat(Stored.series(s.db, "__name__", "scrape_samples_scraped", "job", "backup")).allMatch(p -> p.v() == 3);
      assertThat(Stored.series(s.db, "__name__", "scrape_samples_post_metric_relabeling", "job", "backup"))
          .allMatch(p -> p.v() == 3);
      List<Stored.Point> added = Stored.series(s.db, "__name__", "scrape_series_added", "job", "backup");
      assertThat(added.getFirst().v()).isEqualTo(3);
      assertThat(added.getLast().v()).isZero();
      assertThat(Stored.series(s.db, "__name__", "scrape_duration_seconds", "job", "backup"))
          .allMatch(p -> p.v() > 0 && p.v() < 0.2);
      // all series of one scrape share its timestamp, aligned to the 200 ms grid of the target's offset
      List<Stored.Point> up = Stored.series(s.db, "__name__", "up", "job", "backup");
      assertThat(up.get(1).t() - up.get(0).t()).isEqualTo(200);

      ActiveTarget t = s.target("backup");
      assertThat(t.health()).isEqualTo(TargetHealth.UP);
      assertThat(t.lastError()).isEmpty();
      assertThat(t.scrapeUrl()).isEqualTo("http://" + server.address() + "/metrics");
      assertThat(t.labels()).isEqualTo(Labels.of("job", "backup", "instance", server.address(), "env", "test"));
      assertThat(t.discoveredLabels().toMap()).containsEntry("__address__", server.address())
          .containsEntry("__scheme__", "http").containsEntry("__metrics_path__", "/metrics")
          .containsEntry("__scrape_interval__", "200ms").containsEntry("__scrape_timeout__", "200ms")
          .containsEntry("job", "backup").containsEntry("env", "test");
      assertThat(t.scrapeInterval()).isEqualTo("200ms");
      assertThat(t.globalUrl()).endsWith(":" + server.port() + "/metrics").doesNotContain("127.0.0.1");

      assertThat(s.manager.targetMetadata(t.labels())).containsExactly(
          new MetricMetadata("backup_files_total", new Metadata(MetricType.COUNTER, "Files seen by the last backup.", "")),
          new MetricMetadata("backup_size_bytes", new Metadata(MetricType.GAUGE, "", "")));

      TargetServer.Hit hit = server.hits("/metrics").getLast();
      assertThat(hit.headers().get("Accept")).containsExactly("application/openmetrics-text;version=1.0.0;"
          + "escaping=underscores;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;"
          + "escaping=underscores;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2");
      assertThat(hit.headers().get("Accept-encoding")).containsExactly("gzip");
      assertThat(hit.headers().get("X-prometheus-scrape-timeout-seconds")).containsExactly("0.2");
      assertThat(hit.headers().get("User-agent")).containsExactly("Vigil");
    }
  }

  @Test
  void seriesThatDisappearGetStaleMarkersAndOthersNot() throws Exception {
    try (TargetServer server = TargetServer.loopback(); ScrapeTestSupport s = new ScrapeTestSupport(dir)) {
      server.set("/metrics", "a 1\nb 2\n");
      s.apply(job("j", server.address(), ""));
      s.awaitScrapes("j", 2);
      server.set("/metrics", "a 1\n");
      s.awaitScrapes("j", 2);
      List<Stored.Point> b = Stored.series(s.db, "__name__", "b");
      assertThat(b.getLast().stale()).isTrue();
      assertThat(b.stream().filter(Stored.Point::stale)).hasSize(1);
      assertThat(Stored.series(s.db, "__name__", "a")).noneMatch(Stored.Point::stale);
      // the marker is written at the first scrape without the series
      List<Stored.Point> up = Stored.series(s.db, "__name__", "up", "job", "j");
      long lastB = b.get(b.size() - 2).t();
      assertThat(b.getLast().t()).isEqualTo(up.stream().filter(p -> p.t() > lastB).findFirst().orElseThrow().t());
    }
  }

  @Test
  void failedScrapesReportDownWithErrorAndMarkSeriesStale() throws Exception {
    try (TargetServer server = TargetServer.loopback(); ScrapeTestSupport s = new ScrapeTestSupport(dir)) {
      server.set("/metrics", "a 1\n");
      s.apply(job("j", server.address(), ""));
      s.awaitScrapes("j", 2);
      server.set("/metrics", new TargetServer.Reply(500, "text/plain", "boom".getBytes(StandardCharsets.UTF_8), false));
      s.awaitScrapes("j", 2);
      ActiveTarget t = s.target("j");
      assertThat(t.health()).isEqualTo(TargetHealth.DOWN);
      assertThat(t.lastError()).isEqualTo("server returned HTTP status 500 Internal Server Error");
      assertThat(Stored.series(s.db, "__name__", "up", "job", "j").getLast().v()).isZero();
      assertThat(Stored.series(s.db, "__name__", "a").getLast().stale()).isTrue();
      assertThat(Stored.series(s.db, "__name__", "scrape_samples_scraped", "job", "j").getLast().v()).isZero();

      server.set("/metrics", new TargetServer.Reply(200, null, "a 1\n".getBytes(StandardCharsets.UTF_8), false));
      s.awaitScrapes("j", 2);
      assertThat(s.target("j").lastError()).isEqualTo(
          "non-compliant scrape target sending blank Content-Type and no fallback_scrape_protocol specified for target");

      server.set("/metrics", "a 1\nthis is not exposition\n");
      s.awaitScrapes("j", 2);
      assertThat(s.target("j").lastError()).startsWith("line 2, column");

      server.set("/metrics", "a 1\n");
      s.awaitScrapes("j", 2);
      assertThat(s.target("j").health()).isEqualTo(TargetHealth.UP);
      assertThat(Stored.series(s.db, "__name__", "a").getLast().v()).isEqualTo(1);
    }
  }

  @Test
  void limitsFailTheWholeScrape() throws Exception {
    try (TargetServer server = TargetServer.loopback(); ScrapeTestSupport s = new ScrapeTestSupport(dir)) {
      server.set("/ok", "a 1\n");
      server.set("/many", "a 1\nb 2\nc 3\n");
      server.set("/labels", "a{x=\"1\",y=\"2\",z=\"3\"} 1\n");
      server.set("/big", "a 1\n" + "# padding\n".repeat(200));
      server.set("/longvalue", "a{x=\"" + "v".repeat(40) + "\"} 1\n");
      String yaml = """
          scrape_configs:
            - job_name: samples
              scrape_interval: 200ms
              metrics_path: /many
              sample_limit: 2
              static_configs: [{targets: ['%1$s']}]
            - job_name: labels
              scrape_interval: 200ms
              metrics_path: /labels
              label_limit: 5
              static_configs: [{targets: ['%1$s']}]
            - job_name: body
              scrape_interval: 200ms
              metrics_path: /big
              body_size_limit: 1KB
              static_configs: [{targets: ['%1$s']}]
            - job_name: value
              scrape_interval: 200ms
              metrics_path: /longvalue
              label_value_length_limit: 30
              static_configs: [{targets: ['%1$s']}]
            - job_name: fine
              scrape_interval: 200ms
              metrics_path: /ok
              sample_limit: 2
              label_limit: 5
              body_size_limit: 1KB
              static_configs: [{targets: ['%1$s']}]
          """.formatted(server.address());
      s.apply(yaml);
      for (String j : List.of("samples", "labels", "body", "value", "fine")) {
        s.awaitScrapes(j, 2);
      }
      assertThat(s.target("samples").lastError()).isEqualTo("sample limit exceeded");
      assertThat(s.target("labels").lastError())
          .isEqualTo("label_limit exceeded (metric: a{x=\"1\",y=\"2\",z=\"3\"}, number of labels: 6, limit: 5)");
      assertThat(s.target("body").lastError()).isEqualTo("body size limit exceeded");
      assertThat(s.target("value").lastError()).startsWith("label_value_length_limit exceeded (metric: a{x=\"vvv")
          .endsWith("length: 40, limit: 30)");
      assertThat(s.target("fine").lastError()).isEmpty();
      for (String j : List.of("samples", "labels", "body", "value")) {
        assertThat(s.target(j).health()).isEqualTo(TargetHealth.DOWN);
        assertThat(Stored.series(s.db, "__name__", "up", "job", j)).allMatch(p -> p.v() == 0);
        // nothing of a failed body is stored
        assertThat(Stored.select(s.db, io.vigil.model.Matcher.equal("job", j), io.vigil.model.Matcher.equal("__name__", "a")))
            .isEmpty();
      }
      assertThat(Stored.series(s.db, "__name__", "scrape_samples_scraped", "job", "samples").getLast().v()).isEqualTo(3);
      assertThat(Stored.series(s.db, "__name__", "up", "job", "fine")).allMatch(p -> p.v() == 1);
      assertThat(s.registry.scrape().stream().filter(m -> m.getMetadata().getName()
          .equals("vigil_target_scrapes_exceeded_sample_limit")).findFirst()).isPresent();
    }
  }

  @Test
  void honorLabelsAndTimestamps() throws Exception {
    long exposedTs = System.currentTimeMillis() - 30_000;
    try (TargetServer server = TargetServer.loopback(); ScrapeTestSupport s = new ScrapeTestSupport(dir)) {
      server.set("/metrics", "m{job=\"pushed\",instance=\"\"} 7 " + exposedTs + "\n");
      String yaml = """
          scrape_configs:
            - job_name: honor
              scrape_interval: 200ms
              honor_labels: true
              static_configs: [{targets: ['%1$s']}]
            - job_name: nohonor
              scrape_interval: 200ms
              honor_timestamps: false
              static_configs: [{targets: ['%1$s']}]
          """.formatted(server.address());
      s.apply(yaml);
      s.awaitScrapes("honor", 3);
      s.awaitScrapes("nohonor", 3);
      // honor_labels: the exposed job wins; the empty exposed instance counts as absent
      List<Stored.Point> honored = Stored.series(s.db, "__name__", "m", "job", "pushed");
      assertThat(Stored.select(s.db, io.vigil.model.Matcher.equal("job", "pushed")).keySet()).containsExactly(
          Labels.of("__name__", "m", "job", "pushed", "instance", server.address()));
      // honor_timestamps (default): the exposed timestamp, once (the repeats are duplicates)
      assertThat(honored).containsExactly(new Stored.Point(exposedTs, 7));
      List<Stored.Point> own = Stored.series(s.db, "__name__", "m", "job", "nohonor");
      assertThat(own).hasSizeGreaterThanOrEqualTo(3).allMatch(p -> p.t() > exposedTs + 20_000);
      assertThat(Stored.select(s.db, io.vigil.model.Matcher.equal("job", "nohonor"),
          io.vigil.model.Matcher.equal("__name__", "m")).keySet().iterator().next().get("exported_job")).isEqualTo("pushed");
    }
  }

  @Test
  void credentialsFilesAreReadAtEveryScrape() throws Exception {
    Path token = dir.resolve("token");
    Files.writeString(token, "first\n");
    try (TargetServer server = TargetServer.loopback(); ScrapeTestSupport s = new ScrapeTestSupport(dir)) {
      server.set("/metrics", "a 1\n");
      server.set("/basic", "a 1\n");
      Files.writeString(dir.resolve("pw"), "secret");
      s.apply("""
          scrape_configs:
            - job_name: bearer
              scrape_interval: 200ms
              bearer_token_file: %s
              static_configs: [{targets: ['%s']}]
            - job_name: basic
              scrape_interval: 200ms
              metrics_path: /basic
              enable_compression: false
              basic_auth: {username: u, password_file: %s}
              static_configs: [{targets: ['%s']}]
          """.formatted(token, server.address(), dir.resolve("pw"), server.address()));
      s.awaitScrapes("bearer", 1);
      s.awaitScrapes("basic", 1);
      assertThat(server.hits("/metrics").getLast().headers().get("Authorization")).containsExactly("Bearer first");
      Files.writeString(token, "second");
      s.awaitScrapes("bearer", 2);
      assertThat(server.hits("/metrics").getLast().headers().get("Authorization")).containsExactly("Bearer second");
      TargetServer.Hit basic = server.hits("/basic").getLast();
      assertThat(basic.headers().get("Authorization")).containsExactly("Basic dTpzZWNyZXQ=");
      assertThat(basic.headers().get("Accept-encoding")).containsExactly("identity");
    }
  }
}
