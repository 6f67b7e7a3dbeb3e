package io.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.model.Labels;
import io.vigil.tsdb.Tsdb;
import io.vigil.tsdb.TsdbOptions;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restart while an alert is pending keeps the time it has already spent pending: the 'for' state
 * is restored from ALERTS_FOR_STATE in the real TSDB (closed and reopened between the two rule
 * managers), and the outage itself does not count, as in Prometheus.
 */
class RestartTest {
  static final long MIN = 60_000;
  static final Labels X = Labels.of("__name__", "x", "instance", "a", "job", "j");
  static final String RULES = """
      groups:
        - name: g
          rules:
            - alert: Slow
              expr: x > 0
              for: 30m
      """;
  @TempDir
  Path dir;

  @Test
  void restartWhilePendingKeepsTheElapsedTime() throws Exception {
    Path data = dir.resolve("tsdb");
    long s0;
    long s4;
    try (Tsdb db = Tsdb.open(data, TsdbOptions.defaults(), new PrometheusRegistry());
        RuleHarness h = new RuleHarness(db, dir, MIN, RuleHarness.START)) {
      h.load(RULES);
      s0 = h.slot("g", RuleHarness.START, 0);
      s4 = h.slot("g", RuleHarness.START, 4);
      for (int k = 0; k <= 4; k++) {
        long t = h.slot("g", RuleHarness.START, k);
        h.set(X, t - 1000, 1);
        h.evaluateAt("g", t);
      }
      RuleStatus.Alerting r = (RuleStatus.Alerting) h.rule("g", "Slow");
      assertThat(r.state()).isEqualTo("pending");
      assertThat(r.alerts().getFirst().activeAt()).isEqualTo(Instant.ofEpochMilli(s0));
      assertThat(h.seriesAt("ALERTS_FOR_STATE", s4)).hasSize(1);
    }
    // Vigil is down for 3 minutes; the TSDB comes back from its WAL.
    long restart = s4 + 3 * MIN;
    try (Tsdb db = Tsdb.open(data, TsdbOptions.defaults(), new PrometheusRegistry());
        RuleHarness h = new RuleHarness(db, dir, MIN, restart)) {
      assertThat(h.seriesAt("ALERTS_FOR_STATE", s4)).as("recovered from the WAL").hasSize(1);
      h.load(RULES);
      long t0 = h.slot("g", restart, 0);
      long t1 = h.slot("g", restart, 1);
      h.set(X, t0 - 1000, 1);
      h.evaluateAt("g", t0);
      RuleStatus.Alerting r = (RuleStatus.Alerting) h.rule("g", "Slow");
      assertThat(r.alerts().getFirst().activeAt()).as("before the restore: a new pending alert")
          .isEqualTo(Instant.ofEpochMilli(t0));
      h.set(X, t1 - 1000, 1);
      h.evaluateAt("g", t1); // the 'for' state is restored after the second evaluation
      long downAt = Math.floorDiv(s4, 1000) * 1000;
      long restoredActiveAt = Math.floorDiv(s0, 1000) * 1000 + (t1 - downAt);
      r = (RuleStatus.Alerting) h.rule("g", "Slow");
      assertThat(r.alerts().getFirst().activeAt()).isEqualTo(Instant.ofEpochMilli(restoredActiveAt));
      // it fires 30 minutes of pending time after s0, not counting the outage: not before, not later
      long firesAt = restoredActiveAt + 30 * MIN;
      for (int k = 2; ; k++) {
        long t = h.slot("g", restart, k);
        h.set(X, t - 1000, 1);
        h.evaluateAt("g", t);
        String state = ((RuleStatus.Alerting) h.rule("g", "Slow")).state();
        if (t < firesAt) {
          assertThat(state).as("at %d, fires at %d", t, firesAt).isEqualTo("pending");
          assertThat(h.sent()).isEmpty();
        } else {
          assertThat(state).isEqualTo("firing");
          assertThat(h.sent()).singleElement()
              .satisfies(b -> assertThat(b.getFirst().startsAt()).isEqualTo(Instant.ofEpochMilli(t)));
          assertThat(t - firesAt).isLessThan(MIN);
          break;
        }
      }
      assertThat(h.seriesAt("ALERTS_FOR_STATE", h.clock.nowMs())).singleElement()
          .satisfies(s -> assertThat(s).endsWith(" " + (double) (restoredActiveAt / 1000)));
    }
  }

  @Test
  void alertsWithAShortForAreNotRestored() throws Exception {
    // for below the grace period: restoring would only delay it, so it starts anew (as in Prometheus)
    Path data = dir.resolve("tsdb2");
    String rules = RULES.replace("for: 30m", "for: 5m");
    long s0;
    try (Tsdb db = Tsdb.open(data, TsdbOptions.defaults(), new PrometheusRegistry());
        RuleHarness h = new RuleHarness(db, dir, MIN, RuleHarness.START)) {
      h.load(rules);
      s0 = h.slot("g", RuleHarness.START, 0);
      for (int k = 0; k <= 3; k++) {
        long t = h.slot("g", RuleHarness.START, k);
        h.set(X, t - 1000, 1);
        h.evaluateAt("g", t);
      }
    }
    long restart = s0 + 5 * MIN;
    try (Tsdb db = Tsdb.open(data, TsdbOptions.defaults(), new PrometheusRegistry());
        RuleHarness h = new RuleHarness(db, dir, MIN, restart)) {
      h.load(rules);
      long t0 = h.slot("g", restart, 0);
      for (int k = 0; k <= 1; k++) {
        long t = h.slot("g", restart, k);
        h.set(X, t - 1000, 1);
        h.evaluateAt("g", t);
      }
      assertThat(((RuleStatus.Alerting) h.rule("g", "Slow")).alerts().getFirst().activeAt())
          .isEqualTo(Instant.ofEpochMilli(t0));
    }
  }
}
