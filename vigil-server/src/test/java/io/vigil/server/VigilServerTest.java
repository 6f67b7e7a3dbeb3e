package io.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole server in-process on a free port, driven over real HTTP. */
class VigilServerTest {
  @TempDir
  Path tmp;

  private final HttpClient http = HttpClient.newHttpClient();
  private VigilServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private VigilServer start(String... extraArgs) throws Exception {
    server = new VigilServer(TestServers.options(tmp, extraArgs));
    server.start();
    return server;
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthyAndReadyOnceStarted() throws Exception {
    start();
    assertThat(get("/-/healthy").statusCode()).isEqualTo(200);
    assertThat(get("/-/ready").statusCode()).isEqualTo(200);
  }

  @Test
  void selfMetricsHaveJvmProcessHttpBuildAndReloadFamilies() throws Exception {
    start();
    get("/-/ready");
    String metrics = get("/metrics").body();
    assertThat(metrics)
        .contains("jvm_memory_used_bytes{area=\"heap\"}")
        .contains("process_cpu_seconds_total ")
        .contains("process_open_fds ")
        .contains("process_max_fds ")
        .contains("process_resident_memory_bytes ")
        .contains("process_virtual_memory_bytes ")
        .contains("process_start_time_seconds ")
        .contains("vigil_http_requests_total{code=\"200\",handler=\"/-/ready\"} 1.0")
        .contains("vigil_http_request_duration_seconds_bucket{handler=\"/-/ready\"")
        .contains("vigil_build_info{branch=")
        .contains("vigil_config_last_reload_successful 1.0")
        .contains("vigil_config_last_reload_success_timestamp_seconds ");
  }

  @Test
  void scrapeAndAlertmanagerDiscoveryShareTheSdMetrics() throws Exception {
    Path cfg = tmp.resolve("vigil.yml");
    Files.writeString(cfg, """
        scrape_configs:
          - job_name: self
            static_configs: [{targets: ["127.0.0.1:1"]}]
        alerting:
          alertmanagers:
            - static_configs: [{targets: ["127.0.0.1:2", "127.0.0.1:3"]}]
        """);
    start("--config.file=" + cfg);
    String metrics = "";
    for (long deadline = System.nanoTime() + 20_000_000_000L; System.nanoTime() < deadline; Thread.sleep(200)) {
      metrics = get("/metrics").body();
      if (metrics.contains("name=\"notify\"} 2.0") && metrics.contains("name=\"scrape\"} 1.0")) {
        break;
      }
    }
    assertThat(metrics)
        .contains("vigil_sd_discovered_targets{config=\"self\",name=\"scrape\"} 1.0")
        .containsPattern("vigil_sd_discovered_targets\\{config=\"[^\"]+\",name=\"notify\"} 2.0");
  }

  @Test
  void reloadWithABrokenFileKeepsTheOldConfigAndSetsTheGaugeToZero() throws Exception {
    Path cfg = tmp.resolve("vigil.yml");
    Files.writeString(cfg, "global:\n  scrape_interval: 15s\n");
    start("--config.file=" + cfg, "--web.enable-lifecycle");
    var before = server.currentConfig();
    assertThat(before.global().scrapeInterval().millis()).isEqualTo(15_000);

    Files.writeString(cfg, "global:\n  scrape_intervall: 10s\n");
    var r = post("/-/reload");
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.body()).startsWith("failed to reload config: ").contains("scrape_intervall: unknown field");
    assertThat(server.currentConfig()).isSameAs(before);
    assertThat(get("/metrics").body()).contains("vigil_config_last_reload_successful 0.0");

    Files.writeString(cfg, "global:\n  scrape_interval: 30s\n");
    assertThat(post("/-/reload").statusCode()).isEqualTo(200);
    assertThat(server.currentConfig().global().scrapeInterval().millis()).isEqualTo(30_000);
    assertThat(get("/metrics").body()).contains("vigil_config_last_reload_successful 1.0");
  }

  @Test
  void lifecycleEndpointsNeedTheFlag() throws Exception {
    start();
    var r = post("/-/reload");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).isEqualTo("Lifecycle API is not enabled.\n");
    assertThat(post("/-/quit").statusCode()).isEqualTo(403);
  }

  @Test
  void startupFailsOnABrokenInitialConfig() throws Exception {
    Path cfg = tmp.resolve("broken.yml");
    Files.writeString(cfg, "scrape_configs: 5\n");
    server = new VigilServer(TestServers.options(tmp, "--config.file=" + cfg));
    org.assertj.core.api.Assertions.assertThatThrownBy(server::start)
        .hasMessageContaining("broken.yml:1:17");
  }
}
