package io.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import io.vigil.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Vigil accepts and rejects the same configuration files as the real {@code promtool check config}
 * (Debian's Prometheus 2.42). The files in {@code promtool/good} and {@code promtool/bad} only use
 * what both know: 2.42 predates some Prometheus 3 fields, and Vigil is stricter in a few documented
 * places (scrape scheme, remote URLs), which are kept out of this corpus.
 */
class PromtoolCrossCheckTest {
  private static final Path CORPUS = Path.of("src/test/resources/promtool");
  private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

  @Test
  void vigilAgreesWithPromtool(@TempDir Path tmp) throws Exception {
    assertThat(PROMTOOL).as("promtool from Debian's prometheus package (the test command's setup installs it)")
        .isExecutable();
    List<String> disagreements = new ArrayList<>();
    int checked = 0;
    // Also the built-in configuration and the one the peer Prometheus ran with.
    Path builtIn = Files.writeString(tmp.resolve("vigil-default.yml"), ConfigLoader.defaultConfigYaml());
    List<Path> extraGood = List.of(builtIn, Fixtures.fixture("prometheus-api/prometheus.yml"));
    for (String kind : List.of("good", "bad")) {
      List<Path> corpus = new ArrayList<>(files(CORPUS.resolve(kind)));
      if (kind.equals("good")) {
        corpus.addAll(extraGood);
      }
      for (Path file : corpus) {
        boolean promtoolAccepts = promtoolAccepts(file);
        String vigilVerdict = vigilVerdict(file);
        boolean vigilAccepts = vigilVerdict == null;
        if (promtoolAccepts != kind.equals("good")) {
          disagreements.add(file + ": promtool " + (promtoolAccepts ? "accepts" : "rejects") + " a " + kind + " file");
        }
        if (vigilAccepts != promtoolAccepts) {
          disagreements.add(file + ": promtool " + (promtoolAccepts ? "accepts" : "rejects") + ", Vigil "
              + (vigilAccepts ? "accepts" : "rejects: " + vigilVerdict));
        }
        checked++;
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(50);
    assertThat(disagreements).isEmpty();
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
    }
  }

  private static boolean promtoolAccepts(Path file) throws IOException, InterruptedException {
    // --syntax-only: promtool would otherwise also require the referenced rule and credential files.
    Process p = new ProcessBuilder(PROMTOOL.toString(), "check", "config", "--syntax-only", file.toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("promtool did not finish within 30 s on " + file);
    }
    return p.exitValue() == 0;
  }

  /** Null when Vigil accepts the file, else its errors. */
  private static String vigilVerdict(Path file) throws IOException {
    try {
      new ConfigLoader().load(file);
      return null;
    } catch (ConfigException e) {
      return e.getMessage();
    }
  }
}
