package io.vigil.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.testkit.Fixtures;
import io.vigil.testkit.PeerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same requests to the real Pushgateway 1.5.1 and to Vigil's drop-in listener: after every step
 * the status codes and the pushed part of {@code GET /metrics} (push times reduced to zero or not)
 * must be identical. Only MATCH behaviours are exercised: no consistency failure on a new group
 * (BETTER 17), no two groups with colliding keys (BETTER 9), no HELP that differs between groups
 * (BETTER 18), no body without its final newline (Vigil accepts it).
 */
class PushgatewaySideBySideTest {
  private static final String PROTO =
      "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited";

  @TempDir
  Path dir;

  private record Step(String method, String path, byte[] body, String contentType) {
    static Step of(String method, String path, String body) {
      return new Step(method, path, body == null ? null : body.getBytes(java.nio.charset.StandardCharsets.UTF_8), null);
    }

    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  @Test
  void sameStatusesAndSameExposition() throws Exception {
    String binary = PeerProcess.requireBinary("prometheus-pushgateway");
    int port = PeerProcess.freePort();
    try (PeerProcess pg = PeerProcess.start("pushgateway", port, dir.resolve("pg"), List.of(binary,
            "--web.listen-address=127.0.0.1:{port}", "--web.enable-admin-api", "--persistence.file=", "--log.level=warn"));
        PushServer vigil = PushServer.start(PushServer.options(dir.resolve("vigil")))) {
      pg.awaitHttpOk("/-/ready", Duration.ofSeconds(20));
      List<String> log = new ArrayList<>();
      for (Step step : steps()) {
        Http.Response expected = send(pg.baseUrl(), step);
        Http.Response actual = send(vigil.gatewayUrl(), step);
        log.add(step + " -> " + expected.status());
        assertThat(actual.status()).as("%s: Pushgateway said %s %s, Vigil %s", step, expected.status(),
            expected.body(), actual.body()).isEqualTo(expected.status());
        if (expected.status() < 300) {
          assertThat(actual.body()).as(step.toString()).isEqualTo(expected.body());
        }
        String pgMetrics = Http.get(pg.baseUrl() + "/metrics").body();
        assertThat(Expositions.userLines(vigil.metrics())).as("GET /metrics after %s (steps so far: %s)", step, log)
            .isEqualTo(Expositions.userLines(pgMetrics));
      }
      assertThat(log).hasSizeGreaterThan(60);
    }
  }

  private static Http.Response send(String base, Step s) {
    return s.contentType == null ? Http.send(s.method, base + s.path, s.body)
        : Http.send(s.method, base + s.path, s.body, "Content-Type", s.contentType);
  }

