package io.vigil.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The quick gate: fails on gross regressions only, never on what a busy machine does to everyone. */
class RegressionCheckTest {

  @Test
  void aQueryThatGotGrosslySlowerAgainstTheSameMachineIsARegression() {
    JsonNode baseline = baseline(query(3.5, 3.4, 4.3));
    assertThat(RegressionCheck.compare(query(40, 3.5, 4.2), baseline))
        .singleElement().asString().startsWith("query.count_by.median_ms: Vigil 40").contains("11.4x worse");
  }

  @Test
  void latencyNoiseOfAFewMillisecondsIsNot() {
    // The CI run that failed on noise: 8.6 ms against 3.5, the peers barely moved.
    assertThat(RegressionCheck.compare(query(8.61, 4.19, 4.65), baseline(query(3.48, 3.45, 4.30)))).isEmpty();
  }

  @Test
  void aMachineThatSlowsEveryoneDownIsNot() {
    assertThat(RegressionCheck.compare(query(40, 30, 35), baseline(query(3.5, 3.4, 4.3)))).isEmpty();
  }

  @Test
  void throughputCountsWhenItFallsNotWhenItRises() {
    JsonNode baseline = baseline(push(9000, 3800));
    assertThat(RegressionCheck.compare(push(3000, 3900), baseline)).singleElement().asString().contains("3.0x worse");
    assertThat(RegressionCheck.compare(push(30000, 3900), baseline)).isEmpty();
  }

  @Test
  void aRunWhoseBestRepetitionIsFineIsNotARegressionThoughItsMedianIs() {
    JsonNode baseline = baseline(push(9000, 3800));
    Report noisy = new Report();
    Map<ServerKind, Report.Cell> cells = new EnumMap<>(ServerKind.class);
    cells.put(ServerKind.VIGIL, new Report.Cell(3000, 2000, 8000, 2, null)); // one window met a GC
    cells.put(ServerKind.PUSHGATEWAY, Report.Cell.of(3900));
    noisy.add("push.restic.10.throughput", "section", "label", "pushes/s", false, cells, null);
    assertThat(RegressionCheck.compare(noisy, baseline)).isEmpty();
  }

  @Test
  void aNewAnswerMismatchIsARegressionAnOldOneIsNot() {
    Report base = query(3.5, 3.4, 4.3);
    base.mismatches.add("topk `topk(10, x)`: differs");
    Report now = query(3.5, 3.4, 4.3);
    now.mismatches.add("topk `topk(10, x)`: differs");
    now.mismatches.add("count_by `count(x)`: differs");
    assertThat(RegressionCheck.compare(now, baseline(base))).containsExactly("new result mismatch: count_by `count(x)`: differs");
  }

  private static Report query(double vigil, double prometheus, double vm) {
    return report("query.count_by.median_ms", "ms", true, Map.of(ServerKind.VIGIL, vigil, ServerKind.PROMETHEUS, prometheus,
        ServerKind.VICTORIA_METRICS, vm));
  }

  private static Report push(double vigil, double pushgateway) {
    return report("push.restic.10.throughput", "pushes/s", false, Map.of(ServerKind.VIGIL, vigil, ServerKind.PUSHGATEWAY,
        pushgateway));
  }

  private static Report report(String id, String unit, boolean lowerIsBetter, Map<ServerKind, Double> medians) {
    Report r = new Report();
    Map<ServerKind, Report.Cell> cells = new EnumMap<>(ServerKind.class);
    medians.forEach((k, v) -> cells.put(k, Report.Cell.of(v)));
    r.add(id, "section", "label", unit, lowerIsBetter, cells, null);
    return r;
  }

  private static JsonNode baseline(Report r) {
    return Http.JSON.readTree(Http.JSON.writeValueAsString(r.toJson()));
  }
}
