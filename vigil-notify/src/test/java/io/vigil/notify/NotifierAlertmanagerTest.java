package io.vigil.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.config.Config;
import io.vigil.config.ConfigLoader;
import io.vigil.model.Labels;
import io.vigil.testkit.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The notifier against the real Alertmanager 0.25 and a webhook receiver on loopback. */
class NotifierAlertmanagerTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  @TempDir
  static Path dir;
  static WebhookReceiver webhook;
  static AlertmanagerPeer am;

  @BeforeAll
  static void start() {
    webhook = new WebhookReceiver();
    am = AlertmanagerPeer.start(dir.resolve("am"), webhook.url());
  }

  @AfterAll
  static void stop() {
    if (am != null) {
      am.close();
    }
    webhook.close();
  }

  static Config config(String yaml, Path base) throws Exception {
    return new ConfigLoader().parse(yaml, "test.yml", base);
  }

  static NotifierOptions fast() {
    return NotifierOptions.DEFAULTS.withDiscoveryUpdateInterval(Duration.ofMillis(100))
        .withSendRetries(2, Duration.ofMillis(100));
  }

  @Test
  void alertReachesAlertmanagerAndWebhookThenResolves() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    try (Notifier n = new Notifier(fast(), registry)) {
      n.applyConfig(config("""
          global:
            external_labels: {monitor: vigil-test, job: not-applied}
          alerting:
            alertmanagers:
              - static_configs: [{targets: ['%s']}]
          """.formatted(am.address()), dir));
      awaitActive(n, "http://" + am.address() + "/api/v2/alerts");
      Instant startsAt = Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.MILLIS);
      String generator = "http://vigil.example:9090/graph?g0.expr=restic_backup_exit_code+%3E+0&g0.tab=1";
      Alert firing = new Alert(Labels.of("alertname", "BackupFailed", "job", "restic", "instance", "host1",
          "severity", "critical"), Labels.of("summary", "Backup on host1 failed", "description",
          "restic exited with code 1 <&>"), startsAt, startsAt.plus(Duration.ofMinutes(4)), generator);
      n.send(List.of(firing));

      JsonNode inAm = am.awaitAlert(a -> a.get("labels").path("alertname").stringValue("").equals("BackupFailed"), WAIT);
      assertThat(fields(inAm)).isEqualTo(fields(fixture("get-alerts-response.json").get(0)));
      assertThat(inAm.get("labels").toString()).isEqualTo("{\"alertname\":\"BackupFailed\",\"instance\":\"host1\","
          + "\"job\":\"restic\",\"monitor\":\"vigil-test\",\"severity\":\"critical\"}");
      assertThat(inAm.get("annotations").get("description").stringValue()).isEqualTo("restic exited with code 1 <&>");
      assertThat(Instant.parse(inAm.get("startsAt").stringValue())).isEqualTo(startsAt);
      assertThat(Instant.parse(inAm.get("endsAt").stringValue())).isEqualTo(startsAt.plus(Duration.ofMinutes(4)));
      assertThat(inAm.get("generatorURL").stringValue()).isEqualTo(generator);
      assertThat(inAm.get("status").get("state").stringValue()).isEqualTo("active");

      JsonNode fired = webhook.await(WebhookReceiver.notification("firing", "BackupFailed"), WAIT);
      JsonNode expectedShape = fixture("webhook-firing-from-prometheus-rule.json");
      assertThat(fields(fired)).isEqualTo(fields(expectedShape));
      JsonNode alert = fired.get("alerts").get(0);
      assertThat(fields(alert)).isEqualTo(fields(expectedShape.get("alerts").get(0)));
      assertThat(alert.get("status").stringValue()).isEqualTo("firing");
      assertThat(alert.get("endsAt").stringValue()).isEqualTo("0001-01-01T00:00:00Z");
      assertThat(alert.get("generatorURL").stringValue()).isEqualTo(generator);
      assertThat(alert.get("labels").get("monitor").stringValue()).isEqualTo("vigil-test");

      Instant resolvedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      n.send(List.of(new Alert(firing.labels(), firing.annotations(), startsAt, resolvedAt, generator)));
      JsonNode resolved = webhook.await(WebhookReceiver.notification("resolved", "BackupFailed"), WAIT);
      assertThat(Instant.parse(resolved.get("alerts").get(0).get("endsAt").stringValue())).isEqualTo(resolvedAt);
      assertThat(MetricValues.value(registry, "vigil_notifications_sent", "alertmanager",
          "http://" + am.address() + "/api/v2/alerts")).isEqualTo(2);
      assertThat(MetricValues.value(registry, "vigil_notifications_alertmanagers_discovered")).isEqualTo(1);
    }
  }

  @Test
  void fileSdAlertmanagersFollowTheFile() throws Exception {
    Path targets = dir.resolve("am-targets.yml");
    Files.writeString(targets, "- targets: ['127.0.0.1:1']\n");
    try (Notifier n = new Notifier(fast(), new PrometheusRegistry())) {
      n.applyConfig(config("""
          alerting:
            alertmanagers:
              - file_sd_configs: [{files: ['am-targets.yml'], refresh_interval: 1s}]
                path_prefix: /
          """, dir));
      awaitActive(n, "http://127.0.0.1:1/api/v2/alerts");
      Path tmp = dir.resolve("am-targets.tmp");
      Files.writeString(tmp, "- targets: ['" + am.address() + "']\n  labels: {team: backup}\n");
      Files.move(tmp, targets, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      awaitActive(n, "http://" + am.address() + "/api/v2/alerts");
      n.send(List.of(new Alert(Labels.of("alertname", "FromFileSd", "job", "stash"), Labels.EMPTY,
          Instant.now(), null, "")));
      am.awaitAlert(a -> a.get("labels").path("alertname").stringValue("").equals("FromFileSd"), WAIT);
      webhook.await(WebhookReceiver.notification("firing", "FromFileSd"), WAIT);
    }
  }

  static void awaitActive(Notifier n, String url) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!n.alertmanagers().active().equals(List.of(url))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("active Alertmanagers " + n.alertmanagers() + ", expected " + url);
      }
      AlertmanagerPeer.sleep(20);
    }
  }

  static JsonNode fixture(String name) {
    return AlertmanagerPeer.JSON.readTree(Fixtures.fixtureText("alertmanager/" + name));
  }

  static Set<String> fields(JsonNode n) {
    return new TreeSet<>(n.propertyNames());
  }
}
