package io.vigil.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.model.Labels;
import io.vigil.testkit.Fixtures;
import io.vigil.testkit.MemoryStorage;
import io.vigil.tsdb.Tsdb;
import io.vigil.tsdb.TsdbOptions;
import io.vigil.web.Authenticator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushed groups in the storage, as Prometheus scraping the Pushgateway with honor_labels: true
 * would store them: right after each push, at every interval, with staleness markers when series
 * or groups go away.
 */
class SamplingTest {
  @TempDir
  Path dir;

  @Test
  void groupsAreSampledWithTheirLabelsAtEveryIntervalIntoTheTsdb() throws Exception {
    try (Tsdb tsdb = Tsdb.open(dir.resolve("tsdb"), TsdbOptions.defaults(), new PrometheusRegistry());
        PushServer s = PushServer.start(PushServer.options(dir.resolve("push")), tsdb, Duration.ofMillis(200),
            Authenticator.ALLOW_ALL)) {
      assertThat(s.put("/metrics/job/restic/instance/daily", "restic_backup_time 42\n").status()).isEqualTo(200);
      assertThat(s.put("/metrics/job/k10/namespace/default",
          Fixtures.fixtureText("pushgateway/push-body-k10-histogram-summary.txt")).status()).isEqualTo(200);
      // queryable at once, not a whole interval later
      Labels restic = Labels.of("__name__", "restic_backup_time", "job", "restic", "instance", "daily");
      assertThat(Stored.series(tsdb, restic)).isNotEmpty();
      // then once per interval
      Stored.await("5 rounds", () -> Stored.series(tsdb, restic).size() >= 6);
      List<Stored.Sample> samples = Stored.series(tsdb, restic);
      assertThat(samples).allSatisfy(x -> assertThat(x.v()).isEqualTo(42.0));
      for (int i = 2; i < samples.size(); i++) {
        assertThat(samples.get(i).t() - samples.get(i - 1).t()).isBetween(150L, 1000L);
      }
      // honor_labels: a group without instance gives series without instance; histograms and
      // summaries flattened; le and quantile as Prometheus 3 stores them
      Map<Labels, List<Stored.Sample>> buckets = Stored.metric(tsdb, "k10_backup_duration_seconds_bucket");
      assertThat(buckets.keySet()).containsExactly(
          Labels.of("__name__", "k10_backup_duration_seconds_bucket", "job", "k10", "namespace", "default", "policy", "daily", "le", "+Inf"),
          Labels.of("__name__", "k10_backup_duration_seconds_bucket", "job", "k10", "namespace", "default", "policy", "daily", "le", "300.0"),
          Labels.of("__name__", "k10_backup_duration_seconds_bucket", "job", "k10", "namespace", "default", "policy", "daily", "le", "60.0"));
      assertThat(Stored.metric(tsdb, "k10_backup_duration_seconds_count").values().iterator().next().getLast().v()).isEqualTo(6);
      assertThat(Stored.metric(tsdb, "k10_export_latency_seconds").keySet())
          .extracting(l -> l.get("quantile")).containsExactly("0.5", "0.9");
      assertThat(Stored.metric(tsdb, "k10_export_latency_seconds_sum").values().iterator().next().getLast().v()).isEqualTo(50.5);
      Map<Labels, List<Stored.Sample>> pushTime = Stored.metric(tsdb, "push_time_seconds");
      assertThat(pushTime.keySet()).containsExactly(
          Labels.of("__name__", "push_time_seconds", "instance", "daily", "job", "restic"),
          Labels.of("__name__", "push_time_seconds", "job", "k10", "namespace", "default"));
      double pushed = pushTime.values().iterator().next().getLast().v();
      assertThat(pushed).isCloseTo(System.currentTimeMillis() / 1e3, org.assertj.core.data.Offset.offset(30.0));
      assertThat(Stored.metric(tsdb, "push_failure_time_seconds").values()).allSatisfy(v -> assertThat(v.getLast().v()).isZero());
    }
  }

  @Test
  void seriesThatGoAwayGetStalenessMarkers() throws Exception {
    MemoryStorage storage = new MemoryStorage();
    try (PushServer s = PushServer.start(PushServer.options(dir), storage, Duration.ofHours(1), Authenticator.ALLOW_ALL)) {
      assertThat(s.put("/metrics/job/j/instance/a", "m_keep 1\nm_drop{x=\"1\"} 2\n").status()).isEqualTo(200);
      assertThat(s.put("/metrics/job/j/instance/b", "m_other 3\n").status()).isEqualTo(200);
      Labels keep = Labels.of("__name__", "m_keep", "job", "j", "instance", "a");
      Labels drop = Labels.of("__name__", "m_drop", "job", "j", "instance", "a", "x", "1");
      Labels other = Labels.of("__name__", "m_other", "job", "j", "instance", "b");
      // a PUT without m_drop: it ends with a staleness marker, m_keep goes on
      assertThat(s.put("/metrics/job/j/instance/a", "m_keep 5\n").status()).isEqualTo(200);
      assertThat(Stored.series(storage, drop)).extracting(Stored.Sample::stale).containsExactly(false, true);
      assertThat(Stored.series(storage, keep)).extracting(Stored.Sample::v).containsExactly(1.0, 5.0);
      // a DELETE: every series of the group ends, push times included
      assertThat(s.delete("/metrics/job/j/instance/b").status()).isEqualTo(202);
      assertThat(Stored.series(storage, other).getLast().stale()).isTrue();
      assertThat(Stored.series(storage, Labels.of("__name__", "push_time_seconds", "job", "j", "instance", "b")).getLast().stale())
          .isTrue();
      // a wipe
      assertThat(Http.send("PUT", s.mainUrl() + "/api/v1/admin/wipe", "").status()).isEqualTo(202);
      assertThat(Stored.series(storage, keep).getLast().stale()).isTrue();
      // a marker only once: the next push writes fresh samples again
      assertThat(s.put("/metrics/job/j/instance/a", "m_keep 7\n").status()).isEqualTo(200);
      assertThat(Stored.series(storage, keep)).extracting(x -> x.stale() ? "stale" : Double.toString(x.v()))
          .containsExactly("1.0", "5.0", "stale", "7.0");
      assertThat(Stored.series(storage, drop)).hasSize(2);
    }
  }

  @Test
  void theIntervalFollowsConfigReloads() throws Exception {
    MemoryStorage storage = new MemoryStorage();
    try (PushServer s = PushServer.start(PushServer.options(dir), storage, Duration.ofHours(1), Authenticator.ALLOW_ALL)) {
      assertThat(s.put("/metrics/job/j", "m 1\n").status()).isEqualTo(200);
      Labels m = Labels.of("__name__", "m", "job", "j");
      int before = Stored.series(storage, m).size();
      Thread.sleep(300);
      assertThat(Stored.series(storage, m)).hasSize(before);
      s.service.setScrapeInterval(Duration.ofMillis(50));
      Stored.await("rounds at the new interval", () -> Stored.series(storage, m).size() >= before + 4);
    }
  }
}
