package io.vigil.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Labels;
import io.vigil.model.Matcher;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1,000 targets at a 1 s interval for 30 s, served by one in-process HTTP server that every
 * loopback address reaches (targets 127.0.x.y:port): every target must be scraped every second.
 * Checked on what was stored: consecutive {@code up} samples of each target one interval apart.
 */
class ThousandTargetsTest {
  @TempDir Path dir;

  private static final int TARGETS = 1000;
  private static final int SECONDS = 30;

  @Test
  void everyTargetIsScrapedEverySecond() throws Exception {
    StringBuilder body = new StringBuilder("# TYPE job_last_success_timestamp_seconds gauge\n");
    for (int i = 0; i < 10; i++) {
      body.append("job_last_success_timestamp_seconds{task=\"t").append(i).append("\"} 1.7e9\n");
    }
    try (TargetServer server = TargetServer.allLoopbackAddresses(); ScrapeTestSupport s = new ScrapeTestSupport(dir)) {
      server.recordHits(false);
      server.set("/metrics", body.toString());
      List<String> targets = new ArrayList<>();
      for (int i = 0; i < TARGETS; i++) {
        targets.add("'127.0." + (1 + i / 250) + "." + (1 + i % 250) + ":" + server.port() + "'");
      }
      s.apply("""
          scrape_configs:
            - job_name: many
              scrape_interval: 1s
              static_configs: [{targets: [%s]}]
          """.formatted(String.join(", ", targets)));
      Stored.await(10_000, "all targets", () -> s.manager.activeTargets().size() == TARGETS);
      long start = System.currentTimeMillis() + 2_000; // every loop has made its first scrape by then
      Thread.sleep(2_000 + SECONDS * 1000L);
      long end = System.currentTimeMillis() - 1_000;

      Map<Labels, List<Stored.Point>> up = Stored.select(s.db, Matcher.equal("__name__", "up"), Matcher.equal("job", "many"));
      assertThat(up).hasSize(TARGETS);
      List<String> problems = new ArrayList<>();
      long late = 0;
      for (var e : up.entrySet()) {
        List<Stored.Point> pts = e.getValue().stream().filter(p -> p.t() >= start - 1000 && p.t() <= end).toList();
        if (pts.size() < SECONDS - 1) {
          problems.add(e.getKey().get("instance") + ": " + pts.size() + " scrapes");
        }
        for (int i = 1; i < pts.size(); i++) {
          long gap = pts.get(i).t() - pts.get(i - 1).t();
          if (gap >= 1500) {
            problems.add(e.getKey().get("instance") + ": gap of " + gap + " ms at " + pts.get(i).t());
          }
          if (gap != 1000) {
            late++;
          }
        }
        if (pts.stream().anyMatch(p -> p.v() != 1)) {
          problems.add(e.getKey().get("instance") + ": up 0");
        }
      }
      Map<String, Long> errors = s.manager.activeTargets().stream().filter(t -> !t.lastError().isEmpty())
          .collect(java.util.stream.Collectors.groupingBy(ActiveTarget::lastError, java.util.stream.Collectors.counting()));
      System.out.println("1000 targets: last errors " + errors);
      System.out.println("1000 targets: " + late + " of ~" + TARGETS * SECONDS + " intervals not exactly 1000 ms");
      assertThat(problems).as("missed or failed scrapes").isEmpty();
      assertThat(Stored.select(s.db, Matcher.equal("__name__", "job_last_success_timestamp_seconds"))).hasSize(TARGETS * 10);
    }
  }
}
