package io.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StaleNaNTest {
  @Test
  void markerIsANaNButNotEveryNaNIsTheMarker() {
    assertThat(Double.isNaN(StaleNaN.VALUE)).isTrue();
    assertThat(StaleNaN.is(StaleNaN.VALUE)).isTrue();
    assertThat(StaleNaN.is(Double.NaN)).isFalse();
    assertThat(StaleNaN.is(0.0 / 0.0)).isFalse();
  }

  @Test
  void bitsSurviveArraysAndBoxing() {
    double[] a = new double[] {StaleNaN.VALUE};
    Double boxed = a[0];
    assertThat(Double.doubleToRawLongBits(a[0])).isEqualTo(StaleNaN.BITS);
    assertThat(StaleNaN.is(boxed)).isTrue();
  }
}
