package io.vigil.bench.suite;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * f: Pushgateway-style pushes, Vigil (durably acknowledged) against Pushgateway 1.5.1. Concurrent
 * clients PUT groups chosen at random among G distinct groups that exist already (G = 10, 100,
 * 1,000, 10,000, filled up before each level, untimed); each level is measured in several windows,
 * servers alternating. Two group shapes: a restic backup's 9 gauges and a KubeDR-style group with a
 * 12-bucket histogram, each on fresh servers.
 */
final class PushBench {
  static final String SECTION = "f. Push";

  /** A group shape: its grouping-key path and its body for the n-th push. */
  enum Shape {
    RESTIC("restic", "restic-style, 9 gauges"),
    KUBEDR("kubedr", "KubeDR-style, with a histogram");

    final String key;
    final String label;

    Shape(String key, String label) {
      this.key = key;
      this.label = label;
    }

    String path(int group) {
      return this == RESTIC ? "/metrics/job/restic/instance/host-" + String.format("%05d", group)
          : "/metrics/job/kubedr/policy/policy-" + String.format("%05d", group);
    }

    byte[] body(long n) {
      StringBuilder sb = new StringBuilder(1024);
      if (this == RESTIC) {
        gauge(sb, "restic_backup_files_new", n % 50);
        gauge(sb, "restic_backup_files_changed", n % 17);
        gauge(sb, "restic_backup_files_unmodified", 45_000 + n % 1000);
        gauge(sb, "restic_backup_dirs_new", n % 3);
        gauge(sb, "restic_backup_dirs_changed", n % 11);
        gauge(sb, "restic_backup_dirs_unmodified", 3_100 + n % 100);
        gauge(sb, "restic_backup_data_added_bytes", 1_000_000 + n * 4096 % 100_000_000);
        gauge(sb, "restic_backup_total_files_processed", 45_070 + n % 1000);
        gauge(sb, "restic_backup_duration_seconds", 60 + (n % 600) / 10.0);
      } else {
        gauge(sb, "kubedr_backup_size_bytes", 1_200_000_000L + n * 8192 % 1_000_000_000L);
        counter(sb, "kubedr_num_backups", n + 100);
        counter(sb, "kubedr_num_successful_backups", n + 98);
        counter(sb, "kubedr_num_failed_backups", 2);
        sb.append("# HELP kubedr_backup_duration_seconds Time taken by backups.\n# TYPE kubedr_backup_duration_seconds histogram\n");
        double[] le = {1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200, 1800};
        long total = n + 100;
        for (int i = 0; i < le.length; i++) {
          long c = total * (i + 1) / (le.length + 1);
          sb.append("kubedr_backup_duration_seconds_bucket{le=\"").append(le[i]).append("\"} ").append(c).append('\n');
        }
        sb.append("kubedr_backup_duration_seconds_bucket{le=\"+Inf\"} ").append(total).append('\n');
        sb.append("kubedr_backup_duration_seconds_sum ").append(total * 97.5).append('\n');
        sb.append("kubedr_backup_duration_seconds_count ").append(total).append('\n');
      }
      return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void gauge(StringBuilder sb, String name, double v) {
      sb.append("# HELP ").append(name).append(" Pushed by the backup job.\n# TYPE ").append(name).append(" gauge\n")
          .append(name).append(' ').append(v).append('\n');
    }

    private static void counter(StringBuilder sb, String name, long v) {
      sb.append("# HELP ").append(name).append(" Pushed by the backup job.\n# TYPE ").append(name).append(" counter\n")
          .append(name).append(' ').append(v).append('\n');
    }
  }

  private final SuiteOptions opts;
  private final Report report;
  private final ServerLauncher launcher;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  PushBench(SuiteOptions opts, Report report, ServerLauncher launcher) {
    this.opts = opts;
    this.report = report;
    this.launcher = launcher;
  }

  void run() {
    for (Shape shape : Shape.values()) {
      Map<ServerKind, BenchServer> servers = new EnumMap<>(ServerKind.class);
      try {
        servers.put(ServerKind.VIGIL, launcher.vigil("push-" + shape.key, opts.vigilHeapBytes(), "global:\n  scrape_interval: 15s\n"));
        servers.put(ServerKind.PUSHGATEWAY, launcher.pushgateway(shape.key));
        String unavailable = probe(servers.get(ServerKind.VIGIL));
        if (unavailable != null) {
          servers.remove(ServerKind.VIGIL).close();
          report.notes.add("push: Vigil not measured: " + unavailable);
        }
        measure(shape, servers);
      } finally {
        servers.values().forEach(launcher::stop);
      }
    }
    report.notes.add("push: " + opts.pushClients() + " concurrent clients, PUT of a random existing group; Vigil acknowledges a"
        + " push after its journal is fsynced, Pushgateway persists to its file every 5 min (its default)");
  }

  /** Null if the server takes pushes, else why not (the push API is not wired in yet). */
  private String probe(BenchServer s) {
    HttpResponse<String> r = put(s, "/metrics/job/bench_probe", Shape.RESTIC.body(0));
    if (r == null || r.statusCode() / 100 != 2) {
      return "PUT /metrics/job/bench_probe answered " + (r == null ? "nothing" : "HTTP " + r.statusCode() + " "
          + IngestBench.abbreviate(r.body()));
    }
    send(HttpRequest.newBuilder(URI.create(s.url("/metrics/job/bench_probe"))).DELETE().build());
    return null;
  }

