package io.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.config.Config;
import io.vigil.config.ConfigLoader;
import io.vigil.model.Labels;
import io.vigil.notify.AlertmanagerPeer;
import io.vigil.notify.Notifier;
import io.vigil.notify.NotifierOptions;
import io.vigil.notify.WebhookReceiver;
import io.vigil.promql.Engine;
import io.vigil.promql.EngineOptions;
import io.vigil.storage.Appender;
import io.vigil.testkit.Fixtures;
import io.vigil.tsdb.Tsdb;
import io.vigil.tsdb.TsdbOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * End to end in real time: samples appended into a real TSDB, a rule fires, the notifier delivers
 * the alert to the real Alertmanager 0.25 (seen in its /api/v2/alerts and at the webhook), and the
 * alert resolves there when the condition ends.
 */
class AlertmanagerEndToEndTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  @TempDir
  Path dir;

  @Test
  void ruleFiresReachesAlertmanagerAndResolves() throws Exception {
    Files.writeString(dir.resolve("rules.yml"), """
        groups:
          - name: backup
            interval: 1s
            rules:
              - alert: BackupFailed
                expr: restic_backup_exit_code > 0
                for: 2s
                labels:
                  severity: critical
                annotations:
                  summary: "Backup on {{ $labels.instance }} failed"
                  description: "restic exited with code {{ $value }} ({{ $externalLabels.monitor }})"
        """);
    PrometheusRegistry registry = new PrometheusRegistry();
    try (WebhookReceiver webhook = new WebhookReceiver();
        AlertmanagerPeer am = AlertmanagerPeer.start(dir.resolve("am"), webhook.url());
        Tsdb db = Tsdb.open(dir.resolve("tsdb"), TsdbOptions.defaults(), registry);
        Notifier notifier = new Notifier(NotifierOptions.DEFAULTS.withDiscoveryUpdateInterval(Duration.ofMillis(100)),
            registry);
        RuleManager rules = new RuleManager(new Engine(EngineOptions.DEFAULTS), db, db, notifier::send,
            RuleOptions.DEFAULTS.withExternalUrl("http://vigil.example:9090"), registry)) {
      Config cfg = new ConfigLoader().parse("""
          global:
            evaluation_interval: 1s
            external_labels: {monitor: vigil-e2e}
          alerting:
            alertmanagers:
              - static_configs: [{targets: ['%s']}]
          rule_files: ['rules.yml']
          """.formatted(am.address()), "vigil.yml", dir);
      notifier.applyConfig(cfg);
      rules.applyConfig(cfg);

      Labels series = Labels.of("__name__", "restic_backup_exit_code", "instance", "host1", "job", "restic");
      append(db, series, 1);
      awaitState(rules, "firing");
      assertThat(notifier.alertmanagers().active()).containsExactly("http://" + am.address() + "/api/v2/alerts");
      JsonNode inAm = am.awaitAlert(a -> a.path("labels").path("alertname").stringValue("").equals("BackupFailed"), WAIT);
      assertThat(inAm.get("labels").toString()).isEqualTo("{\"alertname\":\"BackupFailed\",\"instance\":\"host1\","
          + "\"job\":\"restic\",\"monitor\":\"vigil-e2e\",\"severity\":\"critical\"}");
      assertThat(inAm.get("annotations").get("summary").stringValue()).isEqualTo("Backup on host1 failed");
      assertThat(inAm.get("annotations").get("description").stringValue())
          .isEqualTo("restic exited with code 1 (vigil-e2e)");
      assertThat(inAm.get("generatorURL").stringValue())
          .isEqualTo("http://vigil.example:9090/graph?g0.expr=restic_backup_exit_code+%3E+0&g0.tab=1");
      RuleStatus.Alerting rule = (RuleStatus.Alerting) rules.groups().getFirst().rules().getFirst();
      assertThat(rule.state()).isEqualTo("firing");
      Instant activeAt = rule.alerts().getFirst().activeAt();
      Instant startsAt = Instant.parse(inAm.get("startsAt").stringValue());
      assertThat(Duration.between(activeAt, startsAt)).as("fires once 'for' has passed")
          .isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
      assertThat(Instant.parse(inAm.get("endsAt").stringValue())).isAfter(startsAt.plus(Duration.ofMinutes(3)));

      JsonNode fired = webhook.await(WebhookReceiver.notification("firing", "BackupFailed"), WAIT);
      JsonNode shape = AlertmanagerPeer.JSON.readTree(
          Fixtures.fixtureText("alertmanager/webhook-firing-from-prometheus-rule.json"));
      assertThat(fields(fired)).isEqualTo(fields(shape));
      assertThat(fields(fired.get("alerts").get(0))).isEqualTo(fields(shape.get("alerts").get(0)));
      assertThat(fired.get("alerts").get(0).get("labels")).isEqualTo(inAm.get("labels"));
      assertThat(fired.get("alerts").get(0).get("generatorURL")).isEqualTo(inAm.get("generatorURL"));
      assertThat(rules.alerts()).singleElement().satisfies(a -> assertThat(a.state()).isEqualTo("firing"));

      append(db, series, 0); // the backup succeeded again
      JsonNode resolved = webhook.await(WebhookReceiver.notification("resolved", "BackupFailed"), WAIT);
      JsonNode alert = resolved.get("alerts").get(0);
      assertThat(alert.get("status").stringValue()).isEqualTo("resolved");
      assertThat(Instant.parse(alert.get("startsAt").stringValue())).isEqualTo(startsAt);
      assertThat(Instant.parse(alert.get("endsAt").stringValue())).isAfter(startsAt);
      // Alertmanager lists active alerts only: the resolved one is gone
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (am.alerts().stream().anyMatch(a -> a.path("labels").path("alertname").stringValue("").equals("BackupFailed"))) {
        assertThat(System.nanoTime()).as("Alertmanager still lists the resolved alert").isLessThan(deadline);
        AlertmanagerPeer.sleep(100);
      }
      assertThat(((RuleStatus.Alerting) rules.groups().getFirst().rules().getFirst()).state()).isEqualTo("inactive");
    }
  }

  private static void awaitState(RuleManager rules, String state) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      RuleStatus.Group g = rules.groups().getFirst();
      if (((RuleStatus.Alerting) g.rules().getFirst()).state().equals(state)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("rule not " + state + ": " + g);
      }
      AlertmanagerPeer.sleep(50);
    }
  }

  private static void append(Tsdb db, Labels series, double v) {
    Appender app = db.appender();
    app.append(series, System.currentTimeMillis(), v);
    app.commit();
  }

  static Set<String> fields(JsonNode n) {
    return new TreeSet<>(n.propertyNames());
  }
}
