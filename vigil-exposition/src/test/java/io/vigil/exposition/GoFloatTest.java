package io.vigil.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.testkit.Fixtures;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class GoFloatTest {

  @Test
  void prometheusSpellings() {
    assertThat(GoFloat.format(1e6)).isEqualTo("1e+06");
    assertThat(GoFloat.format(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
    assertThat(GoFloat.format(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
    assertThat(GoFloat.format(Double.NaN)).isEqualTo("NaN");
    assertThat(GoFloat.format(0.001)).isEqualTo("0.001");
    assertThat(GoFloat.format(1.5e-7)).isEqualTo("1.5e-07");
    assertThat(GoFloat.format(0)).isEqualTo("0");
    assertThat(GoFloat.format(-0.0)).isEqualTo("-0");
    assertThat(GoFloat.format(123456)).isEqualTo("123456");
    assertThat(GoFloat.format(1797784)).isEqualTo("1.797784e+06");
    assertThat(GoFloat.format(1e21)).isEqualTo("1e+21");
    assertThat(GoFloat.format(1.8446744073709552e19)).isEqualTo("1.8446744073709552e+19");
    assertThat(GoFloat.format(5e-324)).isEqualTo("5e-324");
    assertThat(GoFloat.format(-12.34)).isEqualTo("-12.34");
    assertThat(GoFloat.format(0.0001)).isEqualTo("0.0001");
    assertThat(GoFloat.format(0.00001)).isEqualTo("1e-05");
    assertThat(GoFloat.format(100)).isEqualTo("100");
  }

  /** Every value Go programs wrote into the fixtures formats back to the same text. */
  @Test
  void valuesGoWroteInTheFixturesFormatIdentically() throws Exception {
    Pattern sample = Pattern.compile("^[^#].*[} ]([^ {}]+)$");
    Pattern le = Pattern.compile("(?:le|quantile)=\"([^\"]+)\"");
    int checked = 0;
    for (String name : List.of("exposition/node-exporter-metrics.txt", "exposition/prometheus-metrics.txt",
        "exposition/alertmanager-metrics.txt", "exposition/pushgateway-metrics.txt", "pushgateway/metrics-full.txt")) {
      for (String line : Files.readAllLines(Fixtures.fixture(name))) {
        Matcher m = sample.matcher(line);
        if (m.matches()) {
          check(m.group(1));
          checked++;
        }
        Matcher b = le.matcher(line);
        while (b.find()) {
          check(b.group(1));
          checked++;
        }
      }
    }
    assertThat(checked).isGreaterThan(2000);
  }

  private static void check(String text) {
    byte[] b = text.getBytes(StandardCharsets.US_ASCII);
    assertThat(GoFloat.format(FloatSyntax.parse(b, 0, b.length))).as(text).isEqualTo(text);
  }

  /** 6,500 doubles of all kinds against the digits Python's shortest repr gives (generate-vectors.py). */
  @Test
  void vectorsFromAnIndependentShortestFormatter() throws Exception {
    int n = 0;
    try (var in = new BufferedReader(new InputStreamReader(
        GoFloatTest.class.getResourceAsStream("/gofloat/go-g-vectors.tsv"), StandardCharsets.US_ASCII))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        int tab = line.indexOf('\t');
        double v = Double.longBitsToDouble(Long.parseUnsignedLong(line.substring(0, tab), 16));
        String expected = line.substring(tab + 1);
        assertThat(GoFloat.format(v)).as("%s (%s)", line.substring(0, tab), v).isEqualTo(expected);
        byte[] b = expected.getBytes(StandardCharsets.US_ASCII);
        assertThat(Double.doubleToRawLongBits(FloatSyntax.parse(b, 0, b.length)))
            .as("read back " + expected).isEqualTo(Double.doubleToRawLongBits(v));
        n++;
      }
    }
    assertThat(n).isGreaterThan(6000);
  }

  @Test
  void appendsWithoutClobberingThePrefix() {
    ByteSink s = new ByteSink(16);
    s.writeAscii("prefix ");
    GoFloat.append(s, 1234567.0);
    s.write(' ');
    GoFloat.append(s, 0.1);
    assertThat(s.toString()).isEqualTo("prefix 1.234567e+06 0.1");
  }

}
