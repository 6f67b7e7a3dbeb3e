package io.vigil.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Labels;
import io.vigil.testkit.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every peer-produced exposition fixture parses completely, with as many entries of each kind as
 * counting its lines says (the expectation never comes from the parser).
 */
class FixtureParseTest {

  static List<Path> textFixtures() throws IOException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(Fixtures.fixture("exposition"))) {
      s.filter(p -> p.toString().endsWith(".txt") && !p.toString().endsWith(".headers.txt")
          && !p.getFileName().toString().startsWith("python-client-generator")).sorted().forEach(out::add);
    }
    for (String push : new String[] {"push-body-restic-backup.txt", "push-body-k10-histogram-summary.txt",
        "push-body-untyped-no-help.txt", "metrics-full.txt"}) {
      out.add(Fixtures.fixture("pushgateway/" + push));
    }
    return out;
  }

  /** The format the peer announced in the sibling headers file, or by name for the rest. */
  static ExpositionFormat formatOf(Path file) throws IOException {
    String name = file.getFileName().toString();
    Path headers = file.resolveSibling(name.replace(".txt", ".headers.txt"));
    if (Files.exists(headers)) {
      for (String line : Files.readAllLines(headers)) {
        if (line.regionMatches(true, 0, "Content-Type:", 0, 13)) {
          return ExpositionFormat.fromContentType(line.substring(13).trim());
        }
      }
    }
    return name.endsWith(".openmetrics.txt") ? ExpositionFormat.OPENMETRICS_TEXT : ExpositionFormat.PROMETHEUS_TEXT;
  }

  @ParameterizedTest
  @MethodSource("textFixtures")
  void parsesWithTheCountsItsLinesGive(Path file) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    List<String> lines = Files.readAllLines(file);
    long samples = lines.stream().filter(l -> !l.isBlank() && !l.startsWith("#")).count();
    long types = lines.stream().filter(l -> l.startsWith("# TYPE ")).count();
    long helps = lines.stream().filter(l -> l.startsWith("# HELP ")).count();
    long units = lines.stream().filter(l -> l.startsWith("# UNIT ")).count();
    long exemplars = lines.stream().filter(l -> !l.startsWith("#") && l.contains(" # {")).count();

    ExpositionParser p = ExpositionParser.create(formatOf(file), bytes, 0, bytes.length, ParserOptions.DEFAULTS);
    long[] seen = new long[Entry.values().length];
    long seenExemplars = 0;
    Labels.Builder b = new Labels.Builder();
    for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
      seen[e.ordinal()]++;
      if (e == Entry.SERIES) {
        p.labels(b);
        assertThat(b.build().metricName()).isEqualTo(p.metricName().toString());
        seenExemplars += p.hasExemplar() ? 1 : 0;
      }
    }
    assertThat(seen[Entry.SERIES.ordinal()]).as("samples").isEqualTo(samples).isPositive();
    assertThat(seen[Entry.TYPE.ordinal()]).as("TYPE lines").isEqualTo(types);
    assertThat(seen[Entry.HELP.ordinal()]).as("HELP lines").isEqualTo(helps);
    assertThat(seen[Entry.UNIT.ordinal()]).as("UNIT lines").isEqualTo(units);
    assertThat(seenExemplars).as("exemplars").isEqualTo(exemplars);
  }
}
