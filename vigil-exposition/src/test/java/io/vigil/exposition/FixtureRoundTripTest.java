package io.vigil.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fixture becomes families whose count matches its lines, writes back in its own format, and
 * parses to equal families. Text that client_golang wrote comes back byte for byte (after dropping
 * empty label values, which Vigil's Labels drop as Prometheus treats them as absent).
 */
class FixtureRoundTripTest {
  private static final Set<String> WRITTEN_BY_GO = Set.of("node-exporter-metrics.txt",
      "node-exporter-metrics.accept-openmetrics.txt", "prometheus-metrics.txt", "prometheus-metrics.accept-openmetrics.txt",
      "alertmanager-metrics.txt", "pushgateway-metrics.txt", "metrics-full.txt");
  private static final Pattern SAMPLE_NAME = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)");
  private static final Pattern EMPTY_LABEL = Pattern.compile("(?<=[{,])[a-zA-Z_][a-zA-Z0-9_]*=\"\",?");

  static List<Path> textFixtures() throws Exception {
    return FixtureParseTest.textFixtures();
  }

  @ParameterizedTest
  @MethodSource("textFixtures")
  void roundTripsThroughTheWriter(Path file) throws Exception {
    ExpositionFormat format = FixtureParseTest.formatOf(file);
    byte[] original = Files.readAllBytes(file);
    List<String> lines = Files.readAllLines(file);

    List<MetricFamily> families = collect(format, original);
    assertThat(families).as("families").hasSize(expectedFamilies(lines));

    byte[] written = write(format, families);
    String writtenText = new String(written, StandardCharsets.UTF_8);
    assertThat(sampleLines(writtenText.lines().toList())).as("sample lines written").isEqualTo(sampleLines(lines));
    assertThat(sorted(collect(format, written))).isEqualTo(sorted(families));

    if (WRITTEN_BY_GO.contains(file.getFileName().toString())) {
      String expected = EMPTY_LABEL.matcher(new String(original, StandardCharsets.UTF_8)).replaceAll("")
          .replace(",}", "}").replace("{}", "");
      assertThat(writtenText).isEqualTo(expected);
    }
  }

  static List<MetricFamily> collect(ExpositionFormat format, byte[] body) throws ExpositionException {
    return FamilyCollector.collect(ExpositionParser.create(format, body, 0, body.length, ParserOptions.DEFAULTS));
  }

  static byte[] write(ExpositionFormat format, List<MetricFamily> families) {
    ByteSink out = new ByteSink();
    switch (format) {
      case OPENMETRICS_TEXT -> OpenMetricsWriter.write(families, out);
      case PROMETHEUS_TEXT -> PromTextWriter.write(families, out);
      case PROMETHEUS_PROTOBUF -> ProtobufWriter.write(families, out);
    }
    return out.toByteArray();
  }

  static List<MetricFamily> sorted(List<MetricFamily> families) {
    return families.stream().sorted(Comparator.comparing(MetricFamily::name)).toList();
  }

  private static long sampleLines(List<String> lines) {
    return lines.stream().filter(l -> !l.isBlank() && !l.startsWith("#")).count();
  }

  /**
   * Families by reading the lines: one per TYPE line, plus one per distinct sample name that no
   * TYPE line covers (with or without its type's suffix).
   */
  private static int expectedFamilies(List<String> lines) {
    Set<String> typed = new HashSet<>();
    for (String l : lines) {
      if (l.startsWith("# TYPE ")) {
        typed.add(l.split(" ")[2]);
      }
    }
    Set<String> untyped = new HashSet<>();
    for (String l : lines) {
      Matcher m = SAMPLE_NAME.matcher(l);
      if (l.startsWith("#") || !m.find()) {
        continue;
      }
      String name = m.group(1);
      boolean covered = typed.contains(name);
      for (String suffix : new String[] {"_bucket", "_sum", "_count", "_total", "_created", "_info", "_gsum", "_gcount"}) {
        covered |= name.endsWith(suffix) && typed.contains(name.substring(0, name.length() - suffix.length()));
      }
      if (!covered) {
        untyped.add(name);
      }
    }
    return typed.size() + untyped.size();
  }
}
