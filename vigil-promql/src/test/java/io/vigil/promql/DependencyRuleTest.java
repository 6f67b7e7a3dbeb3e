package io.vigil.promql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** promql evaluates against the storage API only: its main code never imports the TSDB. */
class DependencyRuleTest {
  @Test
  void mainCodeDoesNotImportTsdb() throws IOException {
    List<Path> offenders;
    try (Stream<Path> files = Files.walk(Path.of("src", "main", "java"))) {
      offenders = files.filter(p -> p.toString().endsWith(".java")).filter(p -> {
        try {
          return Files.readString(p).contains("import io.vigil.tsdb");
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).toList();
    }
    assertThat(offenders).isEmpty();
  }
}
