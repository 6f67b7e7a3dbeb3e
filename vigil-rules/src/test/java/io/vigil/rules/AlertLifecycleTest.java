package io.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Labels;
import io.vigil.model.StaleNaN;
import io.vigil.notify.Alert;
import io.vigil.notify.MetricValues;
import io.vigil.testkit.MemoryStorage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert lifecycle of Prometheus, driven step by step with a manual clock on an in-memory
 * storage: pending, firing, resolved, keep_firing_for, resends, several alerts, templates, the
 * ALERTS series, recording rules in the same group, staleness, limits and missed iterations.
 */
class AlertLifecycleTest {
  static final long MIN = 60_000;
  @TempDir
  Path dir;
  RuleHarness h;

  @AfterEach
  void close() {
    if (h != null) {
      h.close();
    }
  }

  RuleHarness harness(String rules) throws Exception {
    h = new RuleHarness(new MemoryStorage(), dir, MIN, RuleHarness.START);
    return h.load(rules);
  }

  long s(int k) {
    return h.slot("g", RuleHarness.START, k);
  }

  static Labels x(String instance) {
    return Labels.of("__name__", "x", "instance", instance, "job", "j");
  }

  void setX(String instance, int slot, double v) {
    h.set(x(instance), s(slot) - 1000, v);
  }

  RuleStatus.Alerting rule(String name) {
    return (RuleStatus.Alerting) h.rule("g", name);
  }

  static String rules(String body) {
    return "groups:\n  - name: g\n    rules:\n" + body.indent(6);
  }

  @Test
  void pendingThenFiringThenResolved() throws Exception {
    harness(rules("""
        - alert: A
          expr: x > 0
          for: 2m
          labels: {severity: page}
          annotations: {summary: "x is {{ $value }} on {{ $labels.instance }}"}
        """));
    setX("a", 0, 1);
    h.evaluateAt("g", s(0));
    assertThat(rule("A").state()).isEqualTo("pending");
    assertThat(rule("A").alerts()).singleElement().satisfies(a -> {
      assertThat(a.activeAt()).isEqualTo(Instant.ofEpochMilli(s(0)));
      assertThat(a.annotations().get("summary")).isEqualTo("x is 1 on a");
    });
    assertThat(h.seriesAt("ALERTS", s(0))).as("ALERTS waits for the 'for' state restore").isEmpty();
    setX("a", 1, 1);
    h.evaluateAt("g", s(1));
    setX("a", 2, 1);
    h.evaluateAt("g", s(2));
    assertThat(rule("A").state()).isEqualTo("firing");
    assertThat(h.sent()).singleElement().satisfies(batch -> assertThat(batch).singleElement().satisfies(a -> {
      assertThat(a.labels()).isEqualTo(Labels.of("alertname", "A", "instance", "a", "job", "j", "severity", "page"));
      assertThat(a.startsAt()).isEqualTo(Instant.ofEpochMilli(s(2)));
      assertThat(a.endsAt()).isEqualTo(Instant.ofEpochMilli(s(2) + 4 * MIN));
      assertThat(a.generatorUrl()).isEqualTo("http://vigil.example:9090/graph?g0.expr=x+%3E+0&g0.tab=1");
      assertThat(a.annotations().get("summary")).isEqualTo("x is 1 on a");
    }));
    assertThat(h.seriesAt("ALERTS", s(2))).containsExactly(
        "{__name__=\"ALERTS\", alertname=\"A\", alertstate=\"firing\", instance=\"a\", job=\"j\", severity=\"page\"} 1.0");
    assertThat(h.seriesAt("ALERTS_FOR_STATE", s(2))).containsExactly("{__name__=\"ALERTS_FOR_STATE\", alertname=\"A\", "
        + "instance=\"a\", job=\"j\", severity=\"page\"} " + (double) Math.floorDiv(s(0), 1000));
    setX("a", 3, 0);
    h.evaluateAt("g", s(3));
    assertThat(rule("A").state()).isEqualTo("inactive");
    assertThat(rule("A").alerts()).isEmpty();
    assertThat(h.sent()).hasSize(2);
    Alert resolved = h.sent().get(1).getFirst();
    assertThat(resolved.endsAt()).isEqualTo(Instant.ofEpochMilli(s(3)));
    assertThat(resolved.startsAt()).isEqualTo(Instant.ofEpochMilli(s(2)));
    assertThat(h.seriesAt("ALERTS", s(3))).as("a staleness marker ends the series").isEmpty();
    assertThat(h.seriesAt("ALERTS", s(3) - 1)).hasSize(1);
    assertThat(rule("A").health()).isEqualTo(RuleStatus.Health.OK);
  }

