package io.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  @TempDir
  Path tmp;

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void versionShowsVersionRevisionDateAndJava() {
    Run r = run("--version");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("vigil, version ").contains("revision: ").contains("build date:")
        .contains("java version:     " + Runtime.version());
  }

  @Test
  void unknownFlagIsOneLineNamingItWithExitCode2() {
    Run r = run("server", "--web.listen-adress=:9090");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("vigil: error: unknown flag '--web.listen-adress', try --help" + System.lineSeparator());
  }

  @Test
  void badValuesNameTheFlag() {
    Run r = run("server", "--query.timeout", "15x");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err()).contains("--query.timeout").contains("15x");
    Run size = run("server", "--storage.tsdb.retention.size=lots");
    assertThat(size.exit()).isEqualTo(2);
    assertThat(size.err()).contains("--storage.tsdb.retention.size");
    Run addr = run("server", "--web.listen-address=9090");
    assertThat(addr.exit()).isEqualTo(2);
    assertThat(addr.err()).contains("--web.listen-address").contains("missing port");
    Run level = run("server", "--log.level=chatty");
    assertThat(level.exit()).isEqualTo(2);
    assertThat(level.err()).contains("--log.level");
  }

  @Test
  void checkConfigAcceptsAValidFile() throws Exception {
    Path good = tmp.resolve("good.yml");
    Files.writeString(good, """
        global:
          scrape_interval: 15s
        scrape_configs:
          - job_name: x
            static_configs: [{targets: ["localhost:9090"]}]
        """);
    Run r = run("check", "config", good.toString());
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("Checking " + good).contains(" SUCCESS: " + good + " is valid prometheus config file syntax");
  }

  @Test
  void checkConfigWarnsAboutSettingsVigilDoesNotActOnYet() throws Exception {
    Path file = tmp.resolve("from-prometheus.yml");
    Files.writeString(file, """
        scrape_configs:
          - job_name: behind-proxy
            proxy_url: http://proxy.example:3128
            static_configs: [{targets: ["localhost:9100"]}]
        remote_write:
          - url: https://user:secret@thanos.example:19291/api/v1/receive
        """);
    Run r = run("check", "config", file.toString());
    assertThat(r.exit()).isZero();
    assertThat(r.err())
        .contains("WARNING: remote_write: sending to other systems is not implemented yet; 1 endpoint(s) ignored (https://thanos.example:19291)")
        .contains("WARNING: scrape_configs[job_name=\"behind-proxy\"].proxy_url: proxies are not supported yet")
        .doesNotContain("secret");
  }

  @Test
  void checkConfigReportsFileLineColumnAndFieldPath() throws Exception {
    Path bad = tmp.resolve("vigil.yml");
    Files.writeString(bad, """
        global:
          scrape_interval: 15s
        scrape_configs:
          - job_name: x
            scrape_intervall: 10s
        """);
    Run r = run("check", "config", bad.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).contains("Checking " + bad);
    assertThat(r.err()).contains("  FAILED: " + bad + ":5:5: scrape_configs[0].scrape_intervall: unknown field");
  }

  /** Runs `vigil check rules NAME` on a copy of the fixture, from its folder, as promtool was run. */
  private Run checkRulesFixture(String name) throws Exception {
    Path copy = tmp.resolve(name);
    Files.copy(io.vigil.testkit.Fixtures.fixture("prometheus-api/" + name), copy);
    Run r = run("check", "rules", copy.toString());
    return new Run(r.exit(), r.out().replace(tmp + "/", ""), r.err().replace(tmp + "/", ""));
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({
      "rules.yml, promtool-check-rules-ok",
      "rules-broken.yml, promtool-check-rules-broken",
      "rules-broken-semantic.yml, promtool-check-rules-broken-semantic",
      "rules-bad-template.yml, promtool-check-rules-bad-template"})
  void checkRulesPrintsWhatPromtoolPrints(String file, String promtool) throws Exception {
    Run r = checkRulesFixture(file);
    String fixtures = "prometheus-api/" + promtool;
    assertThat(r.exit()).isEqualTo(Integer.parseInt(io.vigil.testkit.Fixtures.fixtureText(fixtures + ".exitcode").trim()));
    assertThat(r.out()).isEqualTo(io.vigil.testkit.Fixtures.fixtureText(fixtures + ".stdout.txt"));
    java.nio.file.Path stderr = io.vigil.testkit.Fixtures.sharedDir().resolve("fixtures/" + fixtures + ".stderr.txt");
    if (file.equals("rules-broken.yml")) {
      // A YAML-level error: Vigil adds the position and uses Prometheus 3's duration wording.
      assertThat(r.err()).isEqualTo("  FAILED:\nrules-broken.yml: 8:14: groups[0].rules[1].for: unknown unit \"x\" in duration \"5x\"\n");
    } else {
      assertThat(r.err()).isEqualTo(Files.exists(stderr) ? Files.readString(stderr) : "");
    }
  }

  @Test
  void checkConfigAlsoChecksTheRuleFilesItNames() throws Exception {
    Files.copy(io.vigil.testkit.Fixtures.fixture("prometheus-api/rules-broken-semantic.yml"), tmp.resolve("bad.yml"));
    Path cfg = tmp.resolve("vigil.yml");
    Files.writeString(cfg, "rule_files: [\"bad.yml\"]\n");
    Run r = run("check", "config", cfg.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).contains("  SUCCESS: 1 rule files found").contains(" SUCCESS: " + cfg + " is valid")
        .contains("Checking " + tmp.resolve("bad.yml"));
    assertThat(r.err()).contains("invalid recording rule name: not a valid metric name");
  }

  @Test
  void checkConfigOfAMissingFileIsAUsageError() {
    Run r = run("check", "config", tmp.resolve("nope.yml").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("does not exist");
  }
}
