package io.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PromDurationTest {
  private static final long S = 1000;
  private static final long M = 60 * S;
  private static final long H = 60 * M;
  private static final long D = 24 * H;

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      0            | 0                 | 0s
      0s           | 0                 | 0s
      1ms          | 1                 | 1ms
      15s          | 15000             | 15s
      90s          | 90000             | 1m30s
      1h30m        | 5400000           | 1h30m
      5m           | 300000            | 5m
      1d           | 86400000          | 1d
      7d           | 604800000         | 1w
      14d          | 1209600000        | 2w
      90d          | 7776000000        | 90d
      365d         | 31536000000       | 1y
      1y1d         | 31622400000       | 366d
      2w3d         | 1468800000        | 17d
      1y2w3d4h5m6s7ms | 33019506007    | 382d4h5m6s7ms
      1000ms       | 1000              | 1s
      0h0m10s      | 10000             | 10s
      00s          | 0                 | 0s
      292y         | 9208512000000     | 292y
      """)
  void parsesAndFormatsLikePrometheus(String text, long millis, String formatted) {
    PromDuration d = PromDuration.parse(text);
    assertThat(d.millis()).isEqualTo(millis);
    assertThat(d).hasToString(formatted);
    assertThat(PromDuration.parse(d.toString())).isEqualTo(d);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      15x      | unknown unit "x" in duration "15x"
      15       | not a valid duration string: "15"
      1m1h     | not a valid duration string: "1m1h"
      1s1s     | not a valid duration string: "1s1s"
      -5s      | not a valid duration string: "-5s"
      1.5s     | unknown unit "." in duration "1.5s"
      s        | not a valid duration string: "s"
      ' 5s'    | not a valid duration string: " 5s"
      5S       | unknown unit "S" in duration "5S"
      1h 30m   | unknown unit "h " in duration "1h 30m"
      293y     | duration out of range
      99999999999999999999s | not a valid duration string: "99999999999999999999s"
      106751d23h47m16s855ms | duration out of range
      """)
  void rejectsWhatPrometheusRejects(String text, String message) {
    assertThatThrownBy(() -> PromDuration.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }

  @Test
  void emptyStringHasItsOwnMessage() {
    assertThatThrownBy(() -> PromDuration.parse("")).hasMessage("empty duration string");
  }

  @Test
  void theLargestDurationGoCanHoldStillParses() {
    // 2^63-1 ns is 106751d23h47m16s854ms775807ns; at millisecond resolution ...854ms fits.
    assertThat(PromDuration.parse("106751d23h47m16s854ms").millis()).isEqualTo(Long.MAX_VALUE / 1_000_000);
  }

  @Test
  void helpers() {
    assertThat(PromDuration.ofSeconds(10).min(PromDuration.ofMinutes(1))).isEqualTo(PromDuration.ofSeconds(10));
    assertThat(PromDuration.parse("1m").toDuration()).hasSeconds(60);
    assertThat(PromDuration.parse("1500ms").seconds()).isEqualTo(1.5);
    assertThat(PromDuration.parse(D + "ms")).isEqualTo(PromDuration.parse("1d"));
  }
}
