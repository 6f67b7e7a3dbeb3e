package io.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.notify.AlertmanagerPeer;
import io.vigil.notify.WebhookReceiver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The product path of a failed backup, through the real server and the real Alertmanager 0.25: a
 * restic job pushes a non-zero exit code, the rule fires, the alert reaches Alertmanager and its
 * webhook with the templated summary, and a later successful push resolves it. The shipped backup
 * alert pack loads in the same server.
 */
class AlertingEndToEndTest {
  @TempDir
  Path tmp;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void failedBackupPushFiresAndResolvesInAlertmanager() throws Exception {
    try (WebhookReceiver webhook = new WebhookReceiver();
        AlertmanagerPeer alertmanager = AlertmanagerPeer.start(tmp.resolve("am"), webhook.url())) {
      Files.writeString(tmp.resolve("backup.yml"), """
          groups:
            - name: backups
              interval: 1s
              rules:
                - alert: ResticBackupFailed
                  expr: restic_backup_exit_code > 0
                  labels: {severity: critical}
                  annotations:
                    summary: '{{ $labels.instance }} backup failed with exit code {{ $value }}'
          """);
      Path packDir = Path.of("..", "rules", "backup").toAbsolutePath().normalize();
      Files.writeString(tmp.resolve("vigil.yml"), """
          global:
            scrape_interval: 1s
            evaluation_interval: 1s
            external_labels: {site: test}
          rule_files: [backup.yml, '%s/*.yml']
          alerting:
            alertmanagers:
              - static_configs: [{targets: ['%s']}]
          """.formatted(packDir, alertmanager.address()));
      VigilServer vigil = new VigilServer(TestServers.options(tmp, "--config.file=" + tmp.resolve("vigil.yml")));
      vigil.start();
      try {
        String rules = get(vigil, "/api/v1/rules");
        assertThat(rules).contains("\"name\":\"backups\"").contains("KastenActionFailed").contains("VeleroBackupTooOld")
            .contains("BackupNotPushed");

        push(vigil, "restic_backup_exit_code 3\n");
        JsonNode alert = alertmanager.awaitAlert(a -> a.get("labels").path("alertname").stringValue("")
            .equals("ResticBackupFailed"), Duration.ofSeconds(30));
        assertThat(alert.get("labels").get("instance").stringValue()).isEqualTo("host1");
        assertThat(alert.get("labels").get("site").stringValue()).isEqualTo("test");
        assertThat(alert.get("annotations").get("summary").stringValue()).isEqualTo("host1 backup failed with exit code 3");
        assertThat(alert.get("generatorURL").stringValue()).contains("/graph?g0.expr=");
        webhook.await(WebhookReceiver.notification("firing", "ResticBackupFailed"), Duration.ofSeconds(30));
        assertThat(get(vigil, "/api/v1/alerts")).contains("ResticBackupFailed").contains("\"state\":\"firing\"");

        push(vigil, "restic_backup_exit_code 0\n");
        webhook.await(WebhookReceiver.notification("resolved", "ResticBackupFailed"), Duration.ofSeconds(30));
      } finally {
        vigil.close();
      }
    }
  }

  private void push(VigilServer vigil, String body) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + vigil.port() + "/metrics/job/restic/instance/host1"))
        .PUT(HttpRequest.BodyPublishers.ofString("# TYPE restic_backup_exit_code gauge\n" + body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  private String get(VigilServer vigil, String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + vigil.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }
}
