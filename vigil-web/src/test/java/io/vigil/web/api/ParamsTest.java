package io.vigil.web.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Timestamp, duration, limit and boolean parameters as Prometheus's web/api/v1 parses them. */
class ParamsTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "1795290126|1795290126000",
      "1795290126.634|1795290126634",
      "1795290126.1|1795290126100",
      "1.5|1500",
      "-1.5|-1500",
      "0|0",
      "1e3|1000000",
      "0x10p0|16000",
      "+12|12000",
      // The fraction is rounded to ms in binary floating point (0.0005 is a hair below half a ms
      // once 1 is added) and half away from zero, as Go's math.Round does.
      "1.0005|1000",
      "0.0025|3",
      "-0.0025|-3",
      "2015-07-01T20:10:51.781Z|1435781451781",
      "2015-07-01T20:10:51Z|1435781451000",
      "2015-07-01T22:10:51.781+02:00|1435781451781",
      "2015-07-01T18:10:51.781-02:00|1435781451781",
      "2015-07-01T20:10:51.78199999999Z|1435781451781",
      "2015-07-01T20:10:51,5Z|1435781451500",
      "1969-12-31T23:59:59.999Z|-1",
      "-292273086-05-16T16:47:06Z|-9223309901257974000",
      "292277025-08-18T07:12:54.999999999Z|9223309901257974999",
  })
  void times(String text, long expectedMs) {
    assertThat(Params.parseTimeMs(text)).isEqualTo(expectedMs);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', value = {
      "notatime",
      "''",
      "2015-07-01 20:10:51Z",
      "2015-07-01T20:10:51",
      "2015-02-30T00:00:00Z",
      "2015-07-01T24:00:00Z",
      "2015-07-01T20:10:51.Z",
      "2015-07-01T20:10:51+0200",
      "1_000",
      "NaN",
      "1e300",
  })
  void badTimes(String text) {
    assertThatThrownBy(() -> Params.parseTimeMs(text))
        .hasMessage("cannot parse \"" + text + "\" to a valid timestamp");
  }

  @ParameterizedTest(name = "{0} -> {1} ns")
  @CsvSource(delimiter = '|', value = {
      "15|15000000000",
      "0.5|500000000",
      "0.000000001|1",
      "15s|15000000000",
      "10ms|10000000",
      "1m30s|90000000000",
      "1h|3600000000000",
      "5d|432000000000000",
      "1w|604800000000000",
      "1y|31536000000000000",
      "0|0",
      "-1|-1000000000",
  })
  void durations(String text, long expectedNanos) {
    assertThat(Params.parseDurationNanos(text)).isEqualTo(expectedNanos);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "1.5m|cannot parse \"1.5m\" to a valid duration",
      "abc|cannot parse \"abc\" to a valid duration",
      "''|cannot parse \"\" to a valid duration",
      "1e400|cannot parse \"1e400\" to a valid duration",
      "1e10|cannot parse \"1e10\" to a valid duration. It overflows int64",
      "30s1m|cannot parse \"30s1m\" to a valid duration",
  })
  void badDurations(String text, String message) {
    assertThatThrownBy(() -> Params.parseDurationNanos(text)).hasMessage(message);
  }

  @Test
  void limits() {
    assertThat(Params.parseLimit(null)).isZero();
    assertThat(Params.parseLimit("")).isZero();
    assertThat(Params.parseLimit("5")).isEqualTo(5);
    assertThat(Params.parseLimit("99999999999")).isEqualTo(Integer.MAX_VALUE);
    assertThatThrownBy(() -> Params.parseLimit("-1"))
        .hasMessage("invalid parameter \"limit\": limit must be non-negative");
    assertThatThrownBy(() -> Params.parseLimit("ten"))
        .hasMessage("invalid parameter \"limit\": strconv.Atoi: parsing \"ten\": invalid syntax");
    assertThatThrownBy(() -> Params.parseLimit("1.5"))
        .hasMessage("invalid parameter \"limit\": strconv.Atoi: parsing \"1.5\": invalid syntax");
    assertThatThrownBy(() -> Params.parseLimit("99999999999999999999"))
        .hasMessage("invalid parameter \"limit\": strconv.Atoi: parsing \"99999999999999999999\": value out of range");
  }

  @Test
  void booleansAsGoParseBool() {
    for (String t : new String[] {"1", "t", "T", "TRUE", "true", "True"}) {
      assertThat(Params.parseBool(t)).isTrue();
    }
    for (String f : new String[] {"0", "f", "F", "FALSE", "false", "False"}) {
      assertThat(Params.parseBool(f)).isFalse();
    }
    assertThatThrownBy(() -> Params.parseBool("yes"))
        .hasMessage("strconv.ParseBool: parsing \"yes\": invalid syntax");
  }

  @Test
  void labelNamesUnescapeFromPaths() {
    assertThat(LabelNameEscaping.unescape("job")).isEqualTo("job");
    assertThat(LabelNameEscaping.unescape("U__a_2e_b")).isEqualTo("a.b");
    assertThat(LabelNameEscaping.unescape("U__my__label")).isEqualTo("my_label");
    assertThat(LabelNameEscaping.unescape("U__bad_zz_")).isEqualTo("U__bad_zz_");
  }
}