  @Test
  void pendingThenResolvedWithoutFiring() throws Exception {
    harness(rules("""
        - alert: A
          expr: x > 0
          for: 5m
        """));
    for (int k = 0; k <= 2; k++) {
      setX("a", k, 1);
      h.evaluateAt("g", s(k));
    }
    assertThat(h.seriesAt("ALERTS", s(2))).containsExactly(
        "{__name__=\"ALERTS\", alertname=\"A\", alertstate=\"pending\", instance=\"a\", job=\"j\"} 1.0");
    setX("a", 3, 0);
    h.evaluateAt("g", s(3));
    assertThat(rule("A").state()).isEqualTo("inactive");
    assertThat(h.seriesAt("ALERTS", s(3))).isEmpty();
    h.evaluateAt("g", s(4));
    assertThat(h.sent()).as("a pending alert is never sent").isEmpty();
  }

  @Test
  void ruleNeverActive() throws Exception {
    harness(rules("""
        - alert: A
          expr: x > 0
        """));
    for (int k = 0; k <= 3; k++) {
      setX("a", k, 0);
      h.evaluateAt("g", s(k));
    }
    assertThat(rule("A").state()).isEqualTo("inactive");
    assertThat(rule("A").health()).isEqualTo(RuleStatus.Health.OK);
    assertThat(rule("A").lastError()).isEmpty();
    assertThat(rule("A").lastEvaluation()).isEqualTo(Instant.ofEpochMilli(s(3)));
    assertThat(h.sent()).isEmpty();
    assertThat(h.seriesAt("ALERTS", s(3))).isEmpty();
  }

  @Test
  void forZeroFiresAtOnceAndSmallForAfterOneInterval() throws Exception {
    harness(rules("""
        - alert: Zero
          expr: x > 0
        - alert: Small
          expr: x > 0
          for: 30s
        """));
    setX("a", 0, 1);
    h.evaluateAt("g", s(0));
    assertThat(rule("Zero").state()).isEqualTo("firing");
    assertThat(rule("Small").state()).isEqualTo("pending");
    assertThat(h.sent()).singleElement().satisfies(b -> assertThat(b).extracting(Alert::name).containsExactly("Zero"));
    setX("a", 1, 1);
    h.evaluateAt("g", s(1));
    assertThat(rule("Small").state()).isEqualTo("firing");
    assertThat(h.sent()).hasSize(2);
    assertThat(h.sent().get(1)).extracting(Alert::name).containsExactly("Small");
    assertThat(h.sent().get(1).getFirst().startsAt()).isEqualTo(Instant.ofEpochMilli(s(1)));
  }

  @Test
  void keepFiringForHoldsTheAlertAfterTheConditionEnds() throws Exception {
    harness(rules("""
        - alert: K
          expr: x > 0
          keep_firing_for: 2m
        """));
    setX("a", 0, 1);
    h.evaluateAt("g", s(0));
    assertThat(rule("K").state()).isEqualTo("firing");
    setX("a", 1, 0);
    h.evaluateAt("g", s(1));
    assertThat(rule("K").state()).isEqualTo("firing");
    assertThat(rule("K").alerts().getFirst().keepFiringSince()).isEqualTo(Instant.ofEpochMilli(s(1)));
    assertThat(rule("K").keepFiringForSeconds()).isEqualTo(120);
    h.evaluateAt("g", s(2));
    assertThat(rule("K").state()).isEqualTo("firing");
    assertThat(h.seriesAt("ALERTS{alertstate=\"firing\"}", s(2))).hasSize(1);
    h.evaluateAt("g", s(3));
    assertThat(rule("K").state()).isEqualTo("inactive");
    List<Alert> last = h.sent().getLast();
    assertThat(last.getFirst().endsAt()).isEqualTo(Instant.ofEpochMilli(s(3)));
    // the condition coming back resets keep_firing_for
    setX("a", 4, 1);
    h.evaluateAt("g", s(4));
    setX("a", 5, 0);
    h.evaluateAt("g", s(5));
    assertThat(rule("K").alerts().getFirst().keepFiringSince()).isEqualTo(Instant.ofEpochMilli(s(5)));
  }

