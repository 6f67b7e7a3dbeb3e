package io.vigil.bench.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The cross-system benchmark suite's driver (bench/run): Vigil against Prometheus 2.42,
 * VictoriaMetrics 1.79 and Pushgateway 1.5.1, all started here on loopback, on the same fleet
 * workload in the same run. Prints the markdown table on stdout, writes
 * {@code bench/results/<UTC time>-<quick|full>.{json,md}}, and exits 1 when a correctness check
 * failed or, in quick mode, when Vigil regressed grossly against the last committed quick results.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(System.getProperty("vigil.root", ".")).toAbsolutePath().normalize();
    SuiteOptions opts;
    try {
      opts = SuiteOptions.parse(args, root);
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage() + "\n" + SuiteOptions.USAGE);
      System.exit(2);
      return;
    }
    if (!Files.isRegularFile(opts.vigilJar())) {
      System.err.println("bench: " + opts.vigilJar() + " is missing; build it: ./mvnw -pl vigil-server -am install -DskipTests");
      System.exit(2);
    }
    System.exit(run(opts, String.join(" ", args)));
  }

  static int run(SuiteOptions opts, String argLine) throws IOException {
    ZonedDateTime started = ZonedDateTime.now(ZoneOffset.UTC);
    Report report = new Report();
    long t0 = System.nanoTime();
    try (ServerLauncher launcher = new ServerLauncher(opts)) {
      RunContext.describe(report, opts, launcher.vigilJar(), started, argLine);
      if (opts.runs("ingest") || opts.runs("query")) {
        ingestAndQuery(opts, report, launcher);
      }
      if (opts.runs("scrape")) {
        new ScrapeBench(opts, report, launcher).run();
      }
      if (opts.runs("push")) {
        new PushBench(opts, report, launcher).run();
      }
      if (opts.runs("recovery")) {
        new RecoveryBench(opts, report, launcher).run();
      }
    } catch (RuntimeException e) {
      e.printStackTrace();
      report.failures.add("run aborted: " + e);
    }
    report.context.put("duration_seconds", Math.round((System.nanoTime() - t0) / 1e9));
    String mode = opts.quick() ? "quick" : "full";
    String stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").format(started);
    Files.createDirectories(opts.outDir());
    Path json = opts.outDir().resolve(stamp + "-" + mode + ".json");
    report.write(json, opts.outDir().resolve(stamp + "-" + mode + ".md"), "Vigil benchmark, " + mode + " run " + stamp);
    System.out.println(report.contextMarkdown() + report.markdown());
    Log.info("results: %s (and .md)", json);
    int exit = report.failures.isEmpty() ? 0 : 1;
    if (!report.failures.isEmpty()) {
      Log.info("FAILED checks:");
      report.failures.forEach(f -> System.err.println("  " + f));
    }
    if (opts.quick() && opts.check()) {
      exit = Math.max(exit, regressionCheck(opts, report, json));
    }
    return exit;
  }

  private static void ingestAndQuery(SuiteOptions opts, Report report, ServerLauncher launcher) {
    // The data ends 30 s before now: fresh enough for every server's appendable window, and queries
    // at its end need not wait for VictoriaMetrics's 30 s -search.latencyOffset.
    Fleet fleet = Fleet.create(opts.series(), opts.hours(), opts.seed(), System.currentTimeMillis() - 30_000);
    Log.info("fleet: %,d series (%d hosts, %d metric names), %d scrapes at 15 s, %,d samples", fleet.size(), fleet.hosts(),
        fleet.metricNames(), fleet.scrapes, fleet.totalSamples());
    String config = "global:\n  scrape_interval: 15s\n";
    Map<ServerKind, BenchServer> servers = new EnumMap<>(ServerKind.class);
    try {
      servers.put(ServerKind.VIGIL, launcher.vigil("ingest", opts.vigilHeapBytes(), config));
      servers.put(ServerKind.PROMETHEUS, launcher.prometheus("ingest", config));
      servers.put(ServerKind.VICTORIA_METRICS, launcher.victoriaMetrics("ingest", null));
      new IngestBench(opts, report, servers, fleet).run();
      if (opts.runs("query")) {
        new QueryBench(opts, report, servers, fleet).run();
      }
    } finally {
      servers.values().forEach(launcher::stop);
    }
  }

  private static int regressionCheck(SuiteOptions opts, Report report, Path current) throws IOException {
    Path base = RegressionCheck.baseline(opts.resultsDir(), opts.root(), current);
    if (base == null) {
      Log.info("no committed quick results in %s to compare with: commit this run's JSON as the baseline", opts.resultsDir());
      return 0;
    }
    List<String> regressions = RegressionCheck.compare(report, Http.JSON.readTree(Files.readString(base)));
    if (regressions.isEmpty()) {
      Log.info("no gross regression against %s (threshold %.0fx)", opts.root().relativize(base), RegressionCheck.FACTOR);
      return 0;
    }
    Log.info("REGRESSIONS against %s:", opts.root().relativize(base));
    regressions.forEach(r -> System.err.println("  " + r));
    return 1;
  }
}
