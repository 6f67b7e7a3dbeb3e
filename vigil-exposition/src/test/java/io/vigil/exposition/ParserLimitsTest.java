package io.vigil.exposition;

import static io.vigil.exposition.ExpositionFormat.OPENMETRICS_TEXT;
import static io.vigil.exposition.ExpositionFormat.PROMETHEUS_TEXT;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Labels;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Hostile inputs: each gives a clear error or a documented result, quickly and in bounded memory. */
class ParserLimitsTest {

  @Test
  void tenMegabyteLabelValueIsRejectedByDefaultAndParsesWhenAllowed() throws Exception {
    byte[] in = new byte[10 * 1024 * 1024 + 16];
    byte[] head = "m{a=\"".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(head, 0, in, 0, head.length);
    Arrays.fill(in, head.length, head.length + 10 * 1024 * 1024, (byte) 'v');
    byte[] tail = "\"} 1\n".getBytes(StandardCharsets.US_ASCII);
    int len = head.length + 10 * 1024 * 1024;
    System.arraycopy(tail, 0, in, len, tail.length);
    len += tail.length;

    assertThat(ParseHelper.error(PROMETHEUS_TEXT, Arrays.copyOf(in, len), ParserOptions.DEFAULTS))
        .isEqualTo("line 1, column 6: value of label \"a\" longer than 65536 bytes (ParserOptions.maxLabelValueBytes)");

    ParserOptions big = ParserOptions.DEFAULTS.withMaxLabelValueBytes(16 * 1024 * 1024);
    ExpositionParser p = ExpositionParser.create(PROMETHEUS_TEXT, in, 0, len, big);
    assertThat(p.next()).isEqualTo(Entry.SERIES);
    Labels.Builder b = new Labels.Builder();
    p.labels(b);
    assertThat(b.build().get("a")).hasSize(10 * 1024 * 1024);
    assertThat(p.next()).isEqualTo(Entry.EOF);
  }

  @Test
  void aMillionLabelsOnOneLineStopAtTheLimit() {
    StringBuilder sb = new StringBuilder(12_000_000).append("m{");
    int columnOfFirstExcess = 0;
    for (int i = 0; i < 1_000_000; i++) {
      if (i == ParserOptions.DEFAULTS.maxLabelsPerSeries()) {
        columnOfFirstExcess = sb.length() + 1;
      }
      sb.append('l').append(i).append("=\"v\",");
    }
    sb.append("} 1\n");
    byte[] in = sb.toString().getBytes(StandardCharsets.US_ASCII);
    assertThat(ParseHelper.error(PROMETHEUS_TEXT, in, ParserOptions.DEFAULTS))
        .isEqualTo("line 1, column " + columnOfFirstExcess + ": more than 512 labels (ParserOptions.maxLabelsPerSeries)");
    assertThat(ParseHelper.error(OPENMETRICS_TEXT, in, ParserOptions.DEFAULTS))
        .isEqualTo("line 1, column " + columnOfFirstExcess + ": more than 512 labels (ParserOptions.maxLabelsPerSeries)");
  }

  @Test
  void manyDistinctLabelsUpToTheLimitParse() throws Exception {
    StringBuilder sb = new StringBuilder("m{");
    for (int i = 0; i < 512; i++) {
      sb.append("label_").append(i).append("=\"").append(i).append("\",");
    }
    sb.append("} 1\n");
    byte[] in = sb.toString().getBytes(StandardCharsets.US_ASCII);
    ExpositionParser p = ExpositionParser.create(PROMETHEUS_TEXT, in, 0, in.length, ParserOptions.DEFAULTS);
    p.next();
    Labels.Builder b = new Labels.Builder();
    p.labels(b);
    assertThat(b.build().size()).isEqualTo(513);
  }

  @Test
  void longLinesAndNames() {
    byte[] comment = ("# " + "x".repeat(1 << 20) + "\n").getBytes(StandardCharsets.US_ASCII);
    assertThat(ParseHelper.error(PROMETHEUS_TEXT, comment, ParserOptions.DEFAULTS))
        .isEqualTo("line 1, column 1048577: line longer than 1048576 bytes (ParserOptions.maxLineBytes)");
    byte[] name = ("m".repeat(2000) + " 1\n").getBytes(StandardCharsets.US_ASCII);
    assertThat(ParseHelper.error(PROMETHEUS_TEXT, name, ParserOptions.DEFAULTS))
        .isEqualTo("line 1, column 1: metric name longer than 1024 bytes (ParserOptions.maxNameBytes)");
    byte[] label = ("m{" + "l".repeat(2000) + "=\"\"} 1\n").getBytes(StandardCharsets.US_ASCII);
    assertThat(ParseHelper.error(PROMETHEUS_TEXT, label, ParserOptions.DEFAULTS))
        .isEqualTo("line 1, column 3: label name longer than 1024 bytes (ParserOptions.maxNameBytes)");
  }