  @Test
  void severalNewAlertsAreSentTogetherInLabelOrderAndResentEveryResendDelay() throws Exception {
    harness(rules("""
        - alert: Many
          expr: x > 0
        """));
    for (String i : List.of("b", "c", "a")) {
      setX(i, 0, 1);
    }
    h.evaluateAt("g", s(0));
    assertThat(h.sent()).singleElement().satisfies(b ->
        assertThat(b).extracting(a -> a.labels().get("instance")).containsExactly("a", "b", "c"));
    assertThat(rule("Many").alerts()).extracting(a -> a.labels().get("instance")).containsExactly("a", "b", "c");
    for (String i : List.of("a", "b", "c", "d")) {
      setX(i, 1, 1);
    }
    h.evaluateAt("g", s(1));
    assertThat(h.sent().get(1)).extracting(a -> a.labels().get("instance")).containsExactly("d");
    for (String i : List.of("a", "b", "c", "d")) {
      setX(i, 2, 1);
    }
    // resend delay 1m: sent again once more than a minute has passed, i.e. two evaluations later
    h.evaluateAt("g", s(2));
    assertThat(h.sent().get(2)).extracting(a -> a.labels().get("instance")).containsExactly("a", "b", "c");
    assertThat(h.sent().get(2)).extracting(Alert::endsAt).containsOnly(Instant.ofEpochMilli(s(2) + 4 * MIN));
  }

  @Test
  void resolvedAlertsAreResentForFifteenMinutes() throws Exception {
    harness(rules("""
        - alert: R
          expr: x > 0
        """));
    setX("a", 0, 1);
    h.evaluateAt("g", s(0));
    setX("a", 1, 0);
    for (int k = 1; k <= 20; k++) {
      h.evaluateAt("g", s(k));
    }
    List<List<Alert>> resolvedSends = h.sent().subList(1, h.sent().size());
    assertThat(resolvedSends).allSatisfy(b -> assertThat(b).singleElement()
        .satisfies(a -> assertThat(a.endsAt()).isEqualTo(Instant.ofEpochMilli(s(1)))));
    assertThat(resolvedSends).hasSize(8); // at resolution, then every 2 minutes until 15 minutes have passed
  }

  @Test
  void templateErrorsBecomeTextNotFailures() throws Exception {
    harness(rules("""
        - alert: T
          expr: x > 0
          labels:
            severity: "{{ 1 | toUpper }}"
          annotations:
            summary: "{{ humanize \\"abc\\" }}"
            fine: "{{ $labels.instance | toUpper }} {{ $externalLabels.monitor }}"
        """));
    setX("a", 0, 1);
    h.evaluateAt("g", s(0));
    Alert a = h.sent().getFirst().getFirst();
    assertThat(a.labels().get("severity")).startsWith("<error expanding template: error executing template __alert_T: "
        + "template: __alert_T:1:119: executing \"__alert_T\" at <toUpper>: wrong type for value; expected string; "
        + "got int>");
    assertThat(a.annotations().get("summary")).isEqualTo("<error expanding template: error executing template __alert_T: "
        + "template: __alert_T:1:115: executing \"__alert_T\" at <humanize \"abc\">: error calling humanize: "
        + "strconv.ParseFloat: parsing \"abc\": invalid syntax>");
    assertThat(a.annotations().get("fine")).isEqualTo("A vigil");
    assertThat(rule("T").health()).isEqualTo(RuleStatus.Health.OK);
    assertThat(MetricValues.value(h.registry, "vigil_template_text_expansion_failures")).isEqualTo(2);
  }

  @Test
  void recordingRuleOutputFeedsLaterRulesAndGoesStale() throws Exception {
    harness(rules("""
        - record: job:x:sum
          expr: sum by (job) (x)
        - alert: HighSum
          expr: job:x:sum > 2
        """));
    setX("a", 0, 1);
    setX("b", 0, 2);
    h.evaluateAt("g", s(0));
    assertThat(h.seriesAt("job:x:sum", s(0))).containsExactly("{__name__=\"job:x:sum\", job=\"j\"} 3.0");
    assertThat(h.seriesAt("timestamp(job:x:sum)", s(0) + 30_000)).containsExactly("{job=\"j\"} " + s(0) / 1000.0);
    assertThat(rule("HighSum").state()).as("sees the recording rule's output of the same evaluation").isEqualTo("firing");
    h.set(x("a"), s(1) - 1000, StaleNaN.VALUE);
    h.set(x("b"), s(1) - 1000, StaleNaN.VALUE);
    h.evaluateAt("g", s(1));
    assertThat(h.seriesAt("job:x:sum", s(1))).isEmpty();
    assertThat(h.seriesAt("job:x:sum", s(1) - 1)).hasSize(1);
    assertThat(rule("HighSum").state()).isEqualTo("inactive");
    RuleStatus.Recording rec = (RuleStatus.Recording) h.rule("g", "job:x:sum");
    assertThat(rec.query()).isEqualTo("sum by (job) (x)");
    assertThat(rec.health()).isEqualTo(RuleStatus.Health.OK);
  }

