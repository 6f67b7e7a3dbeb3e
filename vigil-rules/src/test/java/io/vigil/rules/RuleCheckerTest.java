package io.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.promql.parser.ParserOptions;
import io.vigil.testkit.Fixtures;
import io.vigil.testkit.PeerProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code vigil check rules} against promtool: the fixtures' exact outputs, and a corpus of rule
 * files that the real promtool 2.42 (run by this test) and Vigil must accept or reject alike.
 */
class RuleCheckerTest {
  private final RuleChecker checker = new RuleChecker(ParserOptions.DEFAULT);

  /** Output of a check, with the fixture directory stripped so that file names read as promtool printed them. */
  record Output(int exit, String out, String err) {}

  Output check(Path... files) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = checker.check(List.of(files), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    String dir = files[0].getParent() + "/";
    return new Output(exit, out.toString(StandardCharsets.UTF_8).replace(dir, ""),
        err.toString(StandardCharsets.UTF_8).replace(dir, ""));
  }

  static String fixture(String name) {
    return Fixtures.fixtureText("prometheus-api/" + name);
  }

  @Test
  void validFixtureMatchesPromtool() {
    Output o = check(Fixtures.fixture("prometheus-api/rules.yml"));
    assertThat(o.exit()).isEqualTo(Integer.parseInt(fixture("promtool-check-rules-ok.exitcode").strip()));
    assertThat(o.out()).isEqualTo(fixture("promtool-check-rules-ok.stdout.txt"));
    assertThat(o.err()).isEmpty();
  }

  @Test
  void badTemplateFixtureMatchesPromtoolExactly() {
    Output o = check(Fixtures.fixture("prometheus-api/rules-bad-template.yml"));
    assertThat(o.exit()).isEqualTo(1);
    assertThat(o.out()).isEqualTo(fixture("promtool-check-rules-bad-template.stdout.txt"));
    assertThat(o.err()).isEqualTo(fixture("promtool-check-rules-bad-template.stderr.txt"));
  }

  @Test
  void fiveSemanticErrorsAtOnceLikePromtool() {
    Output o = check(Fixtures.fixture("prometheus-api/rules-broken-semantic.yml"));
    assertThat(o.exit()).isEqualTo(1);
    assertThat(o.out()).isEqualTo(fixture("promtool-check-rules-broken-semantic.stdout.txt"));
    assertThat(o.err()).isEqualTo(fixture("promtool-check-rules-broken-semantic.stderr.txt"));
  }

  @Test
  void yamlLevelErrorStopsTheFile() {
    Output o = check(Fixtures.fixture("prometheus-api/rules-broken.yml"));
    assertThat(o.exit()).isEqualTo(Integer.parseInt(fixture("promtool-check-rules-broken.exitcode").strip()));
    assertThat(o.out()).isEqualTo(fixture("promtool-check-rules-broken.stdout.txt"));
    // promtool 2.42 says `not a valid duration string: "5x"`; Prometheus 3's wording, with the position
    assertThat(o.err()).isEqualTo("  FAILED:\nrules-broken.yml: 8:14: groups[0].rules[1].for: "
        + "unknown unit \"x\" in duration \"5x\"\n");
  }

  @Test
  void severalFilesAndLintFindings() throws Exception {
    Path dir = corpusDir("promtool");
    Output o = check(dir.resolve("ok-basic.yml"), dir.resolve("ok-duplicate-records.yml"), dir.resolve("bad-neither.yml"));
    assertThat(o.exit()).isEqualTo(1);
    assertThat(o.out()).isEqualTo("Checking ok-basic.yml\n  SUCCESS: 2 rules found\n\nChecking ok-duplicate-records.yml"
        + "\n\nChecking bad-neither.yml\n\n");
    assertThat(o.err()).isEqualTo("  FAILED:\nlint error 1 duplicate rule(s) found.\nMetric: a:b\nLabel(s):\n"
        + "Might cause inconsistency while recording expressions\n  FAILED:\n"
        + "bad-neither.yml: 0:0: group \"e\", rule 1, \"\": one of 'record' or 'alert' must be set\n");
    assertThat(check(dir.resolve("ok-duplicate-records.yml")).exit()).isZero();
  }

  static Path corpusDir(String name) throws URISyntaxException {
    return Path.of(RuleCheckerTest.class.getResource("/rule-corpus/" + name).toURI());
  }

  static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
    }
  }

  static int promtool(Path file) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(PeerProcess.requireBinary("promtool"), "check", "rules", file.toString())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    return p.waitFor();
  }

  @Test
  void corpusVerdictsMatchPromtool() throws Exception {
    List<String> mismatches = new ArrayList<>();
    List<Path> corpus = files(corpusDir("promtool"));
    assertThat(corpus).hasSizeGreaterThan(50);
    for (Path f : corpus) {
      int theirs = promtool(f);
      int ours = check(f).exit();
      if (theirs != ours) {
        mismatches.add(f.getFileName() + ": promtool " + theirs + ", vigil " + ours + "\n" + check(f).err());
      }
      assertThat(ours).as(f.getFileName().toString()).isEqualTo(f.getFileName().toString().startsWith("ok-") ? 0 : 1);
    }
    assertThat(mismatches).isEmpty();
  }

  @Test
  void prometheus3FieldsThatPromtool242Lacks() throws Exception {
    // group labels and query_offset came after 2.42 (which rejects them as unknown fields); keep_firing_for is in 2.42
    for (Path f : files(corpusDir("vigil-only"))) {
      boolean ok = f.getFileName().toString().startsWith("ok-");
      assertThat(check(f).exit()).as(f.getFileName().toString()).isEqualTo(ok ? 0 : 1);
      assertThat(promtool(f)).as("promtool 2.42 on " + f.getFileName()).isEqualTo(1);
    }
  }
}
