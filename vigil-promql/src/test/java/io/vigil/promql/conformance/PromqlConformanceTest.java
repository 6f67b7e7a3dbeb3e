package io.vigil.promql.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.promql.Engine;
import io.vigil.promql.EngineOptions;
import io.vigil.promql.parser.ParserOptions;
import io.vigil.testkit.MemoryStorage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs the upstream PromQL conformance scripts (shared/conformance/promql, FORMAT.md) with the
 * engine settings of FORMAT.md §7 against the reference in-memory storage. Prints one line per file
 * and a closing line per folder; core/ must pass completely, the other folders are report-only.
 */
class PromqlConformanceTest {
  static final Path CORPUS = locate();

  private static Path locate() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path c = p.resolve("shared/conformance/promql");
      if (Files.isDirectory(c)) {
        return c;
      }
      Path sibling = p.resolveSibling("shared").resolve("conformance/promql");
      if (Files.isDirectory(sibling)) {
        return sibling;
      }
    }
    throw new IllegalStateException("shared/conformance/promql not found above " + Path.of("").toAbsolutePath());
  }

  /** FORMAT.md §7: lookback 5m, subquery step 1m, max samples 10000, timeout 100s, all experimental syntax, delayed name removal. */
  static Engine conformanceEngine() {
    return new Engine(EngineOptions.DEFAULTS.withMaxSamples(10_000).withTimeout(Duration.ofSeconds(100))
        .withParserOptions(ParserOptions.ALL_EXPERIMENTAL).withDelayedNameRemoval(true));
  }

  /** Totals of one folder. */
  record Totals(int passed, int failed, List<String> failures) {}

  static Totals runFolder(String folder, boolean extraChecks) throws IOException {
    return runFolder(folder, extraChecks, MemoryStorage::new, "");
  }

  static Totals runFolder(String folder, boolean extraChecks, java.util.function.Supplier<io.vigil.storage.Storage> storage,
      String suffix) throws IOException {
    Engine engine = conformanceEngine();
    int passed = 0;
    int failed = 0;
    List<String> failures = new ArrayList<>();
    StringBuilder report = new StringBuilder();
    List<Path> files;
    Path dir = folder.equals("vigil") ? Path.of("src", "test", "resources", "promql-vigil") : CORPUS.resolve(folder);
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".test")).sorted().toList();
    }
    for (Path f : files) {
      ScriptRunner runner = new ScriptRunner(engine, storage, extraChecks);
      String name = folder + "/" + f.getFileName();
      try {
        runner.run(Files.readString(f, StandardCharsets.UTF_8));
      } catch (RuntimeException e) {
        failures.add(name + ": script error: " + e);
      }
      int p = 0;
      int fl = 0;
      for (ScriptRunner.EvalResult r : runner.results()) {
        if (r.passed()) {
          p++;
        } else {
          fl++;
          failures.add(name + ":" + r.line() + ": " + r.command() + "\n    " + r.failure());
        }
      }
      passed += p;
      failed += fl;
      String line = "promql-conformance file " + name + ": " + p + "/" + (p + fl) + " evals ok"
          + (runner.usesNativeHistograms() ? " (native histograms not supported)" : "");
      System.out.println(line);
      report.append(line).append('\n');
    }
    String closing = "promql-conformance " + folder + suffix + ": " + passed + " passed, " + failed + " failed";
    System.out.println(closing);
    report.append(closing).append('\n');
    for (String fl : failures) {
      report.append(fl).append('\n');
    }
    Path out = Path.of("target", "promql-conformance-" + folder + suffix.replace(' ', '-') + ".txt");
    Files.createDirectories(out.getParent());
    Files.writeString(out, report);
    PrintStream err = System.err;
    failures.stream().limit(200).forEach(err::println);
    return new Totals(passed, failed, failures);
  }

  /**
   * Core evals that do not pass yet, each with the reason (the SKIPPED table of the issue). They
   * still run and are reported; the test fails if one of them starts passing, so the list shrinks.
   */
  static final java.util.Map<String, String> KNOWN_CORE_FAILURES = knownCoreFailures();

  /**
   * Prometheus 3.0 made the lookback window left-open, (t-5m, t] (prometheus/prometheus#13904), and
   * updated these upstream evals with it. The corpus holds them from older upstream commits (see
   * LICENSE-NOTE.md), where the lookback was still closed, [t-5m, t]: each selects a sample exactly
   * five minutes old. FORMAT.md §7 and core/subquery.test:17 expect Prometheus 3's window; a single
   * engine cannot satisfy both, and Vigil follows Prometheus 3.
   */
  private static java.util.Map<String, String> knownCoreFailures() {
    String reason = "pre-3.0 expectation: needs the sample exactly 5m before t, which Prometheus 3's "
        + "left-open lookback (prometheus/prometheus#13904, FORMAT.md §7) excludes";
    java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
    for (String eval : List.of("core/aggregators.test:300", "core/aggregators.test:305", "core/aggregators.test:315",
        "core/aggregators.test:340", "core/aggregators.test:346", "core/aggregators.test:352",
        "core/aggregators.test:359", "core/aggregators.test:365", "core/staleness.test:17",
        "core/staleness.test:50")) {
      m.put(eval, reason);
    }
    return java.util.Collections.unmodifiableMap(m);
  }

  @Test
  void core() throws IOException {
    assertCore(runFolder("core", true));
  }

  /** The same scripts against vigil-tsdb's head (test scope only: promql's main code sees storage only). */
  @Test
  void coreOnTsdbHead() throws IOException {
    assertCore(runFolder("core", false, HeadStorage::new, " (tsdb head)"));
  }

  private static void assertCore(Totals t) {
    assertThat(t.passed()).isGreaterThan(0);
    List<String> unexpected = t.failures().stream()
        .filter(f -> KNOWN_CORE_FAILURES.keySet().stream().noneMatch(k -> f.startsWith(k + ":")))
        .toList();
    assertThat(unexpected).as("core/ must pass completely").isEmpty();
    for (String known : KNOWN_CORE_FAILURES.keySet()) {
      assertThat(t.failures()).as("known failure now passes, remove it from the list: " + known)
          .anyMatch(f -> f.startsWith(known + ":"));
    }
  }

  /** Vigil's own scripts (src/test/resources/promql-vigil) for behaviours it adds or pins down. */
  @Test
  void vigilScripts() throws IOException {
    Totals t = runFolder("vigil", true);
    assertThat(t.passed()).isGreaterThan(0);
    assertThat(t.failures()).isEmpty();
  }

  @Test
  void experimentalReportOnly() throws IOException {
    Totals t = runFolder("experimental", false);
    assertThat(t.passed() + t.failed()).isGreaterThan(0);
  }

  @Test
  void nativeHistogramsReportOnly() throws IOException {
    Totals t = runFolder("native-histograms", false);
    assertThat(t.passed() + t.failed()).isGreaterThan(0);
  }
}
