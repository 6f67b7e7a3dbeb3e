package io.vigil.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every limit of {@link PushOptions}: a clear error, and nothing changes. */
class LimitsTest {
  @TempDir
  Path dir;

  @Test
  void limitsGiveClearErrorsAndChangeNothing() throws Exception {
    PushOptions options = PushServer.options(dir).withLimits(200, 5, 4, 10, 2);
    try (PushServer s = PushServer.start(options)) {
      assertThat(s.put("/metrics/job/j/instance/a", "m 1\n").status()).isEqualTo(200);
      String before = s.userMetrics();

      Http.Response r = s.put("/metrics/job/j/instance/a", "m " + "1".repeat(300) + "\n");
      assertThat(r.status()).isEqualTo(413);
      assertThat(r.body()).isEqualTo("request body too large: limit is 200 bytes\n");
      // after decompression: a small gzip body that inflates past the limit
      java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
      try (var out = new java.util.zip.GZIPOutputStream(gz)) {
        out.write(("# " + " ".repeat(10_000) + "\nm 1\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      assertThat(gz.size()).isLessThan(200);
      r = Http.send("PUT", s.mainUrl() + "/metrics/job/j/instance/a", gz.toByteArray(), "Content-Encoding", "gzip");
      assertThat(r.status()).isEqualTo(413);

      r = s.put("/metrics/job/j/instance/a", "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"2\"} 1\nh_bucket{le=\"3\"} 1\nh_sum 1\nh_count 1\n");
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.body()).isEqualTo("push rejected: it holds 6 series, more than the limit of 5 series per push\n");

      r = s.put("/metrics/job/j/instance/a", "m{a=\"1\",b=\"2\",c=\"3\"} 1\n");
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.body()).isEqualTo("metric m{a=\"1\", b=\"2\", c=\"3\", instance=\"a\", job=\"j\"} has 5 labels, more than the limit"
          + " of 4 labels per series\n");

      r = s.put("/metrics/job/j/instance/a", "m{a=\"12345678901\"} 1\n");
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.body()).isEqualTo("label a of m has a value of 11 bytes, more than the limit of 10 bytes\n");
      r = s.put("/metrics/job/j/instance/12345678901", "m 1\n");
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.body()).isEqualTo("label instance of grouping key has a value of 11 bytes, more than the limit of 10 bytes\n");

      // a POST that would grow the group past the series limit
      assertThat(s.put("/metrics/job/j/instance/a", "m 1\nn 1\no 1\n").status()).isEqualTo(200);
      r = s.post("/metrics/job/j/instance/a", "p 1\nq 1\nr 1\n");
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.body()).isEqualTo("push rejected: the group {instance=\"a\", job=\"j\"} would hold 6 series, more than the limit of 5\n");
      assertThat(s.put("/metrics/job/j/instance/a", "m 1\n").status()).isEqualTo(200);
      assertThat(s.userMetrics()).isEqualTo(before);

      assertThat(s.put("/metrics/job/j/instance/b", "m 2\n").status()).isEqualTo(200);
      r = s.put("/metrics/job/j/instance/c", "m 3\n");
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.body()).isEqualTo("push rejected: the store holds 2 groups, the limit; delete groups or raise the limit of groups\n");
      assertThat(s.service.groupCount()).isEqualTo(2);
      // pushes to existing groups still work at the limit
      assertThat(s.put("/metrics/job/j/instance/b", "m 4\n").status()).isEqualTo(200);
    }
  }
}
