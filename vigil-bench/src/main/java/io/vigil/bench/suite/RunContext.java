package io.vigil.bench.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a reader needs to judge a run: when, on what machine, which versions, what scale and settings. */
final class RunContext {
  private RunContext() {}

  static void describe(Report report, SuiteOptions opts, Path vigilJar, ZonedDateTime started, String argLine) {
    Map<String, Object> c = report.context;
    c.put("date", started.toString());
    c.put("mode", opts.quick() ? "quick" : "full");
    c.put("command", ("bench/run " + argLine).strip());
    Map<String, Object> machine = new LinkedHashMap<>();
    machine.put("cores", Runtime.getRuntime().availableProcessors());
    machine.put("cpu", firstMatch("/proc/cpuinfo", "model name"));
    machine.put("memory_gib", Math.round(memTotalKib() / 1048576.0 * 10) / 10.0);
    machine.put("kernel", command("uname", "-r"));
    c.put("machine", machine);
    Map<String, Object> versions = new LinkedHashMap<>();
    versions.put("vigil", command(ServerLauncher.javaBinary(), "-jar", vigilJar.toString(), "--version").lines().findFirst()
        .orElse("?") + " (git " + command("git", "-C", opts.root().toString(), "describe", "--always", "--dirty") + ")");
    versions.put("java", System.getProperty("java.vm.name") + " " + Runtime.version());
    versions.put("prometheus", dpkg("prometheus"));
    versions.put("victoria-metrics", dpkg("victoria-metrics"));
    versions.put("pushgateway", dpkg("prometheus-pushgateway"));
    c.put("versions", versions);
    Map<String, Object> scale = new LinkedHashMap<>();
    scale.put("series", opts.series());
    scale.put("hours", opts.hours());
    scale.put("interval_seconds", 15);
    scale.put("remote_write_senders", opts.senders());
    scale.put("samples_per_request", opts.batchSamples());
    scale.put("segments", opts.segments());
    scale.put("query_repetitions", opts.queryRepetitions());
    scale.put("scrape_interval_seconds", opts.scrapeIntervalMs() / 1000.0);
    scale.put("push_group_levels", opts.pushGroupLevels());
    scale.put("push_clients", opts.pushClients());
    if (opts.runs("recovery")) {
      scale.put("recovery_series", opts.recoverySeries());
      scale.put("recovery_hours", opts.recoveryHours());
    }
    scale.put("seed", opts.seed());
    c.put("scale", scale);
    c.put("vigil_heap", (opts.vigilHeapBytes() >> 20) + " MiB (-Xms = -Xmx), -XX:+UseCompactObjectHeaders -XX:+UseG1GC");
    c.put("peers", "documented defaults; flags given: listen address, temporary data path, and only what switches on an API "
        + "the suite uses (--web.enable-remote-write-receiver and --web.enable-admin-api for Prometheus, -promscrape.config "
        + "for VictoriaMetrics, --persistence.file in a temporary directory for Pushgateway)");
  }

  private static String dpkg(String pkg) {
    String v = command("dpkg-query", "-W", "-f=${Version}", pkg);
    return v.isEmpty() ? "?" : v;
  }

  private static long memTotalKib() {
    String line = firstMatch("/proc/meminfo", "MemTotal");
    return line.isEmpty() ? 0 : Long.parseLong(line.replaceAll("[^0-9]", ""));
  }

  private static String firstMatch(String file, String key) {
    try {
      for (String l : Files.readAllLines(Path.of(file))) {
        if (l.startsWith(key)) {
          return l.substring(l.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      // not Linux, or no access: left empty
    }
    return "";
  }

  static String command(String... cmd) {
    try {
      Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      return p.waitFor() == 0 ? out : "";
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }
}
