package io.vigil.bench.suite;

import io.vigil.testkit.PeerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * Starts the compared servers, each on a free loopback port with its own directory under one
 * temporary root, with the documented defaults of each peer. The only flags beyond address and data
 * path are the ones that switch on an API the suite needs (remote-write receiver, admin API for
 * snapshots, a scrape config), never a tuning knob. Everything started is stopped by its PID at the
 * end, on failure, and on Ctrl-C (a shutdown hook), and the temporary root is deleted.
 */
final class ServerLauncher implements AutoCloseable {
  static final Duration START_TIMEOUT = Duration.ofMinutes(2);

  private final SuiteOptions opts;
  private final Path root;
  private final List<BenchServer> started = new CopyOnWriteArrayList<>();
  private final Path vigilJar;
  private final Thread hook = new Thread(this::stopAll, "bench-stop-servers");

  ServerLauncher(SuiteOptions opts) {
    this.opts = opts;
    try {
      this.root = Files.createTempDirectory("vigil-bench-");
      this.vigilJar = copyVigil(opts.vigilJar(), root.resolve("vigil-dist"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /**
   * Copies the server jar and its lib/ once at the start: every Vigil of the run is the same build,
   * even if the work tree is rebuilt meanwhile.
   */
  private static Path copyVigil(Path jar, Path dist) throws IOException {
    Files.createDirectories(dist.resolve("lib"));
    Path lib = jar.resolveSibling("lib");
    if (Files.isDirectory(lib)) {
      try (Stream<Path> s = Files.list(lib)) {
        for (Path p : s.toList()) {
          Files.copy(p, dist.resolve("lib").resolve(p.getFileName()));
        }
      }
    }
    return Files.copy(jar, dist.resolve(jar.getFileName()));
  }

  /** The run's copy of the Vigil server jar. */
  Path vigilJar() {
    return vigilJar;
  }

  /** Vigil from the built jar, with a fixed heap (-Xms = -Xmx) so its footprint does not float with GC sizing. */
  BenchServer vigil(String phase, long heapBytes, String configYaml) {
    Path dir = dir("vigil-" + phase);
    Path config = write(dir.resolve("vigil.yml"), configYaml);
    List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-Xms" + heapBytes, "-Xmx" + heapBytes,
        "-XX:+UseCompactObjectHeaders", "-XX:+UseG1GC", "--enable-native-access=ALL-UNNAMED"));
    if (opts.jfrDir() != null) {
      createDirectories(opts.jfrDir()); // the JVM refuses to start when the recording's directory is missing
      cmd.add("-XX:StartFlightRecording=filename=" + opts.jfrDir().resolve("vigil-" + phase + ".jfr").toAbsolutePath()
          + ",settings=profile,dumponexit=true");
    }
    cmd.addAll(List.of("-jar", vigilJar.toString(), "server", "--web.listen-address=127.0.0.1:{port}",
        "--storage.tsdb.path={dir}/data", "--config.file=" + config, "--web.enable-remote-write-receiver",
        "--web.enable-admin-api"));
    return start(new BenchServer(ServerKind.VIGIL, "vigil-" + phase, dir, PeerProcess.freePort(), cmd, "/-/ready"));
  }

  /** Prometheus 2.42 with its defaults (2 h blocks, 15 d retention), the remote-write receiver and the admin API. */
  BenchServer prometheus(String phase, String configYaml) {
    Path dir = dir("prometheus-" + phase);
    Path config = write(dir.resolve("prometheus.yml"), configYaml);
    List<String> cmd = List.of(PeerProcess.requireBinary("prometheus"), "--config.file=" + config,
        "--storage.tsdb.path={dir}/data", "--web.listen-address=127.0.0.1:{port}", "--web.enable-remote-write-receiver",
        "--web.enable-admin-api");
    return start(new BenchServer(ServerKind.PROMETHEUS, "prometheus-" + phase, dir, PeerProcess.freePort(), cmd, "/-/ready"));
  }

  /** Single-node VictoriaMetrics 1.79 with its defaults; {@code scrapeConfigYaml} may be null. */
  BenchServer victoriaMetrics(String phase, String scrapeConfigYaml) {
    Path dir = dir("victoriametrics-" + phase);
    List<String> cmd = new ArrayList<>(List.of(PeerProcess.requireBinary("victoria-metrics"), "-httpListenAddr=127.0.0.1:{port}",
        "-storageDataPath={dir}/data"));
    if (scrapeConfigYaml != null) {
      cmd.add("-promscrape.config=" + write(dir.resolve("scrape.yml"), scrapeConfigYaml));
    }
    return start(new BenchServer(ServerKind.VICTORIA_METRICS, "victoriametrics-" + phase, dir, PeerProcess.freePort(), cmd,
        "/health"));
  }

  /**
   * Pushgateway 1.5.1 with its defaults (persisting every 5 min) to a file in its own temporary
   * directory: never the Debian package's system-wide file.
   */
  BenchServer pushgateway(String phase) {
    Path dir = dir("pushgateway-" + phase);
    List<String> cmd = List.of(PeerProcess.requireBinary("prometheus-pushgateway"), "--web.listen-address=127.0.0.1:{port}",
        "--persistence.file={dir}/pushgateway.persist");
    return start(new BenchServer(ServerKind.PUSHGATEWAY, "pushgateway-" + phase, dir, PeerProcess.freePort(), cmd, "/-/ready"));
  }

  /** Stops the server (by PID) and deletes its directory. */
  void stop(BenchServer s) {
    s.close();
    started.remove(s);
    deleteTree(s.dir);
  }

  private BenchServer start(BenchServer s) {
    started.add(s);
    s.start(START_TIMEOUT);
    Log.info("started %s (pid %d, port %d)", s.name, s.pid(), s.port);
    return s;
  }

  private Path dir(String name) {
    return createDirectories(root.resolve(name));
  }

  private static Path createDirectories(Path dir) {
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path write(Path file, String text) {
    try {
      return Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private void stopAll() {
    for (BenchServer s : started) {
      try {
        s.close();
      } catch (RuntimeException e) {
        System.err.println("could not stop " + s.name + ": " + e);
      }
    }
    started.clear();
  }

  @Override
  public void close() {
    stopAll();
    deleteTree(root);
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // already shutting down: the hook runs anyway
    }
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not delete " + dir + ": " + e);
    }
  }

  /** Sum of the sizes of the regular files under {@code dir} (apparent sizes, as `du --apparent-size -b`). */
  static long treeBytes(Path dir) {
    // A server may merge files away while we walk (VictoriaMetrics's parts do): what vanished counts 0.
    long[] total = {0};
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          if (attrs.isRegularFile()) {
            total[0] += attrs.size();
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
          if (e instanceof NoSuchFileException) {
            return FileVisitResult.CONTINUE;
          }
          throw e;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return total[0];
  }

}
