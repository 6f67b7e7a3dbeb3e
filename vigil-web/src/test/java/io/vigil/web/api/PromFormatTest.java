package io.vigil.web.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.StaleNaN;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Number and time texts against what Go (Prometheus's util/jsonutil, strconv, encoding/json) prints. */
class PromFormatTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "1|1",
      "0|0",
      "-0.0|-0",
      "0.1|0.1",
      "-2.25|-2.25",
      "100|100",
      "1e15|1000000000000000",
      "12345.678|12345.678",
      "0.001|0.001",
      "0.00099|0.00099",
      "9999999.5|9999999.5",
      "10000000.5|10000000.5",
      // From the fixtures (query-range.json, query-pushgateway-honor-labels.json).
      "0.3977333333333333|0.3977333333333333",
      "0.39909333333333336|0.39909333333333336",
      "1795289939.9536867|1795289939.9536867",
      // 1e-6 <= |v| < 1e21: plain decimal notation ...
      "0.000001|0.000001",
      "-0.0000015|-0.0000015",
      "1e20|100000000000000000000",
      "1.2345678901234568e20|123456789012345680000",
      "1152921504606846976|1152921504606847000",
      "9007199254740993|9007199254740992",
      // ... otherwise Go's exponent form with at least two exponent digits.
      "9.99e-7|9.99e-07",
      "1e-7|1e-07",
      "-1e-7|-1e-07",
      "1e21|1e+21",
      "1.5e300|1.5e+300",
      "1.7976931348623157e308|1.7976931348623157e+308",
      "4.9e-324|5e-324",
      "1e-323|1e-323",
      "NaN|NaN",
      "Infinity|+Inf",
      "-Infinity|-Inf",
  })
  void sampleValuesAsJsonutilMarshalFloat(double v, String expected) {
    assertThat(PromFormat.sampleValue(v)).isEqualTo(expected);
    char[] buf = new char[PromFormat.MAX_TIMESTAMP_CHARS];
    int n = PromFormat.integerSampleValue(v, buf);
    if (n >= 0) { // the allocation-free path, where it applies, must agree
      assertThat(new String(buf, 0, n)).isEqualTo(expected);
    }
  }

  @Test
  void staleMarkersPrintAsNaN() {
    assertThat(PromFormat.sampleValue(StaleNaN.VALUE)).isEqualTo("NaN");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "1435781451781|1435781451.781",
      "1435781451100|1435781451.100",
      "1435781451050|1435781451.050",
      "1435781451005|1435781451.005",
      "1435781451000|1435781451",
      "0|0",
      "999|0.999",
      "-1|-0.001",
      "-1500|-1.500",
  })
  void timestampsAsMarshalTimestamp(long ms, String expected) {
    assertThat(PromFormat.timestamp(ms)).isEqualTo(expected);
  }

  @Test
  void extremeTimestampsFitTheScratchBuffer() {
    assertThat(PromFormat.timestamp(Params.MAX_TIME_MS)).isEqualTo("9223309901257974.999");
    assertThat(PromFormat.timestamp(Params.MIN_TIME_MS)).isEqualTo("-9223309901257974");
    assertThat(PromFormat.timestamp(Long.MAX_VALUE)).isEqualTo("9223372036854775.807");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      // alerts.json / rules.json values
      "90123.52399992943|9.012352399992943e+04",
      "1.11|1.11e+00",
      "1|1e+00",
      "0|0e+00",
      "-1.5e-10|-1.5e-10",
      "1e100|1e+100",
      "NaN|NaN",
  })
  void alertValuesInExponentForm(double v, String expected) {
    assertThat(PromFormat.exponent(v)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "0.000166309|0.000166309",
      "4.705e-05|0.00004705",
      "1e-7|1e-7",
      "1.5e-10|1.5e-10",
      "1e21|1e+21",
      "0|0",
      "15|15",
      "0.01650269|0.01650269",
  })
  void durationFieldsAsGoEncodingJson(double v, String expected) {
    assertThat(PromFormat.goJsonNumber(v)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "2026-11-21T19:40:03.524973802Z|2026-11-21T19:40:03.524973802Z",
      "2026-11-21T19:39:49Z|2026-11-21T19:39:49Z",
      "2017-01-17T14:07:44.500Z|2017-01-17T14:07:44.5Z",
      "2017-01-17T14:07:44.000001Z|2017-01-17T14:07:44.000001Z",
  })
  void timesAsGoRfc3339Nano(String instant, String expected) {
    assertThat(PromFormat.rfc3339Nano(Instant.parse(instant))).isEqualTo(expected);
  }

  @Test
  void missingTimeIsGoZeroTime() {
    assertThat(PromFormat.rfc3339Nano(null)).isEqualTo("0001-01-01T00:00:00Z");
  }

  @Test
  void randomValuesReadBackExactly() {
    long seed = System.nanoTime();
    System.out.println("PromFormatTest seed " + seed);
    java.util.Random r = new java.util.Random(seed);
    for (int i = 0; i < 10_000; i++) {
      double v = r.nextDouble() * Math.pow(10, r.nextInt(40) - 20) * (r.nextBoolean() ? 1 : -1);
      String s = PromFormat.sampleValue(v);
      assertThat(Double.parseDouble(s)).as("seed " + seed + ": " + s).isEqualTo(v);
    }
  }
}
