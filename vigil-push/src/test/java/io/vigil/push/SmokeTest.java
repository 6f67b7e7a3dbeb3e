package io.vigil.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmokeTest {
  @TempDir
  Path dir;

  @Test
  void pushAndExpose() throws Exception {
    try (PushServer s = PushServer.start(PushServer.options(dir))) {
      Http.Response r = Http.send("PUT", s.mainUrl() + "/metrics/job/backup/instance/host1?ttl=1h",
          "# HELP a_metric A.\n# TYPE a_metric gauge\na_metric{x=\"1\"} 3\n", "Content-Type", "application/x-www-form-urlencoded");
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      System.out.println(s.metrics());
      System.out.println(Http.get(s.mainUrl() + "/api/v1/metrics").body());
      System.out.println(Http.get(s.mainUrl() + "/api/v1/status").body());
      assertThat(s.service.groups().getFirst().series()).isEqualTo(3);
    }
  }
}
