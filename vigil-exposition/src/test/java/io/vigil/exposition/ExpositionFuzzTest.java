package io.vigil.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vigil.model.Labels;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Coverage-guided fuzzing of all three parsers, the collector and the writers. Jazzer fuzzes only
 * one {@code @FuzzTest} per JVM, so one target serves all formats: the first input byte picks the
 * format, the rest is the body.
 *
 * <p>Properties: parsing, reading every accessor and collecting families fail with nothing but
 * {@link ExpositionException}; the parser never returns more entries than there are bytes; and
 * whatever collects into families writes back in its own format and parses to equal families.
 *
 * <p>The module's surefire "fuzz" execution runs this class with {@code JAZZER_FUZZ=1} for
 * {@code maxDuration}; elsewhere (and in IDEs) it replays the inputs in
 * {@code ExpositionFuzzTestInputs/parseWriteParse}, including any finding saved there.
 */
class ExpositionFuzzTest {
  private static final ExpositionFormat[] FORMATS = ExpositionFormat.values();

  @FuzzTest(maxDuration = "25s")
  void parseWriteParse(byte[] data) throws Exception {
    if (data.length == 0) {
      return;
    }
    ExpositionFormat format = FORMATS[(data[0] & 0xff) % FORMATS.length];
    byte[] body = Arrays.copyOfRange(data, 1, data.length);
    readEveryAccessor(format, body);
    List<MetricFamily> families;
    try {
      families = collect(format, body);
    } catch (ExpositionException invalid) {
      return;
    }
    ByteSink out = new ByteSink();
    switch (format) {
      case PROMETHEUS_TEXT -> PromTextWriter.write(families, out);
      case OPENMETRICS_TEXT -> OpenMetricsWriter.write(families, out);
      case PROMETHEUS_PROTOBUF -> ProtobufWriter.write(families, out);
    }
    List<MetricFamily> again;
    try {
      again = collect(format, out.toByteArray());
    } catch (ExpositionException e) {
      throw new AssertionError("written output does not parse: " + e.getMessage() + "\n" + out, e);
    }
    if (format == ExpositionFormat.PROMETHEUS_PROTOBUF) {
      assertThat(again).isEqualTo(families); // the protobuf writer keeps the families' order
    } else {
      assertThat(again).isEqualTo(families.stream().sorted(Comparator.comparing(MetricFamily::name)).toList());
    }
  }

  private static List<MetricFamily> collect(ExpositionFormat format, byte[] body) throws ExpositionException {
    return FamilyCollector.collect(ExpositionParser.create(format, body, 0, body.length, ParserOptions.DEFAULTS));
  }

  private static void readEveryAccessor(ExpositionFormat format, byte[] body) {
    ExpositionParser p = ExpositionParser.create(format, body, 0, body.length, ParserOptions.DEFAULTS);
    Labels.Builder b = new Labels.Builder();
    int entries = 0;
    try {
      for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
        if (++entries > body.length + 1) {
          throw new AssertionError("more entries than input bytes");
        }
        assertThat(p.line()).isPositive();
        switch (e) {
          case SERIES -> {
            p.series().hashCode();
            p.metricName().toString();
            p.labels(b);
            b.build();
            p.value();
            if (p.hasTimestamp()) {
              p.timestampMs();
            }
            if (p.hasExemplar()) {
              assertThat(p.exemplar()).isNotNull();
            }
          }
          case TYPE -> assertThat(p.type()).isNotNull();
          case HELP -> p.help();
          case UNIT -> p.unit();
          default -> p.text();
        }
      }
      assertThat(p.next()).isEqualTo(Entry.EOF);
    } catch (ExpositionException expected) {
      // invalid input, reported as such
    }
  }
}
