package io.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.testkit.PeerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Vigil as a real child process: signals, exit codes and log lines as an operator sees them. */
class ServerProcessTest {
  @TempDir
  Path tmp;

  private final HttpClient http = HttpClient.newHttpClient();

  static PeerProcess startVigil(Path dir, String... args) {
    int port = PeerProcess.freePort();
    List<String> cmd = new ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElse("java"),
        "-Xmx256m", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"),
        "io.vigil.server.Main", "server",
        "--web.listen-address=127.0.0.1:{port}",
        "--storage.tsdb.path={dir}/data"));
    cmd.addAll(List.of(args));
    return PeerProcess.start("vigil", port, dir, cmd).awaitHttpOk("/-/ready", Duration.ofSeconds(30));
  }

  private String metrics(PeerProcess vigil) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(vigil.baseUrl() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  private static void signal(PeerProcess p, String sig) throws Exception {
    assertThat(new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).start().waitFor()).isZero();
  }

  @Test
  void sighupReloadsAndABrokenFileKeepsTheOldConfig() throws Exception {
    Path cfg = tmp.resolve("vigil.yml");
    Files.writeString(cfg, "global:\n  scrape_interval: 15s\n");
    try (PeerProcess vigil = startVigil(tmp, "--config.file=" + cfg)) {
      Files.writeString(cfg, "global:\n  scrape_interval: [not, a, duration]\n");
      signal(vigil, "HUP");
      awaitMetric(vigil, "vigil_config_last_reload_successful 0.0");
      assertThat(vigil.logText()).contains("level=error").contains("Error reloading config")
          .contains("global.scrape_interval");
      Files.writeString(cfg, "global:\n  scrape_interval: 20s\n");
      signal(vigil, "HUP");
      awaitMetric(vigil, "vigil_config_last_reload_successful 1.0");
    }
  }

  @Test
  void sigtermStopsGracefullyWithExitCodeZeroAndClearLogLines() throws Exception {
    PeerProcess vigil = startVigil(tmp);
    assertThat(vigil.terminate(Duration.ofSeconds(20))).isZero();
    String log = vigil.logText();
    assertThat(log).containsPattern("level=info logger=server.VigilServer msg=\"Vigil is ready to receive web requests\" "
        + "listen_address=127.0.0.1:\\d+ data_dir=\\S+/data config_file=\"\\(embedded default\\)\"");
    assertThat(log).contains("Received signal, exiting gracefully...").contains("signal=SIGTERM");
  }

  @Test
  void jsonLogFormat() throws Exception {
    PeerProcess vigil = startVigil(tmp, "--log.format=json");
    vigil.terminate(Duration.ofSeconds(20));
    List<String> lines = vigil.logText().lines().filter(l -> l.startsWith("{")).toList();
    assertThat(lines).isNotEmpty();
    assertThat(lines).allSatisfy(l -> assertThat(l).startsWith("{\"ts\":\"").endsWith("}").contains("\"level\":"));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"msg\":\"Vigil is ready to receive web requests\""));
  }

  private void awaitMetric(PeerProcess vigil, String line) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      last = metrics(vigil);
      if (last.contains(line)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("metric line not seen: " + line + "\nlog:\n" + vigil.logText());
  }
}
