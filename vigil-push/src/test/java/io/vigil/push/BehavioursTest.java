package io.vigil.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.exposition.ExpositionFormat;
import io.vigil.exposition.ExpositionParser;
import io.vigil.exposition.FamilyCollector;
import io.vigil.exposition.ParserOptions;
import io.vigil.testkit.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * One test per numbered item of ../shared/fixtures/pushgateway/BEHAVIOURS.md, with the requests and
 * expected results of http-transcript.md (section numbers in the comments). MATCH items expect what
 * Pushgateway 1.5.1 answered; BETTER items what the behaviour list asks instead. Durability (22, 23)
 * is tested here on the store's own terms and in {@link CrashTest} with kill -9.
 */
class BehavioursTest {
  @TempDir
  Path dir;
  PushServer s;

  @BeforeEach
  void start() throws Exception {
    s = PushServer.start(PushServer.options(dir));
  }

  @AfterEach
  void stop() throws Exception {
    if (s != null) {
      s.close();
    }
  }

  private void ok(Http.Response r) {
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
  }

  private void rejected(Http.Response r, int status, String message) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.body()).isEqualTo(message + "\n");
    assertThat(r.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
  }

  private static final String PUSH_HELP = """
      # HELP push_failure_time_seconds Last Unix time when changing this group in the Pushgateway failed.
      # TYPE push_failure_time_seconds gauge
      """;

  @Test
  void b01_putReplacesTheWholeGroup() {
    // 1.1
    ok(s.put("/metrics/job/backup/instance/host1", """
        # HELP backup_last_success_timestamp_seconds Last successful backup.
        # TYPE backup_last_success_timestamp_seconds gauge
        backup_last_success_timestamp_seconds 1.7e+09
        # HELP backup_bytes_total Bytes backed up.
        # TYPE backup_bytes_total counter
        backup_bytes_total{repo="r1"} 1024
        backup_bytes_total{repo="r2"} 2048
        """));
    assertThat(s.userMetrics()).isEqualTo("""
        # HELP backup_bytes_total Bytes backed up.
        # TYPE backup_bytes_total counter
        backup_bytes_total{instance="host1",job="backup",repo="r1"} 1024
        backup_bytes_total{instance="host1",job="backup",repo="r2"} 2048
        # HELP backup_last_success_timestamp_seconds Last successful backup.
        # TYPE backup_last_success_timestamp_seconds gauge
        backup_last_success_timestamp_seconds{instance="host1",job="backup"} 1.7e+09
        """ + PUSH_HELP + """
        push_failure_time_seconds{instance="host1",job="backup"} 0
        # HELP push_time_seconds Last Unix time when changing this group in the Pushgateway succeeded.
        # TYPE push_time_seconds gauge
        push_time_seconds{instance="host1",job="backup"} T
        """);
    // 1.3: a PUT with one family replaces all of them; other groups are untouched
    ok(s.put("/metrics/job/backup/instance/other", "a 1\n"));
    ok(s.put("/metrics/job/backup/instance/host1", "backup_duration_seconds 99\n"));
    assertThat(s.userMetrics()).isEqualTo("""
        # TYPE a untyped
        a{instance="other",job="backup"} 1
        # TYPE backup_duration_seconds untyped
        backup_duration_seconds{instance="host1",job="backup"} 99
        """ + PUSH_HELP + """
        push_failure_time_seconds{instance="host1",job="backup"} 0
        push_failure_time_seconds{instance="other",job="backup"} 0
        # HELP push_time_seconds Last Unix time when changing this group in the Pushgateway succeeded.
        # TYPE push_time_seconds gauge
        push_time_seconds{instance="host1",job="backup"} T
        push_time_seconds{instance="other",job="backup"} T
        """);
  }

  @Test
  void b02_postReplacesOnlyFamiliesOfTheSameName() {
    ok(s.put("/metrics/job/backup/instance/host1", """
        # HELP backup_last_success_timestamp_seconds Last successful backup.
        # TYPE backup_last_success_timestamp_seconds gauge
        backup_last_success_timestamp_seconds 1.7e+09
        # HELP backup_bytes_total Bytes backed up.
        # TYPE backup_bytes_total counter
        backup_bytes_total{repo="r1"} 1024
        backup_bytes_total{repo="r2"} 2048
        """));
    // 1.2: the whole family backup_bytes_total is replaced (r1, r2 gone) and loses its HELP
    ok(s.post("/metrics/job/backup/instance/host1", """
        # TYPE backup_duration_seconds gauge
        backup_duration_seconds 12.5
        # TYPE backup_bytes_total counter
        backup_bytes_total{repo="r3"} 4096
        """));
    assertThat(s.userMetrics()).startsWith("""
        # TYPE backup_bytes_total counter
        backup_bytes_total{instance="host1",job="backup",repo="r3"} 4096
        # TYPE backup_duration_seconds gauge
        backup_duration_seconds{instance="host1",job="backup"} 12.5
        # HELP backup_last_success_timestamp_seconds Last successful backup.
        # TYPE backup_last_success_timestamp_seconds gauge
        backup_last_success_timestamp_seconds{instance="host1",job="backup"} 1.7e+09
        # HELP push_failure_time_seconds""");
  }

  @Test
  void b03_deleteEmptyPutAndEmptyPost() {
    ok(s.put("/metrics/job/backup/instance/host1", "backup_duration_seconds 99\n"));
    double t0 = pushTime("backup", "host1");
    // 1.4: POST with an empty body: only push_time_seconds changes
    ok(s.post("/metrics/job/backup/instance/host1", ""));
    assertThat(s.userMetrics()).contains("backup_duration_seconds{instance=\"host1\",job=\"backup\"} 99\n");
    double t1 = pushTime("backup", "host1");
    assertThat(t1).isGreaterThan(t0);
    // 1.5: PUT with an empty body: the group stays, without user metrics
    ok(s.put("/metrics/job/backup/instance/host1", ""));
    assertThat(s.userMetrics()).isEqualTo(PUSH_HELP + """
        push_failure_time_seconds{instance="host1",job="backup"} 0
        # HELP push_time_seconds Last Unix time when changing this group in the Pushgateway succeeded.
        # TYPE push_time_seconds gauge
        push_time_seconds{instance="host1",job="backup"} T
        """);
    assertThat(pushTime("backup", "host1")).isGreaterThan(t1);
    // 1.6, 1.7: DELETE → 202 with an empty body, also when the group does not exist
    Http.Response d = s.delete("/metrics/job/backup/instance/host1");
    assertThat(d.status()).isEqualTo(202);
    assertThat(d.body()).isEmpty();
    assertThat(s.userMetrics()).isEmpty();
    assertThat(s.delete("/metrics/job/nosuchjob/instance/x").status()).isEqualTo(202);
    // 1.8: POST with an empty body to a new key creates a group with only the push times
    ok(s.post("/metrics/job/emptyjob", ""));
    assertThat(s.userMetrics()).isEqualTo(PUSH_HELP + """
        push_failure_time_seconds{instance="",job="emptyjob"} 0
        # HELP push_time_seconds Last Unix time when changing this group in the Pushgateway succeeded.
        # TYPE push_time_seconds gauge
        push_time_seconds{instance="",job="emptyjob"} T
        """);
    // 1.9-1.11: DELETE removes exactly that key, not the groups below it
    ok(s.put("/metrics/job/nightly", "a_metric 1\n"));
    ok(s.put("/metrics/job/nightly/instance/h2", "a_metric 2\n"));
    assertThat(s.delete("/metrics/job/nightly").status()).isEqualTo(202);
    assertThat(s.userMetrics()).startsWith("""
        # TYPE a_metric untyped
        a_metric{instance="h2",job="nightly"} 2
        """);
  }

  private double pushTime(String job, String instance) {
    for (String line : s.metrics().split("\n")) {
      if (line.startsWith("push_time_seconds{instance=\"" + instance + "\",job=\"" + job + "\"}")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    throw new AssertionError("no push_time_seconds for " + job + "/" + instance);
  }

  @Test
  void b04_wrongMethodsAndWipe() {
    ok(s.put("/metrics/job/nightly/instance/h2", "a_metric 2\n"));
    for (String base : List.of(s.mainUrl(), s.gatewayUrl())) {
      // 1.12, 1.13, 2.23
      rejected(Http.get(base + "/metrics/job/nightly/instance/h2"), 405, "Method Not Allowed");
      rejected(Http.send("PATCH", base + "/metrics/job/nightly/instance/h2", "a_metric 3\n"), 405, "Method Not Allowed");
      rejected(Http.send("PUT", base + "/metrics", "m_gk 1\n"), 405, "Method Not Allowed");
      // 3.2
      rejected(Http.send("POST", base + "/api/v1/admin/wipe", ""), 405, "Method Not Allowed");
    }
    // 3.1
    Http.Response w = Http.send("PUT", s.mainUrl() + "/api/v1/admin/wipe", "");
    assertThat(w.status()).isEqualTo(202);
    assertThat(w.body()).isEmpty();
    assertThat(s.userMetrics()).isEmpty();
    assertThat(s.service.groupCount()).isZero();
  }

  @Test
  void b05_aPushIsAtomic() {
    ok(s.put("/metrics/job/tc/instance/x", "# TYPE typechange_metric counter\ntypechange_metric 2\n"));
    String before = s.metrics();
    // 8.3: the first family is fine, the second has a timestamp: nothing of the body is applied
    rejected(s.post("/metrics/job/tc/instance/x", """
        # TYPE typechange_metric gauge
        typechange_metric 3
        other_family 1 1700000000000
        """), 400, "pushed metrics are invalid or inconsistent with existing metrics: pushed metrics must not have timestamps");
    String after = Expositions.userLines(s.metrics());
    assertThat(after).contains("# TYPE typechange_metric counter\ntypechange_metric{instance=\"x\",job=\"tc\"} 2\n")
        .doesNotContain("other_family");
    // a syntax error on the last line: the lines before it are not applied either, and nothing changes
    rejected(s.put("/metrics/job/tc/instance/x", "good_metric 1\nbad-name 1\n"), 400,
        "text format parsing error in line 2, column 4: expected a number, NaN, +Inf or -Inf as sample value, found \"-name\"");
    assertThat(Expositions.userLines(s.metrics())).isEqualTo(after).doesNotContain("good_metric");
    assertThat(before).isNotNull();
  }

  @Test
  void b06_base64urlValues() {
    ok(s.put("/metrics/job/restic/path@base64/L3Zhci90bXA=", "m_one 1\n"));      // 2.1
    ok(s.put("/metrics/job@base64/YS9i", "m_two 2\n"));                           // 2.2
    ok(s.put("/metrics/job/b64/v@base64/YWI-Pw==", "m_b64 1\n"));                 // 2.12
    ok(s.put("/metrics/job/b64/v2@base64/YWI-Pw", "m_b64 2\n"));                  // 2.13, no padding
    assertThat(s.userMetrics()).startsWith("""
        # TYPE m_b64 untyped
        m_b64{instance="",job="b64",v="ab>?"} 1
        m_b64{instance="",job="b64",v2="ab>?"} 2
        # TYPE m_one untyped
        m_one{instance="",job="restic",path="/var/tmp"} 1
        # TYPE m_two untyped
        m_two{instance="",job="a/b"} 2
        """);
    // 2.7, 2.8
    rejected(s.put("/metrics/job/b64/v3@base64/YWI+", "m_b64 3\n"), 400,
        "invalid base64 encoding for label v3=\"YWI+\": illegal base64 data at input byte 3");
    rejected(s.put("/metrics/job/b64/v4@base64/!!!", "m_b64 4\n"), 400,
        "invalid base64 encoding for label v4=\"!!!\": illegal base64 data at input byte 0");
    assertThat(s.service.groupCount()).isEqualTo(4);
  }

  @Test
  void b07_pathErrorsRepeatedNamesAndJob() {
    rejected(s.put("/metrics/job/gk/instance", "m_gk 1\n"), 400, "odd number of components in label string \"/instance\"");
    rejected(s.put("/metrics/job/gk/in-valid/v", "m_gk 1\n"), 400, "improper label name \"in-valid\"");
    rejected(s.put("/metrics/job/gk/__foo/v", "m_gk 1\n"), 400, "improper label name \"__foo\"");
    rejected(s.put("/metrics/job@base64/=", "m_gk 1\n"), 400, "job name is required");
    assertThat(s.service.groupCount()).isZero();
    ok(s.put("/metrics/job/gk/a/1/a/2", "m_gk 1\n"));     // 2.20: the last value wins
    ok(s.put("/metrics/job/gk/job/other", "m_gk 1\n"));   // 2.28: the first job wins
    assertThat(s.userMetrics()).startsWith("""
        # TYPE m_gk untyped
        m_gk{instance="",job="gk"} 1
        m_gk{a="2",instance="",job="gk"} 1
        """);
  }

  @Test
  void b08_percentEncodedValues() {
    ok(s.put("/metrics/job/gk/host/my%20h%C3%B6st", "m_gk 2\n"));   // 2.22
    ok(s.put("/metrics/job/gk/path/%2Fvar%2Ftmp", "m_gk 1\n"));     // a raw %2F is part of the value
    assertThat(s.userMetrics()).startsWith("""
        # TYPE m_gk untyped
        m_gk{instance="",job="gk",path="/var/tmp"} 1
        m_gk{host="my höst",instance="",job="gk"} 2
        """);
    assertThat(s.service.groups()).extracting(PushGroupInfo::groupingKey)
        .containsExactly(java.util.Map.of("job", "gk", "host", "my höst"), java.util.Map.of("job", "gk", "path", "/var/tmp"));
  }

  @Test
  void b09_emptyValueMeansNoLabel() {
    // The first sequence of BEHAVIOURS.md 9: both are the group {job="restic"}, the second replaces the first
    ok(s.put("/metrics/job/restic/instance@base64/=", "m_three 3\n"));
    ok(s.put("/metrics/job/restic", "m_four 4\n"));
    assertThat(s.service.groupCount()).isEqualTo(1);
    assertThat(s.userMetrics()).isEqualTo("""
        # TYPE m_four untyped
        m_four{instance="",job="restic"} 4
        """ + PUSH_HELP + """
        push_failure_time_seconds{instance="",job="restic"} 0
        # HELP push_time_seconds Last Unix time when changing this group in the Pushgateway succeeded.
        # TYPE push_time_seconds gauge
        push_time_seconds{instance="",job="restic"} T
        """);
    // The second sequence: a trailing slash (empty instance), then a job given twice
    ok(s.put("/metrics/job/gk/instance/", "m_gk 1\n"));
    ok(s.put("/metrics/job/gk/job/other", "m_gk 2\n"));
    assertThat(s.service.groupCount()).isEqualTo(2);
    // Nothing is poisoned: other groups still take pushes and the exposition stays valid
    ok(s.put("/metrics/job/b64/v@base64/YWI-Pw==", "m_b64 1\n"));
    ok(s.put("/metrics/job/gk/x@base64/YQ", "m_gk 3\n"));
    assertValidExposition(s.metrics());
    assertThat(s.userMetrics()).contains("m_gk{instance=\"\",job=\"gk\"} 2\nm_gk{instance=\"\",job=\"gk\",x=\"a\"} 3\n");
  }

  static void assertValidExposition(String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    try {
      FamilyCollector.collect(ExpositionParser.create(ExpositionFormat.PROMETHEUS_TEXT, b, 0, b.length,
          ParserOptions.DEFAULTS.withStrictEscapes(true)));
    } catch (Exception e) {
      throw new AssertionError("invalid exposition: " + e.getMessage() + "\n" + text, e);
    }
  }

  @Test
  void b10_bodyFormats() {
    // 5.1: protobuf-delimited, as the Content-Type says
    byte[] proto = Base64.getMimeDecoder().decode(Fixtures.fixtureText("pushgateway/push-body-protobuf-delimited.b64"));
    Http.Response r = Http.send("PUT", s.mainUrl() + "/metrics/job/proto/instance/p1", proto,
        "Content-Type", "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited");
    ok(r);
    assertThat(s.userMetrics()).endsWith("""
        # HELP restic_backup_files_total Files processed (protobuf push).
        # TYPE restic_backup_files_total counter
        restic_backup_files_total{instance="p1",job="proto",repo="r1"} 42
        # HELP restic_backup_last_run_timestamp_seconds Last run.
        # TYPE restic_backup_last_run_timestamp_seconds gauge
        restic_backup_last_run_timestamp_seconds{instance="p1",job="proto"} 1.7e+09
        """);
    // 5.3: the same bytes as text: a parse error with a line number, nothing changes
    r = Http.send("PUT", s.mainUrl() + "/metrics/job/proto/instance/p1", proto, "Content-Type", "text/plain");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).startsWith("text format parsing error in line 1");
    // 5.5: OpenMetrics
    ok(Http.send("PUT", s.mainUrl() + "/metrics/job/om", "# TYPE om_runs counter\nom_runs_total 3\n# EOF\n",
        "Content-Type", "application/openmetrics-text; version=1.0.0; charset=utf-8"));
    assertThat(s.userMetrics()).contains("# TYPE om_runs_total counter\nom_runs_total{instance=\"\",job=\"om\"} 3\n");
    // 4.30, 4.35: a parse error leaves push_failure_time_seconds alone
    ok(s.put("/metrics/job/body/instance/i1", "restic_files_new{host=\"h1\"} 12\n"));
    rejected(s.put("/metrics/job/body/instance/i1", "bad-name 1\n"), 400,
        "text format parsing error in line 1, column 4: expected a number, NaN, +Inf or -Inf as sample value, found \"-name\"");
    assertThat(s.metrics()).contains("push_failure_time_seconds{instance=\"i1\",job=\"body\"} 0\n");
    // 4.33: nor does it create a group
    rejected(s.put("/metrics/job/body/instance/parsefail", "bad-name 1\n"), 400,
        "text format parsing error in line 1, column 4: expected a number, NaN, +Inf or -Inf as sample value, found \"-name\"");
    assertThat(s.metrics()).doesNotContain("parsefail");
  }

  @Test
  void b11_timestampsRejectTheWholePush() {
    String msg = "pushed metrics are invalid or inconsistent with existing metrics: pushed metrics must not have timestamps";
    rejected(s.put("/metrics/job/body/instance/i2", "ts_metric 1 1700000000000\n"), 400, msg);   // 4.2
    rejected(s.put("/metrics/job/body/instance/i3", """
        # TYPE ts_metric2 gauge
        ts_metric2{a="1"} 1
        ts_metric2{a="2"} 2 1700000000000
        """), 400, msg);                                                                          // 4.3
    // 5.2: protobuf with timestamp_ms on the counter
    byte[] proto = Base64.getMimeDecoder().decode(Fixtures.fixtureText("pushgateway/push-body-protobuf-delimited.b64"));
    byte[] withTs = ProtoBodies.withTimestamp(proto);
    rejected(Http.send("PUT", s.mainUrl() + "/metrics/job/proto/instance/p1", withTs,
        "Content-Type", "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited"), 400, msg);
    assertThat(s.service.groupCount()).isZero();
  }

  @Test
  void b12_untypedAndNoHelp() {
    ok(s.post("/metrics/job/stash", Fixtures.fixtureText("pushgateway/push-body-untyped-no-help.txt")));
    assertThat(s.userMetrics()).startsWith(PUSH_HELP).endsWith("""
        # TYPE stash_backup_session_duration_seconds untyped
        stash_backup_session_duration_seconds{instance="",invoker="daily-backup",job="stash"} 42
        # TYPE stash_backup_session_success untyped
        stash_backup_session_success{instance="",invoker="daily-backup",job="stash"} 1
        """);
  }

  @Test
  void b13_groupingLabelsOverrideBodyLabels() {
    ok(s.put("/metrics/job/labels/instance/i10", "conf_metric{instance=\"other\"} 1\n"));   // 4.10
    ok(s.put("/metrics/job/labels/instance/i11", "conf_metric{job=\"otherjob\"} 1\n"));     // 4.11
    ok(s.put("/metrics/job/labels2", "conf_metric2{instance=\"fromBody\"} 1\n"));           // 4.12
    ok(s.put("/metrics/job/labels/instance/i13", "conf_metric{instance=\"i13\"} 1\n"));     // 4.13
    assertThat(s.userMetrics()).startsWith("""
        # TYPE conf_metric untyped
        conf_metric{instance="i10",job="labels"} 1
        conf_metric{instance="i11",job="labels"} 1
        conf_metric{instance="i13",job="labels"} 1
        # TYPE conf_metric2 untyped
        conf_metric2{instance="fromBody",job="labels2"} 1
        """);
  }

  @Test
  void b14_reservedLabelsDuplicatesAndSplitFamilies() {
    Http.Response r = s.put("/metrics/job/bad/instance/x", "m_reserved{__bad=\"x\"} 1\n");   // 4.19
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).startsWith("pushed metrics are invalid or inconsistent with existing metrics: ")
        .contains("has a label with an invalid name: __bad");
    r = s.put("/metrics/job/bad/instance/dup", "m_dup{a=\"1\"} 1\nm_dup{a=\"1\"} 2\n");           // 4.22
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).startsWith("pushed metrics are invalid or inconsistent with existing metrics: ")
        .contains("duplicate sample m_dup{a=\"1\"}");
    // the same series twice once the grouping label overrides the body's
    r = s.put("/metrics/job/bad/instance/dup", "m_dup{instance=\"a\"} 1\nm_dup{instance=\"b\"} 2\n");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).contains("was pushed twice");
    ok(s.put("/metrics/job/bad/instance/split", "m_split{a=\"1\"} 1\nother_m 5\nm_split{a=\"2\"} 2\n"));   // 4.23
    assertThat(s.userMetrics()).startsWith("""
        # TYPE m_split untyped
        m_split{a="1",instance="split",job="bad"} 1
        m_split{a="2",instance="split",job="bad"} 2
        # TYPE other_m untyped
        other_m{instance="split",job="bad"} 5
        """);
  }

  @Test
  void b15_specialValuesEscapesHistogramsAndReservedNames() {
    ok(s.put("/metrics/job/bad/instance/special", "m_nan NaN\nm_pinf +Inf\nm_ninf -Inf\nm_big 1e308\nm_neg -0.5\n"));
    ok(s.put("/metrics/job/bad/instance/esc", """
        # HELP m_esc Help with backslash \\\\ and newline \\n end.
        # TYPE m_esc gauge
        m_esc{path="C:\\\\dir",q="say \\"hi\\"",nl="a\\nb"} 1
        """));
    ok(s.put("/metrics/job/hist/instance/noinf", "# TYPE h2 histogram\nh2_bucket{le=\"1\"} 1\nh2_sum 1\nh2_count 1\n"));
    ok(s.put("/metrics/job/bad/instance/colon", "good:name 1\n"));
    ok(s.put("/metrics/job/bad/instance/reserved", "# TYPE push_time_seconds gauge\npush_time_seconds 5\n"));
    String m = s.userMetrics();
    assertThat(m).contains("""
        # TYPE good:name untyped
        good:name{instance="colon",job="bad"} 1
        # TYPE h2 histogram
        h2_bucket{instance="noinf",job="hist",le="1"} 1
        h2_bucket{instance="noinf",job="hist",le="+Inf"} 1
        h2_sum{instance="noinf",job="hist"} 1
        h2_count{instance="noinf",job="hist"} 1
        # TYPE m_big untyped
        m_big{instance="special",job="bad"} 1e+308
        # HELP m_esc Help with backslash \\\\ and newline \\n end.
        # TYPE m_esc gauge
        m_esc{instance="esc",job="bad",nl="a\\nb",path="C:\\\\dir",q="say \\"hi\\""} 1
        # TYPE m_nan untyped
        m_nan{instance="special",job="bad"} NaN
        # TYPE m_neg untyped
        m_neg{instance="special",job="bad"} -0.5
        # TYPE m_ninf untyped
        m_ninf{instance="special",job="bad"} -Inf
        # TYPE m_pinf untyped
        m_pinf{instance="special",job="bad"} +Inf
        """);
    // 4.27: the pushed push_time_seconds is replaced by the store's own
    assertThat(m).contains("push_time_seconds{instance=\"reserved\",job=\"bad\"} T\n").doesNotContain(" 5\n");
  }

  @Test
  void b16_typeConflictAcrossGroups() {
    ok(s.put("/metrics/job/typecheck/instance/a", "# TYPE backup_size_bytes gauge\nbackup_size_bytes 100\n"));   // 4.4
    String before = s.userMetrics();
    Http.Response r = s.put("/metrics/job/typecheck/instance/b", "# TYPE backup_size_bytes counter\nbackup_size_bytes 200\n");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).isEqualTo("pushed metrics are invalid or inconsistent with existing metrics: metric "
        + "backup_size_bytes is pushed as counter but is a gauge elsewhere; a metric name has one type\n");
    r = s.put("/metrics/job/typecheck/instance/c", "backup_size_bytes 300\n");                                    // 4.6
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).contains("metric backup_size_bytes is pushed as untyped but is a gauge elsewhere");
    assertThat(s.userMetrics()).isEqualTo(before);
    // the same name may change type within its only group (8.2)
    ok(s.post("/metrics/job/typecheck/instance/a", "# TYPE backup_size_bytes counter\nbackup_size_bytes 200\n"));
    assertThat(s.userMetrics()).startsWith("# TYPE backup_size_bytes counter\n");
    // a histogram's sample names are taken too
    ok(s.put("/metrics/job/h/instance/a", "# TYPE dur histogram\ndur_bucket{le=\"1\"} 1\ndur_sum 1\ndur_count 1\n"));
    r = s.put("/metrics/job/h/instance/b", "dur_count 3\n");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).contains("metric dur_count (untyped) collides with the histogram dur");
  }

  @Test
  void b17_inconsistentPushCreatesNoGroupAndSetsFailureTimeOnExisting() {
    ok(s.put("/metrics/job/typecheck/instance/a", "# TYPE backup_size_bytes gauge\nbackup_size_bytes 100\n"));
    // BETTER: a rejected push to a new key creates nothing (the Pushgateway creates an empty group)
    assertThat(s.put("/metrics/job/typecheck/instance/b", "# TYPE backup_size_bytes counter\nbackup_size_bytes 200\n")
        .status()).isEqualTo(400);
    assertThat(s.put("/metrics/job/body/instance/tsfail", "x_ts 1 1700000000000\n").status()).isEqualTo(400);
    assertThat(s.service.groupCount()).isEqualTo(1);
    // MATCH: on an existing group the metrics and push_time_seconds stay, push_failure_time_seconds is set
    ok(s.put("/metrics/job/body/instance/i1", "restic_files_new{host=\"h1\"} 12\nrestic_files_changed{host=\"h1\"} 3\n"));
    JsonNode before = group("body", "i1");
    assertThat(s.put("/metrics/job/body/instance/i1", "restic_files_new{host=\"h1\"} 1 1700000000000\n").status())
        .isEqualTo(400);
    JsonNode failed = group("body", "i1");
    assertThat(failed.get("last_push_successful").asBoolean()).isFalse();
    assertThat(value(failed, "push_time_seconds")).isEqualTo(value(before, "push_time_seconds"));
    assertThat(value(failed, "push_failure_time_seconds")).isGreaterThan(value(before, "push_time_seconds"));
    assertThat(failed.get("restic_files_new")).isEqualTo(before.get("restic_files_new"));
    // a later success keeps push_failure_time_seconds and makes last_push_successful true
    ok(s.post("/metrics/job/body/instance/i1", "restic_files_new{host=\"h1\"} 13\n"));
    JsonNode after = group("body", "i1");
    assertThat(after.get("last_push_successful").asBoolean()).isTrue();
    assertThat(value(after, "push_failure_time_seconds")).isEqualTo(value(failed, "push_failure_time_seconds"));
    assertThat(s.userMetrics()).contains("restic_files_changed{host=\"h1\",instance=\"i1\",job=\"body\"} 3\n",
        "restic_files_new{host=\"h1\",instance=\"i1\",job=\"body\"} 13\n");
  }

  private JsonNode group(String job, String instance) {
    JsonNode data = Json.parse(Http.get(s.mainUrl() + "/api/v1/metrics").body()).get("data");
    for (JsonNode g : data) {
      if (g.get("labels").path("job").asString().equals(job) && g.get("labels").path("instance").asString().equals(instance)) {
        return g;
      }
    }
    throw new AssertionError("no group " + job + "/" + instance + " in " + data);
  }

  private static double value(JsonNode group, String family) {
    return Double.parseDouble(group.get(family).get("metrics").get(0).get("value").asString());
  }

  @Test
  void b18_differentHelpIsAcceptedAndTheMostRecentWins() {
    ok(s.put("/metrics/job/helpcheck/instance/e", "# HELP help_test Help from e.\n# TYPE help_test gauge\nhelp_test 1\n"));
    ok(s.put("/metrics/job/helpcheck/instance/f", "# HELP help_test Help from f.\n# TYPE help_test gauge\nhelp_test 2\n"));
    assertThat(s.userMetrics()).startsWith("# HELP help_test Help from f.\n# TYPE help_test gauge\n");
    ok(s.put("/metrics/job/helpcheck/instance/e", "# HELP help_test Help from e again.\n# TYPE help_test gauge\nhelp_test 1\n"));
    for (int i = 0; i < 3; i++) {
      assertThat(s.userMetrics()).startsWith("# HELP help_test Help from e again.\n");
    }
    // the most recent push without HELP means no HELP
    ok(s.put("/metrics/job/helpcheck/instance/f", "# TYPE help_test gauge\nhelp_test 2\n"));
    assertThat(s.userMetrics()).startsWith("# TYPE help_test gauge\n");
  }

  @Test
  void b19_pushTimeGaugesCarryExactlyTheGroupingLabels() {
    ok(s.put("/metrics/job/k10/namespace/default", Fixtures.fixtureText("pushgateway/push-body-k10-histogram-summary.txt")));
    ok(s.put("/metrics/job/restic/instance/host1/repo@base64/czM6YnVja2V0L3BhdGg=",
        Fixtures.fixtureText("pushgateway/push-body-restic-backup.txt")));
    String m = s.userMetrics();
    assertThat(m).contains("""
        # HELP push_failure_time_seconds Last Unix time when changing this group in the Pushgateway failed.
        # TYPE push_failure_time_seconds gauge
        push_failure_time_seconds{instance="",job="k10",namespace="default"} 0
        push_failure_time_seconds{instance="host1",job="restic",repo="s3:bucket/path"} 0
        # HELP push_time_seconds Last Unix time when changing this group in the Pushgateway succeeded.
        # TYPE push_time_seconds gauge
        push_time_seconds{instance="",job="k10",namespace="default"} T
        push_time_seconds{instance="host1",job="restic",repo="s3:bucket/path"} T
        """);
    // Unix seconds with a fraction, close to now
    double t = Double.parseDouble(s.metrics().lines().filter(l -> l.startsWith("push_time_seconds{instance=\"\",job=\"k10\""))
        .findFirst().orElseThrow().split(" ")[1]);
    assertThat(t).isCloseTo(System.currentTimeMillis() / 1000.0, org.assertj.core.data.Offset.offset(60.0));
    assertThat(t).isNotEqualTo(Math.rint(t));
  }

  @Test
  void b20_exposition() {
    pushFixtureState();
    Http.Response r = Http.get(s.gatewayUrl() + "/metrics");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type")).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    // The fixture without the group the failed push created in the Pushgateway (BETTER 17)
    String expected = Expositions.userLines(Fixtures.fixtureText("pushgateway/metrics-full.txt")).lines()
        .filter(l -> !l.contains("instance=\"host2\"")).reduce("", (a, b) -> a + b + "\n");
    assertThat(Expositions.userLines(r.body())).isEqualTo(expected);
    // Vigil's own metrics are mixed in, in name order
    assertThat(r.body()).contains("# TYPE vigil_push_groups gauge\nvigil_push_groups 3\n");
    List<String> typeNames = r.body().lines().filter(l -> l.startsWith("# TYPE ")).map(l -> l.split(" ")[2]).toList();
    assertThat(typeNames).isSorted().doesNotHaveDuplicates();
    assertValidExposition(r.body());
  }

  /** The three pushes of fixtures/README.md plus the failed one; returns nothing, asserts each status. */
  void pushFixtureState() {
    ok(s.put("/metrics/job/restic/instance/host1/repo@base64/czM6YnVja2V0L3BhdGg=",
        Fixtures.fixtureText("pushgateway/push-body-restic-backup.txt")));
    ok(s.put("/metrics/job/k10/namespace/default", Fixtures.fixtureText("pushgateway/push-body-k10-histogram-summary.txt")));
    ok(s.post("/metrics/job/stash", Fixtures.fixtureText("pushgateway/push-body-untyped-no-help.txt")));
    assertThat(s.put("/metrics/job/restic/instance/host2", "# TYPE restic_backup_duration_seconds counter\n"
        + "restic_backup_duration_seconds 1\n").status()).isEqualTo(400);
  }

  @Test
  void b21_jsonApis() {
    pushFixtureState();
    Http.Response r = Http.get(s.mainUrl() + "/api/v1/metrics");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type")).isEqualTo("application/json");
    JsonNode expected = Json.parse(Fixtures.fixtureText("pushgateway/api-v1-metrics.json"));
    assertThat(Json.normalizedGroups(Json.parse(r.body())))
        .isEqualTo(Json.normalizedGroups(expected, g -> !g.get("labels").path("instance").asString().equals("host2")));
    // keys in Go's map order (sorted), as in the fixture
    String body = r.body();
    assertThat(body.indexOf("\"k10_actions_total\"")).isLessThan(body.indexOf("\"labels\":{\"job\":\"k10\""));
    JsonNode status = Json.parse(Http.get(s.mainUrl() + "/api/v1/status").body());
    JsonNode fixture = Json.parse(Fixtures.fixtureText("pushgateway/api-v1-status.json"));
    assertThat(status.get("status").asString()).isEqualTo("success");
    assertThat(Json.fieldNames(status.get("data"))).isEqualTo(Json.fieldNames(fixture.get("data")));
    assertThat(Json.fieldNames(status.get("data").get("build_information")))
        .isEqualTo(Json.fieldNames(fixture.get("data").get("build_information")));
    status.get("data").get("flags").forEach(v -> assertThat(v.isString()).isTrue());
    assertThat(status.get("data").get("start_time").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
  }

  @Test
  void b22_anAcknowledgedChangeIsOnDiskWithItsPushTime() throws Exception {
    ok(s.put("/metrics/job/nfs_backup/instance/a", "restic_backup_processed_files 12\n"));
    ok(s.put("/metrics/job/nfs_backup/instance/b", "restic_backup_processed_files 13\n"));
    assertThat(s.delete("/metrics/job/nfs_backup/instance/b").status()).isEqualTo(202);
    String before = s.metrics();
    String beforeApi = Http.get(s.mainUrl() + "/api/v1/metrics").body();
    // Read the journal as it is on disk now, while the server still runs: it already holds the state.
    var replayed = new java.util.LinkedHashMap<GroupingKey, PushGroup>();
    try (Journal j = JournalTestSupport.openCopy(dir, replayed)) {
      assertThat(replayed).hasSize(1);
      PushGroup g = replayed.values().iterator().next();
      assertThat(before).contains("push_time_seconds{instance=\"a\",job=\"nfs_backup\"} "
          + io.vigil.exposition.GoFloat.format(PushGroup.seconds(g.pushTimeNanos())) + "\n");
    }
    // And after a restart everything is identical, push times to the last bit
    s.close();
    s = PushServer.start(PushServer.options(dir));
    assertThat(Expositions.userLines(s.metrics())).isEqualTo(Expositions.userLines(before));
    assertThat(s.metrics().lines().filter(l -> l.startsWith("push_")).toList())
        .isEqualTo(before.lines().filter(l -> l.startsWith("push_")).toList());
    assertThat(Http.get(s.mainUrl() + "/api/v1/metrics").body()).isEqualTo(beforeApi);
  }

  @Test
  void b23_damageIsRecoveredLoggedCountedAndNeverSilentlyEmpty() throws Exception {
    for (int i = 0; i < 5; i++) {
      ok(s.put("/metrics/job/j/instance/i" + i, "m " + i + "\n"));
    }
    s.close();
    s = null;
    Path segment = JournalTestSupport.onlySegmentWithRecords(dir);
    List<Long> offsets = JournalTestSupport.recordOffsets(segment);
    JournalTestSupport.flipByte(segment, offsets.get(2) + 20); // inside the third record's payload
    s = PushServer.start(PushServer.options(dir));
    assertThat(s.service.groups()).extracting(g -> g.groupingKey().get("instance"))
        .containsExactly("i0", "i1", "i3", "i4");
    assertThat(s.metrics()).contains("vigil_push_journal_corrupt_records_total 1\n");
    // The damaged file is set aside, the recovered state is in a clean snapshot: a restart is quiet
    assertThat(java.nio.file.Files.exists(segment.resolveSibling(segment.getFileName() + ".damaged"))).isTrue();
    s.close();
    s = PushServer.start(PushServer.options(dir));
    assertThat(s.service.groupCount()).isEqualTo(4);
    assertThat(s.metrics()).contains("vigil_push_journal_corrupt_records_total 0\n");
  }
}
