package io.vigil.tsdb.query;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IntervalsTest {
  @Test
  void mergesOverlappingAndTouchingIntervals() {
    Intervals i = Intervals.of(10, 20).add(30, 40).add(21, 25).add(5, 9).add(100, Long.MAX_VALUE).add(200, 300);
    assertThat(i.toString()).isEqualTo("[[5, 25], [30, 40], [100, 9223372036854775807]]");
    assertThat(i.contains(5)).isTrue();
    assertThat(i.contains(26)).isFalse();
    assertThat(i.contains(Long.MAX_VALUE)).isTrue();
    assertThat(i.covers(31, 39)).isTrue();
    assertThat(i.covers(25, 30)).isFalse();
    assertThat(Intervals.NONE.add(5, 4)).isEqualTo(Intervals.NONE);
  }
}
