package io.vigil.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.testkit.Fixtures;
import io.vigil.testkit.PeerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real curl commands of the transcript (src/test/resources/curl/push-transcript.sh) against Vigil. */
class CurlTest {
  @TempDir
  Path dir;

  /** Runs a script with $PUSHGATEWAY, $FIXTURES and $WORK set; returns its output. */
  private String run(Path script, PushServer s, Path work) throws Exception {
    Files.createDirectories(work);
    ProcessBuilder pb = new ProcessBuilder("sh", script.toString()).redirectErrorStream(true);
    pb.environment().put("PUSHGATEWAY", s.mainUrl());
    pb.environment().put("FIXTURES", Fixtures.fixture("pushgateway").toString());
    pb.environment().put("WORK", work.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  @Test
  void transcriptCommands() throws Exception {
    PeerProcess.requireBinary("curl");
    Path script = Path.of(getClass().getResource("/curl/push-transcript.sh").toURI());
    try (PushServer s = PushServer.start(PushServer.options(dir.resolve("push")))) {
      Path work = dir.resolve("work");
      String out = run(script, s, work);
      assertThat(out.lines().toList()).containsExactly(
          "1.1 200", "1.2 200", "1.9 200", "1.10 200", "1.11 202", "1.12 405", "2.1 200", "2.2 200", "2.12 200",
          "2.7 400", "2.17 400", "2.22 200", "4.2 400", "5.1 200", "1.15 202", "restic 200", "k10 200", "stash 200",
          "heredoc 200", "gzip 200", "3.1 202");
      assertThat(Files.readString(work.resolve("out.2.7")))
          .isEqualTo("invalid base64 encoding for label v3=\"YWI+\": illegal base64 data at input byte 3\n");
      assertThat(Files.readString(work.resolve("out.2.17"))).isEqualTo("odd number of components in label string \"/instance\"\n");
      assertThat(s.service.groupCount()).isZero(); // the wipe
    }
  }

  @Test
  void transcriptStateBeforeTheWipe() throws Exception {
    Path script = Path.of(getClass().getResource("/curl/push-transcript.sh").toURI());
    String withoutWipe = Files.readString(script).replace("req 3.1 PUT /api/v1/admin/wipe\n", "");
    Path copy = Files.writeString(dir.resolve("no-wipe.sh"), withoutWipe);
    try (PushServer s = PushServer.start(PushServer.options(dir.resolve("push")))) {
      run(copy, s, dir.resolve("work"));
      String m = s.userMetrics();
      assertThat(m).contains(
          "backup_bytes_total{instance=\"host1\",job=\"backup\",repo=\"r3\"} 4096\n",
          "m_one{instance=\"\",job=\"restic\",path=\"/var/tmp\"} 1\n",
          "m_two{instance=\"\",job=\"a/b\"} 2\n",
          "m_gk{host=\"my höst\",instance=\"\",job=\"gk\"} 2\n",
          "restic_backup_files_total{instance=\"host1\",job=\"restic\",repo=\"s3:bucket/path\",state=\"new\"} 120\n",
          "# HELP another_metric Just an example.\n# TYPE another_metric gauge\n"
              + "another_metric{instance=\"some_instance\",job=\"some_job\"} 2398.283\n",
          "some_metric{instance=\"some_instance\",job=\"some_job\",label=\"val1\"} 42\n",
          "gz_metric{instance=\"\",job=\"gz\"} 7\n",
          "k10_backup_duration_seconds_bucket{instance=\"\",job=\"k10\",namespace=\"default\",policy=\"daily\",le=\"300\"} 5\n");
      assertThat(m).doesNotContain("a_metric{instance=\"\",job=\"nightly\"}", "ts_metric");
      assertThat(s.service.groups()).hasSize(List.of("backup/host1", "nightly/h2", "restic/path", "a/b", "b64", "gk",
          "restic/host1", "k10", "stash", "some_job", "gz").size());
    }
  }
}
