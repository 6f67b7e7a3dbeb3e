package io.vigil.promql.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StepInvarianceTest {
  @Test
  void pinsSelectorsAndSubqueriesButNotTheirInsides() {
    assertThat(StepInvariance.pin("sum(rate(x[5m])) + y", 3000)).isEqualTo("sum(rate(x[5m] @ 3.000)) + y @ 3.000");
    assertThat(StepInvariance.pin("max_over_time(rate(x[1m])[5m:1m])", 60_000))
        .isEqualTo("max_over_time(rate(x[1m])[5m:1m] @ 60.000)");
    assertThat(StepInvariance.pin("x @ 10", 3000)).isNull();
    assertThat(StepInvariance.pin("1 + 2", 3000)).isNull();
  }
}
