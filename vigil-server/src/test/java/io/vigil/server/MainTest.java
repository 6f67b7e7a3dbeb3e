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

  @Test
  void checkConfigOfAMissingFileIsAUsageError() {
    Run r = run("check", "config", tmp.resolve("nope.yml").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("does not exist");
  }
}
