package io.vigil.bench.suite;

import io.vigil.testkit.PeerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One server process started by the suite on 127.0.0.1 with its own data directory. It is stopped
 * by its own PID only (SIGTERM, or SIGKILL for the recovery measurement) and can be started again on
 * the same port and directory.
 */
final class BenchServer implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  final ServerKind kind;
  final String name;
  final Path dir;
  final int port;
  private final List<String> command;
  private final String readyPath;
  private volatile PeerProcess process;

  BenchServer(ServerKind kind, String name, Path dir, int port, List<String> command, String readyPath) {
    this.kind = kind;
    this.name = name;
    this.dir = dir;
    this.port = port;
    this.command = List.copyOf(command);
    this.readyPath = readyPath;
  }

  /** Starts the process and waits until its readiness endpoint answers 200; returns the seconds that took. */
  double start(Duration timeout) {
    long t0 = System.nanoTime();
    process = PeerProcess.start(name, port, dir, command);
    awaitReady(timeout);
    return (System.nanoTime() - t0) / 1e9;
  }

  private void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpRequest req = HttpRequest.newBuilder(URI.create(url(readyPath))).timeout(Duration.ofSeconds(2)).GET().build();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      if (!process.process().isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.process().exitValue() + ":\n" + tail(process.logText()));
      }
      try {
        HttpResponse<Void> r = HTTP.send(req, HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
        last = "HTTP " + r.statusCode();
      } catch (java.io.IOException e) {
        last = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      sleepMs(20); // fine enough for restart-to-ready times of a second and more
    }
    throw new IllegalStateException(name + " not ready after " + timeout + " (" + last + "):\n" + tail(process.logText()));
  }

  String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process != null && process.process().isAlive();
  }

  double cpuSeconds() {
    return ProcStat.cpuSeconds(pid());
  }

  long rssBytes() {
    return ProcStat.rssBytes(pid());
  }

  String logTail() {
    return process == null ? "" : tail(process.logText());
  }

  /** SIGKILL of this process only. */
  void kill9() {
    process.kill9();
  }

  /** SIGTERM (SIGKILL after 20 s) of this process only; idempotent. */
  @Override
  public void close() {
    PeerProcess p = process;
    if (p != null && p.process().isAlive()) {
      p.terminate(Duration.ofSeconds(20));
    }
  }

  private static String tail(String log) {
    String[] lines = log.split("\n");
    return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 30), lines.length));
  }

  static void sleepMs(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