  @Test
  void binaryGarbage() {
    byte[] in = {0, 1, 2, (byte) 0xff, '\n'};
    assertThat(ParseHelper.error(PROMETHEUS_TEXT, in, ParserOptions.DEFAULTS))
        .isEqualTo("line 1, column 1: expected a metric name or '#' at the start of a line, found '\\x00'");
    byte[] gzip = {(byte) 0x1f, (byte) 0x8b, 8, 0};
    assertThat(ParseHelper.error(OPENMETRICS_TEXT, gzip, ParserOptions.DEFAULTS))
        .isEqualTo("line 1, column 1: expected a metric name or '#' at the start of a line, found '\\x1f'");
    byte[] afterName = {'m', ' ', (byte) 0xc3, (byte) 0xa9, '\n'};
    assertThat(ParseHelper.error(PROMETHEUS_TEXT, afterName, ParserOptions.DEFAULTS))
        .isEqualTo("line 1, column 3: expected a number, NaN, +Inf or -Inf as sample value, found \"é\"");
  }

  @Test
  void randomBytesEndInEofOrAnExpositionException() {
    long seed = System.nanoTime();
    System.out.println("randomBytesEndInEofOrAnExpositionException seed=" + seed);
    SplittableRandom rnd = new SplittableRandom(seed);
    byte[] alphabet = "ab_:{}=\",# \n\t\\01.eE+-InfNa".getBytes(StandardCharsets.US_ASCII);
    for (int round = 0; round < 20_000; round++) {
      byte[] in = new byte[rnd.nextInt(64)];
      for (int i = 0; i < in.length; i++) {
        in[i] = rnd.nextInt(4) == 0 ? (byte) rnd.nextInt(256) : alphabet[rnd.nextInt(alphabet.length)];
      }
      for (ExpositionFormat f : new ExpositionFormat[] {PROMETHEUS_TEXT, OPENMETRICS_TEXT}) {
        drain(f, in);
      }
    }
  }

  @Test
  void everyPrefixOfAValidDocumentEndsCleanly() throws Exception {
    byte[] doc = ("# HELP a_seconds x\n# TYPE a_seconds histogram\n# UNIT a_seconds seconds\n"
        + "a_seconds_bucket{le=\"1.0\",x=\"\\\"\"} 1 1.5 # {t=\"1\"} 0.5 2\na_seconds_bucket{le=\"+Inf\"} 2\n"
        + "a_seconds_count 2\na_seconds_sum 1.5\n# TYPE b counter\nb_total 1\n# EOF\n").getBytes(StandardCharsets.UTF_8);
    for (int n = 0; n <= doc.length; n++) {
      for (ExpositionFormat f : new ExpositionFormat[] {PROMETHEUS_TEXT, OPENMETRICS_TEXT}) {
        drain(f, Arrays.copyOf(doc, n));
      }
    }
    assertThat(ParseHelper.entries(OPENMETRICS_TEXT, doc, ParserOptions.DEFAULTS)).hasSize(10).endsWith("EOF");
  }

  /** Parses to the end; the only acceptable failure is an ExpositionException. */
  private static void drain(ExpositionFormat f, byte[] in) {
    ExpositionParser p = ExpositionParser.create(f, in, 0, in.length, ParserOptions.DEFAULTS);
    Labels.Builder b = new Labels.Builder();
    int entries = 0;
    try {
      for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
        if (++entries > in.length + 1) {
          throw new AssertionError("more entries than bytes: the parser does not advance on " + Arrays.toString(in));
        }
        switch (e) {
          case SERIES -> {
            p.labels(b);
            b.build();
            p.series();
            p.exemplar();
          }
          case HELP -> p.help();
          case UNIT -> p.unit();
          default -> p.text();
        }
      }
    } catch (ExpositionException expected) {
      assertThat(expected.line()).isPositive();
      assertThat(expected.column()).isPositive();
    }
  }
}