  @Test
  void evaluationErrorsAndLimitsSetHealth() throws Exception {
    h = new RuleHarness(new MemoryStorage(), dir, MIN, RuleHarness.START);
    h.load("""
        groups:
          - name: g
            limit: 1
            rules:
              - record: dup
                expr: '{__name__=~"x|y", instance="a"}' 
              - alert: TooMany
                expr: x > 0
              - record: ok
                expr: vector(1)
        """);
    setX("a", 0, 1);
    setX("b", 0, 1);
    h.set(Labels.of("__name__", "y", "instance", "a", "job", "j"), s(0) - 1000, 1);
    h.evaluateAt("g", s(0));
    assertThat(h.rule("g", "dup")).isInstanceOfSatisfying(RuleStatus.Recording.class, r -> {
      assertThat(r.health()).isEqualTo(RuleStatus.Health.ERR);
      assertThat(r.lastError()).isEqualTo("vector contains metrics with the same labelset after applying rule labels");
    });
    assertThat(rule("TooMany").lastError()).isEqualTo("exceeded limit of 1 with 2 alerts");
    assertThat(rule("TooMany").alerts()).isEmpty();
    assertThat(h.rule("g", "ok")).isInstanceOfSatisfying(RuleStatus.Recording.class,
        r -> assertThat(r.health()).isEqualTo(RuleStatus.Health.OK));
    String key = h.file() + ";g";
    assertThat(MetricValues.value(h.registry, "vigil_rule_evaluation_failures", "rule_group", key)).isEqualTo(2);
    assertThat(MetricValues.value(h.registry, "vigil_rule_evaluations", "rule_group", key)).isEqualTo(3);
    assertThat(h.group("g").limit()).isEqualTo(1);
  }

  @Test
  void missedIterationsAreCounted() throws Exception {
    harness(rules("""
        - record: one
          expr: vector(1)
        """));
    h.evaluateAt("g", s(0));
    h.evaluateAt("g", s(3)); // the group wakes late: s(1) and s(2) were missed
    String key = h.file() + ";g";
    assertThat(MetricValues.value(h.registry, "vigil_rule_group_iterations_missed", "rule_group", key)).isEqualTo(2);
    assertThat(MetricValues.value(h.registry, "vigil_rule_group_iterations", "rule_group", key)).isEqualTo(4);
    assertThat(MetricValues.value(h.registry, "vigil_rule_group_last_evaluation_timestamp_seconds", "rule_group", key))
        .isEqualTo(s(3) / 1000.0);
    h.evaluateAt("g", s(4));
    assertThat(MetricValues.value(h.registry, "vigil_rule_group_iterations", "rule_group", key)).isEqualTo(5);
  }

  @Test
  void groupsEvaluateAtHashedOffsetsWithinTheirInterval() {
    long a = RuleGroup.offsetMs("rules/backup/velero.yml", "velero", MIN);
    long b = RuleGroup.offsetMs("rules/backup/velero.yml", "restic", MIN);
    assertThat(a).isBetween(0L, MIN - 1).isNotEqualTo(b);
    assertThat(RuleGroup.offsetMs("rules/backup/velero.yml", "velero", MIN)).as("stable").isEqualTo(a);
    assertThat(b).isBetween(0L, MIN - 1);
  }

  @Test
  void reloadKeepsAlertStateOfChangedAndUnchangedGroups() throws Exception {
    harness(rules("""
        - alert: A
          expr: x > 0
          for: 5m
          annotations: {v: one}
        """));
    setX("a", 0, 1);
    h.evaluateAt("g", s(0));
    setX("a", 1, 1);
    h.evaluateAt("g", s(1));
    h.load(rules("""
        - alert: A
          expr: x > 0
          for: 5m
          annotations: {v: two}
        """));
    for (int k = 2; k <= 5; k++) {
      setX("a", k, 1);
      h.evaluateAt("g", s(k));
    }
    assertThat(rule("A").alerts().getFirst().activeAt()).isEqualTo(Instant.ofEpochMilli(s(0)));
    assertThat(rule("A").alerts().getFirst().annotations().get("v")).isEqualTo("two");
    assertThat(rule("A").state()).isEqualTo("firing");
    assertThat(h.sent()).singleElement().satisfies(b -> assertThat(b.getFirst().startsAt())
        .isEqualTo(Instant.ofEpochMilli(s(5))));
  }

  @Test
  void removedRulesGetStalenessMarkers() throws Exception {
    harness(rules("""
        - record: gone
          expr: vector(1)
        - record: stays
          expr: vector(2)
        """));
    h.evaluateAt("g", s(0));
    h.load(rules("""
        - record: stays
          expr: vector(2)
        """));
    h.evaluateAt("g", s(1));
    assertThat(h.seriesAt("gone", s(0))).hasSize(1);
    assertThat(h.seriesAt("gone", s(1))).isEmpty();
    assertThat(h.seriesAt("stays", s(1))).hasSize(1);
  }
}
