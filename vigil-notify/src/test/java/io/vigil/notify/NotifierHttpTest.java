package io.vigil.notify;

import static io.vigil.notify.NotifierAlertmanagerTest.awaitActive;
import static io.vigil.notify.NotifierAlertmanagerTest.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.model.Labels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** What goes over the wire, and how failures and overload are handled, seen by a loopback server. */
class NotifierHttpTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  @TempDir
  Path dir;

  static Alert alert(String name, int i) {
    return new Alert(Labels.of("alertname", name, "i", Integer.toString(i)), Labels.EMPTY,
        Instant.parse("2026-11-21T19:39:14Z"), Instant.parse("2026-11-21T19:49:14Z"), "");
  }

  static String amConfig(String address, String extra) {
    return """
        alerting:
          alertmanagers:
            - static_configs: [{targets: ['%s']}]
        %s""".formatted(address, extra.indent(6));
  }

  @Test
  void bodyIsWhatPrometheusPosts() throws Exception {
    try (CaptureServer server = new CaptureServer();
        Notifier n = new Notifier(NotifierAlertmanagerTest.fast().withUserAgent("Vigil/test"), new PrometheusRegistry())) {
      n.applyConfig(config("""
          global:
            external_labels: {monitor: m1}
          """ + amConfig(server.address(), ""), dir));
      awaitActive(n, "http://" + server.address() + "/api/v2/alerts");
      n.send(List.of(new Alert(Labels.of("alertname", "BackupFailed", "job", "restic"),
          Labels.of("summary", "a <b> & \"c\"\u2028"), Instant.parse("2026-11-21T19:39:14.5Z"),
          Instant.parse("2026-11-21T19:49:14Z"), "http://vigil.example/graph?g0.expr=up+%3D%3D+0&g0.tab=1"),
          new Alert(Labels.of("alertname", "NoTimes"), Labels.EMPTY, null, null, "")));
      CaptureServer.Request r = server.awaitRequests(1, WAIT).getFirst();
      assertThat(r.method()).isEqualTo("POST");
      assertThat(r.path()).isEqualTo("/api/v2/alerts");
      assertThat(r.header("Content-Type")).isEqualTo("application/json");
      assertThat(r.header("User-Agent")).isEqualTo("Vigil/test");
      assertThat(r.body()).isEqualTo("[{\"annotations\":{\"summary\":\"a \\u003cb\\u003e \\u0026 \\\"c\\\"\\u2028\"},"
          + "\"endsAt\":\"2026-11-21T19:49:14.000Z\",\"startsAt\":\"2026-11-21T19:39:14.500Z\","
          + "\"generatorURL\":\"http://vigil.example/graph?g0.expr=up+%3D%3D+0\\u0026g0.tab=1\","
          + "\"labels\":{\"alertname\":\"BackupFailed\",\"job\":\"restic\",\"monitor\":\"m1\"}},"
          + "{\"annotations\":{},\"endsAt\":\"0001-01-01T00:00:00.000Z\",\"startsAt\":\"0001-01-01T00:00:00.000Z\","
          + "\"labels\":{\"alertname\":\"NoTimes\",\"monitor\":\"m1\"}}]");
    }
  }

  @Test
  void batchesOfAtMost64() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    try (CaptureServer server = new CaptureServer();
        Notifier n = new Notifier(NotifierAlertmanagerTest.fast(), registry)) {
      n.applyConfig(config(amConfig(server.address(), ""), dir));
      awaitActive(n, "http://" + server.address() + "/api/v2/alerts");
      List<Alert> alerts = new ArrayList<>();
      for (int i = 0; i < 150; i++) {
        alerts.add(alert("Many", i));
      }
      n.send(alerts);
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (countAlerts(server.requests()) < 150 && System.nanoTime() < deadline) {
        AlertmanagerPeer.sleep(10);
      }
      assertThat(countAlerts(server.requests())).isEqualTo(150);
      for (CaptureServer.Request r : server.requests()) {
        assertThat(AlertmanagerPeer.JSON.readTree(r.body()).size()).isBetween(1, 64);
      }
      assertThat(server.requests().size()).isGreaterThanOrEqualTo(3);
      assertThat(MetricValues.value(registry, "vigil_notifications_sent")).isEqualTo(150);
    }
  }

  static int countAlerts(List<CaptureServer.Request> rs) {
    return rs.stream().mapToInt(r -> AlertmanagerPeer.JSON.readTree(r.body()).size()).sum();
  }

  @Test
  void pathPrefixSchemeAndBasicAuth() throws Exception {
    Files.writeString(dir.resolve("password"), "s3cret\n");
    try (CaptureServer server = new CaptureServer();
        Notifier n = new Notifier(NotifierAlertmanagerTest.fast(), new PrometheusRegistry())) {
      n.applyConfig(config(amConfig(server.address(), """
          path_prefix: /am/sub/
          scheme: http
          basic_auth: {username: vigil, password_file: password}
          """), dir));
      awaitActive(n, "http://" + server.address() + "/am/sub/api/v2/alerts");
      n.send(List.of(alert("Auth", 1)));
      CaptureServer.Request r = server.awaitRequests(1, WAIT).getFirst();
      assertThat(r.path()).isEqualTo("/am/sub/api/v2/alerts");
      assertThat(r.header("Authorization")).isEqualTo("Basic "
          + Base64.getEncoder().encodeToString("vigil:s3cret".getBytes()));
    }
  }

  @Test
  void bearerTokenFileIsReadForEveryRequest() throws Exception {
    Path token = dir.resolve("token");
    Files.writeString(token, "first");
    try (CaptureServer server = new CaptureServer();
        Notifier n = new Notifier(NotifierAlertmanagerTest.fast(), new PrometheusRegistry())) {
      n.applyConfig(config(amConfig(server.address(), "authorization: {credentials_file: token}"), dir));
      awaitActive(n, "http://" + server.address() + "/api/v2/alerts");
      n.send(List.of(alert("Token", 1)));
      server.awaitRequests(1, WAIT);
      Files.writeString(token, "second\n");
      n.send(List.of(alert("Token", 2)));
      List<CaptureServer.Request> rs = server.awaitRequests(2, WAIT);
      assertThat(rs.get(0).header("Authorization")).isEqualTo("Bearer first");
      assertThat(rs.get(1).header("Authorization")).isEqualTo("Bearer second");
    }
  }

  @Test
  void relabelingOfAlertmanagersAndAlerts() throws Exception {
    try (CaptureServer kept = new CaptureServer();
        CaptureServer other = new CaptureServer();
        Notifier n = new Notifier(NotifierAlertmanagerTest.fast(), new PrometheusRegistry())) {
      n.applyConfig(config("""
          global:
            external_labels: {monitor: m1}
          alerting:
            alert_relabel_configs:
              - {source_labels: [severity], regex: none, action: drop}
            alertmanagers:
              - static_configs: [{targets: ['%s', '%s'], labels: {dc: a}}]
                relabel_configs:
                  - {source_labels: [__address__], regex: '%s', action: drop}
                alert_relabel_configs:
                  - {target_label: via, replacement: set0}
          """.formatted(kept.address(), other.address(), other.address().replace(".", "\\.")), dir));
      awaitActive(n, "http://" + kept.address() + "/api/v2/alerts");
      assertThat(n.alertmanagers().dropped()).containsExactly("http://" + other.address() + "/api/v2/alerts");
      n.send(List.of(new Alert(Labels.of("alertname", "Quiet", "severity", "none"), Labels.EMPTY, null, null, ""),
          new Alert(Labels.of("alertname", "Loud", "severity", "page", "monitor", "own"), Labels.EMPTY, null, null, "")));
      CaptureServer.Request r = kept.awaitRequests(1, WAIT).getFirst();
      JsonNode body = AlertmanagerPeer.JSON.readTree(r.body());
      assertThat(body.size()).isEqualTo(1);
      assertThat(body.get(0).get("labels").toString())
          .isEqualTo("{\"alertname\":\"Loud\",\"monitor\":\"own\",\"severity\":\"page\",\"via\":\"set0\"}");
      assertThat(other.requests()).isEmpty();
    }
  }

  @Test
  void failedRequestsAreRetriedThenSucceed() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    AtomicInteger calls = new AtomicInteger();
    try (CaptureServer server = new CaptureServer();
        Notifier n = new Notifier(NotifierAlertmanagerTest.fast(), registry)) {
      server.answer(() -> calls.incrementAndGet() <= 2 ? 503 : 200);
      n.applyConfig(config(amConfig(server.address(), ""), dir));
      String url = "http://" + server.address() + "/api/v2/alerts";
      awaitActive(n, url);
      n.send(List.of(alert("Retry", 1), alert("Retry", 2)));
      List<CaptureServer.Request> rs = server.awaitRequests(3, WAIT);
      assertThat(rs).extracting(CaptureServer.Request::body).containsOnly(rs.getFirst().body());
      awaitValue(registry, "vigil_notifications_sent", url, 2);
      assertThat(MetricValues.value(registry, "vigil_notifications_errors", "alertmanager", url)).isEqualTo(4);
      assertThat(MetricValues.value(registry, "vigil_notifications_dropped", "alertmanager", url)).isZero();
    }
  }

  @Test
  void alertsAreDroppedAfterTheLastRetry() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    try (CaptureServer server = new CaptureServer();
        Notifier n = new Notifier(NotifierAlertmanagerTest.fast().withSendRetries(1, Duration.ofMillis(10)), registry)) {
      server.answer(() -> 500);
      n.applyConfig(config(amConfig(server.address(), ""), dir));
      String url = "http://" + server.address() + "/api/v2/alerts";
      awaitActive(n, url);
      n.send(List.of(alert("Fail", 1)));
      awaitValue(registry, "vigil_notifications_dropped", url, 1);
      assertThat(server.requests()).hasSize(2);
      assertThat(MetricValues.value(registry, "vigil_notifications_errors", "alertmanager", url)).isEqualTo(2);
    }
  }

  @Test
  void fullQueueDropsTheOldestAlerts() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    CountDownLatch release = new CountDownLatch(1);
    try (CaptureServer server = new CaptureServer();
        Notifier n = new Notifier(NotifierAlertmanagerTest.fast().withQueueCapacity(5).withMaxBatchSize(64), registry)) {
      server.beforeAnswer(() -> {
        try {
          release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      n.applyConfig(config(amConfig(server.address(), ""), dir));
      String url = "http://" + server.address() + "/api/v2/alerts";
      awaitActive(n, url);
      n.send(List.of(alert("InFlight", 0)));
      server.awaitRequests(1, WAIT); // the loop now waits on the held request
      List<Alert> burst = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        burst.add(alert("Burst", i));
      }
      n.send(burst);
      assertThat(MetricValues.value(registry, "vigil_notifications_dropped", "alertmanager", url)).isEqualTo(7);
      assertThat(MetricValues.value(registry, "vigil_notifications_queue_length", "alertmanager", url)).isEqualTo(5);
      assertThat(MetricValues.value(registry, "vigil_notifications_queue_capacity")).isEqualTo(5);
      release.countDown();
      List<CaptureServer.Request> rs = server.awaitRequests(2, WAIT);
      JsonNode second = AlertmanagerPeer.JSON.readTree(rs.get(1).body());
      List<String> kept = new ArrayList<>();
      second.forEach(a -> kept.add(a.get("labels").get("i").stringValue()));
      assertThat(kept).containsExactly("7", "8", "9", "10", "11"); // the newest state survives
    }
  }

  @Test
  void closeDrainsTheQueue() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    try (CaptureServer server = new CaptureServer()) {
      Notifier n = new Notifier(NotifierAlertmanagerTest.fast().withMaxBatchSize(2), registry);
      n.applyConfig(config(amConfig(server.address(), ""), dir));
      awaitActive(n, "http://" + server.address() + "/api/v2/alerts");
      List<Alert> alerts = new ArrayList<>();
      for (int i = 0; i < 9; i++) {
        alerts.add(alert("Drain", i));
      }
      n.send(alerts);
      n.close();
      assertThat(countAlerts(server.requests())).isEqualTo(9);
      n.send(List.of(alert("AfterClose", 0))); // ignored, no exception
    }
  }

  @Test
  void reloadKeepsUnchangedSetsAndRejectsBadTls() throws Exception {
    try (CaptureServer server = new CaptureServer();
        Notifier n = new Notifier(NotifierAlertmanagerTest.fast(), new PrometheusRegistry())) {
      String yaml = amConfig(server.address(), "timeout: 5s");
      n.applyConfig(config(yaml, dir));
      String url = "http://" + server.address() + "/api/v2/alerts";
      awaitActive(n, url);
      n.applyConfig(config(amConfig(server.address(), "timeout: 6s"), dir));
      assertThat(n.alertmanagers().active()).containsExactly(url); // discovery unchanged: applied at once
      assertThatThrownBy(() -> n.applyConfig(config(amConfig(server.address(),
          "tls_config: {ca_file: missing-ca.pem}"), dir)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing-ca.pem");
      assertThat(n.alertmanagers().active()).containsExactly(url);
      n.send(List.of(alert("StillWorks", 1)));
      server.awaitRequests(1, WAIT);
      n.applyConfig(config("", dir));
      assertThat(n.alertmanagers().active()).isEmpty();
    }
  }

  static void awaitValue(PrometheusRegistry registry, String name, String url, double want) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (MetricValues.value(registry, name, "alertmanager", url) != want) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(name + " is " + MetricValues.value(registry, name, "alertmanager", url)
            + ", expected " + want);
      }
      AlertmanagerPeer.sleep(10);
    }
  }
}