  private void measure(Shape shape, Map<ServerKind, BenchServer> servers) {
    List<ServerKind> kinds = List.copyOf(servers.keySet());
    Map<ServerKind, Integer> filled = new EnumMap<>(ServerKind.class);
    kinds.forEach(k -> filled.put(k, 0));
    boolean warm = false;
    for (int groups : opts.pushGroupLevels()) {
      List<String> short_ = new ArrayList<>();
      for (ServerKind k : kinds) {
        int has = fill(servers.get(k), shape, filled.get(k), groups);
        filled.put(k, has);
        if (has < groups) {
          short_.add(String.format("%s had only %,d groups after the %d min fill budget", k.display, has,
              opts.pushFillSeconds() / 60));
        }
      }
      if (!warm) {
        // One untimed window each first: JIT warm-up for Vigil, connection set-up for both.
        kinds.forEach(k -> window(servers.get(k), shape, filled.get(k), opts.pushWindowMs()));
        warm = true;
      }
      Map<ServerKind, List<Double>> rates = new EnumMap<>(ServerKind.class);
      Map<ServerKind, List<Double>> p99s = new EnumMap<>(ServerKind.class);
      kinds.forEach(k -> {
        rates.put(k, new ArrayList<>());
        p99s.put(k, new ArrayList<>());
      });
      for (int rep = 0; rep < opts.pushRepetitions(); rep++) {
        for (ServerKind k : IngestBench.rotate(kinds, rep)) {
          Window w = window(servers.get(k), shape, filled.get(k), opts.pushWindowMs());
          rates.get(k).add(w.pushes / (opts.pushWindowMs() / 1000.0));
          p99s.get(k).add(Stats.quantile(Stats.toArray(w.latenciesMs), 0.99));
          if (w.failures > 0) {
            report.failures.add(String.format("%s: %d of %d pushes failed (%s, %d groups); first: %s", k.display, w.failures,
                w.failures + w.pushes, shape.label, groups, w.firstError));
          }
        }
      }
      Log.info("push %s, %d groups: %s", shape.key, groups, rates);
      Map<ServerKind, Report.Cell> rateCells = IngestBench.cells(rates);
      Map<ServerKind, Report.Cell> p99Cells = IngestBench.cells(p99s);
      if (!servers.containsKey(ServerKind.VIGIL)) {
        rateCells.put(ServerKind.VIGIL, Report.Cell.na("push API not available"));
        p99Cells.put(ServerKind.VIGIL, Report.Cell.na("push API not available"));
      }
      String id = "push." + shape.key + "." + groups;
      report.add(id + ".pushes_per_second", SECTION, shape.label + ", " + String.format("%,d", groups) + " groups: throughput",
          "pushes/s", false, rateCells, short_.isEmpty() ? null : String.join("; ", short_));
      report.add(id + ".p99_ms", SECTION, shape.label + ", " + String.format("%,d", groups) + " groups: p99 latency", "ms",
          true, p99Cells, null);
    }
  }

  private record Window(long pushes, long failures, List<Double> latenciesMs, String firstError) {}

  private Window window(BenchServer s, Shape shape, int groups, long durationMs) {
    AtomicLong pushes = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    AtomicReference<String> firstError = new AtomicReference<>();
    List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
    long deadline = System.nanoTime() + durationMs * 1_000_000;
    List<Thread> threads = new ArrayList<>();
    AtomicInteger seq = new AtomicInteger();
    for (int c = 0; c < opts.pushClients(); c++) {
      SplittableRandom rng = new SplittableRandom(opts.seed() * 31 + c);
      threads.add(Thread.ofPlatform().name("push-" + c).start(() -> {
        while (System.nanoTime() < deadline) {
          int g = rng.nextInt(groups);
          long t0 = System.nanoTime();
          HttpResponse<String> r = put(s, shape.path(g), shape.body(seq.incrementAndGet()));
          long t1 = System.nanoTime();
          if (t1 > deadline) {
            break; // only pushes that completed inside the window count
          }
          if (r != null && r.statusCode() / 100 == 2) {
            pushes.incrementAndGet();
            latencies.add((t1 - t0) / 1e6);
          } else {
            failures.incrementAndGet();
            firstError.compareAndSet(null, r == null ? "no answer" : "HTTP " + r.statusCode() + " " + IngestBench.abbreviate(r.body()));
          }
        }
      }));
    }
    threads.forEach(PushBench::join);
    return new Window(pushes.get(), failures.get(), latencies, firstError.get());
  }

  /**
   * Pushes groups [from, to) once each, concurrently, untimed, within the fill budget (Pushgateway
   * slows down with every group it holds). Returns how many groups exist afterwards.
   */
  private int fill(BenchServer s, Shape shape, int from, int to) {
    AtomicInteger next = new AtomicInteger(from);
    AtomicLong failed = new AtomicLong();
    long deadline = System.nanoTime() + opts.pushFillSeconds() * 1_000_000_000L;
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < opts.pushClients(); c++) {
      threads.add(Thread.ofPlatform().start(() -> {
        while (System.nanoTime() < deadline) {
          int g = next.getAndIncrement();
          if (g >= to) {
            break;
          }
          HttpResponse<String> r = put(s, shape.path(g), shape.body(g));
          if (r == null || r.statusCode() / 100 != 2) {
            failed.incrementAndGet();
          }
        }
      }));
    }
    threads.forEach(PushBench::join);
    if (failed.get() > 0) {
      report.failures.add(s.kind.display + ": " + failed.get() + " pushes failed while filling " + shape.key + " groups " + from
          + ".." + to);
    }
    // Every group handed out was pushed (the deadline is checked before taking one): [0, next) exist.
    return Math.min(next.get(), to);
  }

  private HttpResponse<String> put(BenchServer s, String path, byte[] body) {
    return send(HttpRequest.newBuilder(URI.create(s.url(path))).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "text/plain; version=0.0.4").PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build());
  }

  private HttpResponse<String> send(HttpRequest req) {
    try {
      return http.send(req, HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static void join(Thread t) {
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
