package io.vigil.notify;

import io.vigil.testkit.PeerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real Alertmanager 0.25 (Debian's prometheus-alertmanager) on 127.0.0.1 with a temporary
 * storage path, no clustering, and a route that sends everything to a {@link WebhookReceiver}
 * quickly (group_wait and group_interval of one second), as the fixtures' alertmanager.yml does
 * with longer waits. Stopped by its own PID on close. Shared with vigil-rules' tests (test-jar).
 */
public final class AlertmanagerPeer implements AutoCloseable {
  public static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final PeerProcess process;

  private AlertmanagerPeer(PeerProcess process) {
    this.process = process;
  }

  public static AlertmanagerPeer start(Path dir, String webhookUrl) {
    String binary = PeerProcess.requireBinary("prometheus-alertmanager");
    String config = """
        global:
          resolve_timeout: 5m
        route:
          receiver: webhook
          group_by: ['alertname', 'job']
          group_wait: 1s
          group_interval: 1s
          repeat_interval: 1h
        receivers:
          - name: webhook
            webhook_configs:
              - url: %s
                send_resolved: true
        """.formatted(webhookUrl);
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("alertmanager.yml"), config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int port = PeerProcess.freePort();
    PeerProcess p = PeerProcess.start("alertmanager", port, dir, List.of(binary,
        "--config.file={dir}/alertmanager.yml", "--storage.path={dir}/data",
        "--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address="));
    try {
      p.awaitHttpOk("/-/ready", Duration.ofSeconds(20));
    } catch (RuntimeException e) {
      p.close();
      throw e;
    }
    return new AlertmanagerPeer(p);
  }

  /** host:port, as a static_configs target. */
  public String address() {
    return "127.0.0.1:" + process.port();
  }

  public String baseUrl() {
    return process.baseUrl();
  }

  /** GET /api/v2/alerts (active, silenced, inhibited and unprocessed ones, Alertmanager's default). */
  public List<JsonNode> alerts() {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/v2/alerts"))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("GET /api/v2/alerts: " + r.statusCode() + " " + r.body());
      }
      List<JsonNode> out = new ArrayList<>();
      JSON.readTree(r.body()).forEach(out::add);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Polls /api/v2/alerts until one alert matches, or fails with what Alertmanager holds. */
  public JsonNode awaitAlert(Predicate<JsonNode> match, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<JsonNode> last = List.of();
    while (System.nanoTime() < deadline) {
      last = alerts();
      for (JsonNode a : last) {
        if (match.test(a)) {
          return a;
        }
      }
      sleep(100);
    }
    throw new AssertionError("no matching alert in Alertmanager after " + timeout + "; it holds " + last
        + "\nlog:\n" + process.logText());
  }

  public static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public String logText() {
    return process.logText();
  }

  @Override
  public void close() {
    process.close();
  }
}
