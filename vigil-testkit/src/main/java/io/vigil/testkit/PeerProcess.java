package io.vigil.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real peer program (prometheus, pushgateway, alertmanager, node_exporter, victoria-metrics, or
 * Vigil itself as a child JVM) started by a test on 127.0.0.1 with its own temporary directory, and
 * stopped by its own PID only. Output goes to a log file in that directory, printed when the peer
 * fails to become ready so failures explain themselves.
 *
 * <p>Missing binaries fail loudly (tests never skip silently): run ./run-tests, which installs them.
 */
public final class PeerProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Path dir;
  private final Path log;
  private final int port;

  private PeerProcess(String name, Process process, Path dir, Path log, int port) {
    this.name = name;
    this.process = process;
    this.dir = dir;
    this.log = log;
    this.port = port;
  }

  /** A free TCP port on 127.0.0.1 (there is a small race until the peer binds it). */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The absolute path of a program on PATH; fails with a hint if it is not installed. */
  public static String requireBinary(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      Path p = Path.of(dir, program);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    throw new IllegalStateException(program + " is not installed; ./run-tests installs the Debian packages the tests need "
        + "(scripts/install-test-deps.sh)");
  }

  /**
   * Starts a program. {@code args} may contain "{dir}" and "{port}", replaced by the temp directory
   * and the chosen port.
   */
  public static PeerProcess start(String name, int port, Path dir, List<String> command) {
    try {
      Files.createDirectories(dir);
      Path log = dir.resolve(name + ".log");
      List<String> cmd = new ArrayList<>();
      for (String a : command) {
        cmd.add(a.replace("{dir}", dir.toString()).replace("{port}", Integer.toString(port)));
      }
      Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      return new PeerProcess(name, p, dir, log, port);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + name, e);
    }
  }

  public int port() {
    return port;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public long pid() {
    return process.pid();
  }

  public Path dir() {
    return dir;
  }

  public Process process() {
    return process;
  }

  public String logText() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(could not read log: " + e + ")";
    }
  }

  /** Waits until GET {path} answers 200, or fails with the peer's log. */
  public PeerProcess awaitHttpOk(String path, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no attempt";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + logText());
      }
      try {
        HttpURLConnection c = (HttpURLConnection) URI.create(baseUrl() + path).toURL().openConnection();
        c.setConnectTimeout(500);
        c.setReadTimeout(2000);
        int code = c.getResponseCode();
        c.disconnect();
        if (code == 200) {
          return this;
        }
        last = "HTTP " + code;
      } catch (IOException e) {
        last = e.toString();
      }
      sleep(100);
    }
    throw new IllegalStateException(name + " not ready after " + timeout + " (" + last + "):\n" + logText());
  }

  /** kill -9 of this process only. */
  public void kill9() {
    process.destroyForcibly();
    waitExit(Duration.ofSeconds(10));
  }

  /** SIGTERM, then waits for the exit code. */
  public int terminate(Duration timeout) {
    process.destroy();
    return waitExit(timeout);
  }

  public int waitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor();
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      terminate(Duration.ofSeconds(10));
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
