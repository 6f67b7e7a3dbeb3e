package io.vigil.bench.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * The quick mode's gate: Vigil's figures against the last committed quick results. A row regresses
 * only when even Vigil's best repetition got more than {@link #FACTOR} times worse than the
 * baseline's median, both in absolute terms and relative to the best peer measured in the same run
 * (a slower or busier machine moves both Vigil and the peers and so trips only the first; a peer's
 * hiccup trips only the second), and, for latencies, by more than {@link #MIN_LATENCY_DELTA_MS}
 * (the quick queries take 0.5-5 ms, where a loaded CI machine moves a median by several ms; a gross
 * regression, such as a lost index, costs far more). A query whose answer matched Prometheus's in
 * the baseline and no longer does is a regression too.
 */
final class RegressionCheck {
  static final double FACTOR = 2.0;
  static final double MIN_LATENCY_DELTA_MS = 10.0;

  private RegressionCheck() {}

  /** The newest quick-results JSON that git tracks (any, if git is unavailable), other than {@code exclude}. */
  static Path baseline(Path resultsDir, Path root, Path exclude) throws IOException {
    Set<String> tracked = trackedFiles(root);
    try (Stream<Path> s = Files.list(resultsDir)) {
      return s.filter(p -> p.getFileName().toString().endsWith("-quick.json"))
          .filter(p -> !p.equals(exclude))
          .filter(p -> tracked == null || tracked.contains(root.relativize(p.toAbsolutePath()).toString()))
          .max(Path::compareTo).orElse(null);
    }
  }

  private static Set<String> trackedFiles(Path root) {
    try {
      Process p = new ProcessBuilder("git", "-C", root.toString(), "ls-files", "bench/results").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      return p.waitFor() == 0 ? new HashSet<>(out.lines().toList()) : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** The regressions of {@code current} against the baseline JSON, one line each. */
  static List<String> compare(Report current, JsonNode baseline) {
    Map<String, JsonNode> base = new HashMap<>();
    for (JsonNode r : baseline.path("rows")) {
      base.put(r.path("id").asString(), r);
    }
    List<String> out = new ArrayList<>();
    for (Report.Row row : current.rows) {
      JsonNode b = base.get(row.id());
      Report.Cell v = row.cells().get(ServerKind.VIGIL.key);
      if (b == null || v == null || !v.present()) {
        continue;
      }
      double baseVigil = number(b.path("cells").path(ServerKind.VIGIL.key).path("median"));
      if (Double.isNaN(baseVigil) || baseVigil <= 0 || v.median() <= 0) {
        continue;
      }
      // This run's best repetition, not its median: a real regression slows every repetition, while
      // a noisy machine (a short push window meeting a GC or another process) spoils only some.
      double now = best(row, v);
      double worse = row.lowerIsBetter() ? now / baseVigil : baseVigil / now;
      if (worse <= FACTOR) {
        continue;
      }
      if (row.unit().equals("ms") && Math.abs(now - baseVigil) < MIN_LATENCY_DELTA_MS) {
        continue;
      }
      double nowPeer = bestPeer(row, null);
      double basePeer = bestPeer(row, b);
      if (!Double.isNaN(nowPeer) && !Double.isNaN(basePeer)) {
        double relNow = now / nowPeer;
        double relBase = baseVigil / basePeer;
        double relWorse = row.lowerIsBetter() ? relNow / relBase : relBase / relNow;
        if (relWorse <= FACTOR) {
          continue;
        }
      }
      out.add(String.format("%s: Vigil %s %s (best repetition %s), baseline %s (%.1fx worse, also against the best peer)",
          row.id(), Report.fmt(v.median()), row.unit(), Report.fmt(now), Report.fmt(baseVigil), worse));
    }
    Set<String> baseMismatches = new HashSet<>();
    for (JsonNode m : baseline.path("mismatches")) {
      baseMismatches.add(m.asString().split(" ", 2)[0]);
    }
    for (String m : current.mismatches) {
      String id = m.split(" ", 2)[0];
      if (!baseMismatches.contains(id)) {
        out.add("new result mismatch: " + m);
      }
    }
    return out;
  }

  /** The best of the cell's repetitions: its min when lower is better, else its max (the median if unknown). */
  private static double best(Report.Row row, Report.Cell c) {
    double b = row.lowerIsBetter() ? c.min() : c.max();
    return Double.isNaN(b) || b <= 0 ? c.median() : b;
  }

  /** The best peer's median of a row, now ({@code baseRow} null) or in the baseline. */
  private static double bestPeer(Report.Row row, JsonNode baseRow) {
    double best = Double.NaN;
    for (ServerKind k : ServerKind.values()) {
      if (k == ServerKind.VIGIL) {
        continue;
      }
      double m;
      if (baseRow == null) {
        Report.Cell c = row.cells().get(k.key);
        m = c != null && c.present() ? c.median() : Double.NaN;
      } else {
        m = number(baseRow.path("cells").path(k.key).path("median"));
      }
      if (!Double.isNaN(m) && m > 0 && (Double.isNaN(best) || (row.lowerIsBetter() ? m < best : m > best))) {
        best = m;
      }
    }
    return best;
  }

  private static double number(JsonNode n) {
    return n.isNumber() ? n.asDouble() : Double.NaN;
  }
}