  private static List<Step> steps() {
    List<Step> s = new ArrayList<>();
    // 1. PUT / POST / DELETE
    s.add(Step.of("PUT", "/metrics/job/backup/instance/host1", """
        # HELP backup_last_success_timestamp_seconds Last successful backup.
        # TYPE backup_last_success_timestamp_seconds gauge
        backup_last_success_timestamp_seconds 1.7e+09
        # HELP backup_bytes_total Bytes backed up.
        # TYPE backup_bytes_total counter
        backup_bytes_total{repo="r1"} 1024
        backup_bytes_total{repo="r2"} 2048
        """));
    s.add(Step.of("POST", "/metrics/job/backup/instance/host1", """
        # TYPE backup_duration_seconds gauge
        backup_duration_seconds 12.5
        # TYPE backup_bytes_total counter
        backup_bytes_total{repo="r3"} 4096
        """));
    s.add(Step.of("PUT", "/metrics/job/backup/instance/host1", "backup_duration_seconds 99\n"));
    s.add(Step.of("POST", "/metrics/job/backup/instance/host1", ""));
    s.add(Step.of("PUT", "/metrics/job/backup/instance/host1", ""));
    s.add(Step.of("DELETE", "/metrics/job/backup/instance/host1", null));
    s.add(Step.of("DELETE", "/metrics/job/nosuchjob/instance/x", null));
    s.add(Step.of("POST", "/metrics/job/emptyjob", ""));
    s.add(Step.of("PUT", "/metrics/job/nightly", "a_metric 1\n"));
    s.add(Step.of("PUT", "/metrics/job/nightly/instance/h2", "a_metric 2\n"));
    s.add(Step.of("DELETE", "/metrics/job/nightly", null));
    s.add(Step.of("GET", "/metrics/job/nightly/instance/h2", null));
    s.add(Step.of("PATCH", "/metrics/job/nightly/instance/h2", "a_metric 3\n"));
    s.add(Step.of("PUT", "/metrics", "m_gk 1\n"));
    // 2. grouping keys
    s.add(Step.of("PUT", "/metrics/job/restic/path@base64/L3Zhci90bXA=", "m_one 1\n"));
    s.add(Step.of("PUT", "/metrics/job@base64/YS9i", "m_two 2\n"));
    s.add(Step.of("PUT", "/metrics/job/restic/instance@base64/=", "m_three 3\n"));
    s.add(Step.of("PUT", "/metrics/job/b64/v@base64/YWI-Pw==", "m_b64 1\n"));
    s.add(Step.of("PUT", "/metrics/job/b64/v2@base64/YWJj", "m_b64 2\n"));
    s.add(Step.of("PUT", "/metrics/job/b64/v3@base64/YWI+", "m_b64 3\n"));
    s.add(Step.of("PUT", "/metrics/job/b64/v4@base64/!!!", "m_b64 4\n"));
    s.add(Step.of("PUT", "/metrics/job@base64/=", "m_gk 1\n"));
    s.add(Step.of("PUT", "/metrics/job/gk/instance", "m_gk 1\n"));
    s.add(Step.of("PUT", "/metrics/job/gk/in-valid/v", "m_gk 1\n"));
    s.add(Step.of("PUT", "/metrics/job/gk/__foo/v", "m_gk 1\n"));
    s.add(Step.of("PUT", "/metrics/job/gk/a/1/a/2", "m_gk 1\n"));
    s.add(Step.of("PUT", "/metrics/job/gk/host/my%20h%C3%B6st", "m_gk 2\n"));
    s.add(Step.of("PUT", "/metrics/job/gk/job/other", "m_gk 1\n"));
    // 3. wipe
    s.add(Step.of("POST", "/api/v1/admin/wipe", null));
    s.add(Step.of("PUT", "/api/v1/admin/wipe", null));
    // 4. bodies
    s.add(Step.of("PUT", "/metrics/job/body/instance/i1", "restic_files_new{host=\"h1\"} 12\nrestic_files_changed{host=\"h1\"} 3\n"));
    s.add(Step.of("PUT", "/metrics/job/body/instance/i1", "ts_metric 1 1700000000000\n"));
    s.add(Step.of("PUT", "/metrics/job/typecheck/instance/a", "# TYPE backup_size_bytes gauge\nbackup_size_bytes 100\n"));
    s.add(Step.of("PUT", "/metrics/job/typecheck/instance/b", "other_b 1\n"));
    s.add(Step.of("PUT", "/metrics/job/typecheck/instance/b", "# TYPE backup_size_bytes counter\nbackup_size_bytes 200\n"));
    s.add(Step.of("PUT", "/metrics/job/typecheck/instance/b", "backup_size_bytes 300\n"));
    s.add(Step.of("PUT", "/metrics/job/typecheck/instance/d", "# TYPE backup_size_bytes gauge\nbackup_size_bytes 400\n"));
    s.add(Step.of("PUT", "/metrics/job/labels/instance/i10", "conf_metric{instance=\"other\"} 1\n"));
    s.add(Step.of("PUT", "/metrics/job/labels/instance/i11", "conf_metric{job=\"otherjob\"} 1\n"));
    s.add(Step.of("PUT", "/metrics/job/labels2", "conf_metric2{instance=\"fromBody\"} 1\n"));
    s.add(Step.of("PUT", "/metrics/job/labels/instance/i13", "conf_metric{instance=\"i13\"} 1\n"));
    s.add(Step.of("PUT", "/metrics/job/labels/instance/i14", "conf_metric{job=\"labels\"} 1\n"));
    s.add(Step.of("PUT", "/metrics/job/bad/instance/x", "x_ok 1\n"));
    s.add(Step.of("PUT", "/metrics/job/bad/instance/x", "1bad_name 1\n"));
    s.add(Step.of("PUT", "/metrics/job/bad/instance/x", "bad-name 1\n"));
    s.add(Step.of("PUT", "/metrics/job/bad/instance/colon", "good:name 1\n"));
    s.add(Step.of("PUT", "/metrics/job/bad/instance/x", "m{bad-label=\"x\"} 1\n"));
    s.add(Step.of("PUT", "/metrics/job/bad/instance/x", "m_reserved{__bad=\"x\"} 1\n"));
    s.add(Step.of("PUT", "/metrics/job/bad/instance/x", "m_val abc\n"));
    s.add(Step.of("PUT", "/metrics/job/bad/instance/dup", "m_dup_ok 1\n"));
    s.add(Step.of("PUT", "/metrics/job/bad/instance/dup", "m_dup{a=\"1\"} 1\nm_dup{a=\"1\"} 2\n"));
    s.add(Step.of("PUT", "/metrics/job/bad/instance/split", "m_split{a=\"1\"} 1\nother_m 5\nm_split{a=\"2\"} 2\n"));
    s.add(Step.of("PUT", "/metrics/job/bad/instance/late", "m_late 1\n# TYPE m_late gauge\n"));
    s.add(Step.of("PUT", "/metrics/job/bad/instance/special", "m_nan NaN\nm_pinf +Inf\nm_ninf -Inf\nm_big 1e308\nm_neg -0.5\n"));
    s.add(Step.of("PUT", "/metrics/job/bad/instance/esc", """
        # HELP m_esc Help with backslash \\\\ and newline \\n end.
        # TYPE m_esc gauge
        m_esc{path="C:\\\\dir",q="say \\"hi\\"",nl="a\\nb"} 1
        """));
    s.add(Step.of("PUT", "/metrics/job/bad/instance/reserved", "# TYPE push_time_seconds gauge\npush_time_seconds 5\n"));
    s.add(Step.of("PUT", "/metrics/job/hist/instance/h", """
        # HELP backup_duration_seconds Duration histogram.
        # TYPE backup_duration_seconds histogram
        backup_duration_seconds_bucket{le="1"} 1
        backup_duration_seconds_bucket{le="10"} 3
        backup_duration_seconds_bucket{le="+Inf"} 4
        backup_duration_seconds_sum 42.5
        backup_duration_seconds_count 4
        # TYPE backup_latency_seconds summary
        backup_latency_seconds{quantile="0.5"} 0.2
        backup_latency_seconds{quantile="0.99"} 1.5
        backup_latency_seconds_sum 10
        backup_latency_seconds_count 20
        """));
    s.add(Step.of("PUT", "/metrics/job/hist/instance/noinf", "# TYPE h2 histogram\nh2_bucket{le=\"1\"} 1\nh2_sum 1\nh2_count 1\n"));
    s.add(Step.of("PUT", "/metrics/job/body/instance/i1", "bad-name 1\n"));
    s.add(Step.of("PUT", "/metrics/job/body/instance/i1", "restic_files_new{host=\"h1\"} 1 1700000000000\n"));
    s.add(Step.of("POST", "/metrics/job/body/instance/i1", "restic_files_new{host=\"h1\"} 13\n"));
    // 5. protobuf
    byte[] proto = Base64.getMimeDecoder().decode(Fixtures.fixtureText("pushgateway/push-body-protobuf-delimited.b64"));
    s.add(new Step("PUT", "/metrics/job/proto/instance/p1", proto, PROTO));
    s.add(new Step("PUT", "/metrics/job/proto/instance/p1", ProtoBodies.withTimestamp(proto), PROTO));
    // 8. a type change within one group
    s.add(Step.of("PUT", "/metrics/job/tc/instance/x", "# TYPE typechange_metric gauge\ntypechange_metric 1\n"));
    s.add(Step.of("POST", "/metrics/job/tc/instance/x", "# TYPE typechange_metric counter\ntypechange_metric 2\n"));
    s.add(Step.of("POST", "/metrics/job/tc/instance/x",
        "# TYPE typechange_metric gauge\ntypechange_metric 3\nother_family 1 1700000000000\n"));
    // the fixture bodies (restic_backup_files_total is a gauge there, a counter in the protobuf body)
    s.add(Step.of("DELETE", "/metrics/job/proto/instance/p1", null));
    s.add(Step.of("PUT", "/metrics/job/restic/instance/host1/repo@base64/czM6YnVja2V0L3BhdGg=",
        Fixtures.fixtureText("pushgateway/push-body-restic-backup.txt")));
    s.add(Step.of("PUT", "/metrics/job/k10/namespace/default", Fixtures.fixtureText("pushgateway/push-body-k10-histogram-summary.txt")));
    s.add(Step.of("POST", "/metrics/job/stash", Fixtures.fixtureText("pushgateway/push-body-untyped-no-help.txt")));
    s.add(Step.of("DELETE", "/metrics/job/tc/instance/x", null));
    return s;
  }
}
