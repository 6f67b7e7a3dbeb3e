package io.vigil.bench.suite;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What one run measures and at which scale. {@link #parse} reads bench/run's arguments; the quick
 * mode (CI) shrinks every scale so the whole run stays well under three minutes.
 *
 * @param only the measurements to run: ingest (a, c, d), query (e; ingests first), scrape (b),
 *     push (f), recovery (g; not in quick mode)
 */
record SuiteOptions(
    boolean quick,
    int series,
    double hours,
    Set<String> only,
    long vigilHeapBytes,
    long seed,
    int senders,
    int batchSamples,
    int segments,
    int queryRepetitions,
    long scrapeIntervalMs,
    int scrapeWindows,
    long scrapeWindowMs,
    List<Integer> pushGroupLevels,
    int pushClients,
    int pushRepetitions,
    long pushWindowMs,
    long pushFillSeconds,
    int recoverySeries,
    double recoveryHours,
    long recoveryHeapBytes,
    int recoveryRepetitions,
    Path root,
    Path vigilJar,
    Path resultsDir,
    Path outDir,
    Path jfrDir,
    boolean check) {
  static final Set<String> MEASUREMENTS = Set.of("ingest", "query", "scrape", "push", "recovery");

  static final String USAGE = """
      usage: bench/run [--quick] [--series N] [--hours H] [--only NAME[,NAME...]] [--heap SIZE]
                       [--recovery-series N] [--recovery-hours H] [--recovery-heap SIZE] [--seed N]
                       [--jfr DIR] [--out DIR] [--no-check]
        --quick            small scale for CI (well under 3 minutes); fails on gross regressions
                           against the last committed quick results in bench/results/
        --series N         active series of the fleet (default 100000; quick 4000)
        --hours H          hours of data remote-written (default 1; quick 0.25)
        --only NAMES       ingest (a,c,d), query (e), scrape (b), push (f), recovery (g)
        --heap SIZE        Vigil's fixed heap, -Xms = -Xmx (default 512m; quick 256m)
        --recovery-series  active series for the kill -9 recovery (default 1000000)
        --recovery-hours   hours of data for the recovery (default 2)
        --recovery-heap    Vigil's fixed heap for the recovery (default 4g)
        --jfr DIR          record a JFR profile of every Vigil process into DIR
        --out DIR          write this run's .json and .md into DIR (default bench/results; the
                           quick baseline is always read from bench/results)
        --no-check         quick mode: do not compare with the baseline
      """;

  boolean runs(String measurement) {
    return only.contains(measurement) && !(quick && measurement.equals("recovery"));
  }

  static SuiteOptions parse(String[] args, Path root) {
    boolean quick = List.of(args).contains("--quick");
    Integer series = null;
    Double hours = null;
    Set<String> only = new LinkedHashSet<>(List.of("ingest", "query", "scrape", "push", "recovery"));
    Long heap = null;
    long seed = 42;
    int recoverySeries = 1_000_000;
    double recoveryHours = 2;
    long recoveryHeap = 4L << 30;
    Path jfr = null;
    Path out = null;
    boolean check = true;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--quick" -> { }
        case "--series" -> series = Integer.parseInt(value(args, ++i, a));
        case "--hours" -> hours = Double.parseDouble(value(args, ++i, a));
        case "--only" -> {
          only.clear();
          for (String m : value(args, ++i, a).split(",")) {
            if (!MEASUREMENTS.contains(m)) {
              throw new IllegalArgumentException("--only: unknown measurement '" + m + "'; one of " + MEASUREMENTS);
            }
            only.add(m);
          }
        }
        case "--heap" -> heap = bytes(value(args, ++i, a), a);
        case "--seed" -> seed = Long.parseLong(value(args, ++i, a));
        case "--recovery-series" -> recoverySeries = Integer.parseInt(value(args, ++i, a));
        case "--recovery-hours" -> recoveryHours = Double.parseDouble(value(args, ++i, a));
        case "--recovery-heap" -> recoveryHeap = bytes(value(args, ++i, a), a);
        case "--jfr" -> jfr = Path.of(value(args, ++i, a)).toAbsolutePath();
        case "--out" -> out = Path.of(value(args, ++i, a)).toAbsolutePath();
        case "--no-check" -> check = false;
        default -> throw new IllegalArgumentException("unknown argument '" + a + "'");
      }
    }
    Path results = root.resolve("bench/results");
    Path outDir = out == null ? results : out;
    Path jar = root.resolve("vigil-server/target/vigil-server.jar");
    if (quick) {
      return new SuiteOptions(true, series == null ? 4_000 : series, hours == null ? 0.25 : hours, only,
          heap == null ? 256L << 20 : heap, seed, 4, 2000, 3, 15, 1000, 3, 4000, List.of(10, 100), 16, 2, 1500, 60,
          recoverySeries, recoveryHours, recoveryHeap, 1, root, jar, results, outDir, jfr, check);
    }
    return new SuiteOptions(false, series == null ? 100_000 : series, hours == null ? 1 : hours, only,
        heap == null ? 512L << 20 : heap, seed, 4, 2000, 6, 20, 5000, 6, 20_000, List.of(10, 100, 1_000, 10_000), 16, 3,
        5000, 30 * 60, recoverySeries, recoveryHours, recoveryHeap, 3, root, jar, results, outDir, jfr, check);
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return args[i];
  }

  /** 512m, 2g, 1024k or plain bytes. */
  static long bytes(String s, String flag) {
    String v = s.trim().toLowerCase(Locale.ROOT);
    long mult = 1;
    char last = v.charAt(v.length() - 1);
    switch (last) {
      case 'k' -> mult = 1L << 10;
      case 'm' -> mult = 1L << 20;
      case 'g' -> mult = 1L << 30;
      default -> { }
    }
    try {
      return Long.parseLong(mult == 1 ? v : v.substring(0, v.length() - 1)) * mult;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + ": not a size: '" + s + "' (e.g. 512m, 2g)");
    }
  }
}
