package io.vigil.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Config reloads: what keeps scraping untouched, what restarts, what goes stale. */
class ReloadTest {
  @TempDir Path dir;

  private static String config(int port, boolean both, String extraSetting, boolean otherJob) {
    String targets = both ? "['127.0.0.1:%d', 'localhost:%d']".formatted(port, port) : "['127.0.0.1:%d']".formatted(port);
    String yaml = """
        scrape_configs:
          - job_name: j
            scrape_interval: 200ms
            %s
            static_configs: [{targets: %s}]
        """.formatted(extraSetting, targets);
    if (otherJob) {
      yaml += """
            - job_name: other
              scrape_interval: 200ms
              static_configs: [{targets: ['127.0.0.1:%d']}]
          """.formatted(port);
    }
    return yaml;
  }

  private static void assertEvery200ms(List<Stored.Point> points, String what) {
    for (int i = 1; i < points.size(); i++) {
      assertThat(points.get(i).t() - points.get(i - 1).t()).as(what + " at " + i + ": " + points).isEqualTo(200);
    }
  }

  @Test
  void reloadKeepsUnchangedLoopsRestartsChangedAndStalesRemoved() throws Exception {
    try (TargetServer server = TargetServer.loopback(); ScrapeTestSupport s = new ScrapeTestSupport(dir)) {
      int port = server.port();
      server.set("/metrics", "a 1\n");
      s.apply(config(port, true, "", false));
      Stored.await(10_000, "two targets", () -> s.manager.activeTargets().size() == 2);
      s.awaitScrapes("j", 3);

      // 1. another job appears: job j is untouched
      s.apply(config(port, true, "", true));
      s.awaitScrapes("j", 3);
      s.awaitScrapes("other", 2);

      // 2. a setting of j changes (the cache stays valid): loops restart without a gap or markers
      s.apply(config(port, true, "sample_limit: 100", true));
      s.awaitScrapes("j", 3);
      for (String instance : List.of("127.0.0.1:" + port, "localhost:" + port)) {
        List<Stored.Point> up = Stored.series(s.db, "__name__", "up", "job", "j", "instance", instance);
        assertThat(up).noneMatch(Stored.Point::stale).allMatch(p -> p.v() == 1);
        assertEvery200ms(up, "up of " + instance);
        assertThat(Stored.series(s.db, "__name__", "a", "job", "j", "instance", instance)).noneMatch(Stored.Point::stale);
      }

      // 3. one target goes away: its series get end-of-run markers after about two intervals
      s.apply(config(port, false, "sample_limit: 100", true));
      String gone = "localhost:" + port;
      Stored.await(5_000, "end-of-run markers of " + gone,
          () -> Stored.series(s.db, "__name__", "a", "job", "j", "instance", gone).getLast().stale());
      assertThat(Stored.series(s.db, "__name__", "up", "job", "j", "instance", gone).getLast().stale()).isTrue();
      assertThat(Stored.series(s.db, "__name__", "scrape_duration_seconds", "job", "j", "instance", gone).getLast().stale())
          .isTrue();
      assertThat(s.manager.activeTargets()).extracting(t -> t.labels().get("instance"))
          .containsExactlyInAnyOrder("127.0.0.1:" + port, "127.0.0.1:" + port);
      List<Stored.Point> kept = Stored.series(s.db, "__name__", "up", "job", "j", "instance", "127.0.0.1:" + port);
      assertThat(kept).noneMatch(Stored.Point::stale);
      assertEvery200ms(kept, "up of the kept target");

      // 4. the job is removed: all its series go stale; the other job is untouched
      s.apply("""
          scrape_configs:
            - job_name: other
              scrape_interval: 200ms
              static_configs: [{targets: ['127.0.0.1:%d']}]
          """.formatted(port));
      Stored.await(5_000, "markers of the removed job",
          () -> Stored.series(s.db, "__name__", "a", "job", "j", "instance", "127.0.0.1:" + port).getLast().stale());
      List<Stored.Point> other = Stored.series(s.db, "__name__", "up", "job", "other");
      assertThat(other).noneMatch(Stored.Point::stale);
      assertEvery200ms(other, "up of the untouched job");
    }
  }
}
