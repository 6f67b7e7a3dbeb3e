package io.vigil.notify;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.IntSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A loopback HTTP(S) server standing in for an Alertmanager where a test must see the requests
 * themselves (batch sizes, headers, the exact body) or make the endpoint fail: it records every
 * request and answers with the status {@code statusForRequest} gives (by request index).
 */
final class CaptureServer implements AutoCloseable {
  record Request(String method, String path, Map<String, List<String>> headers, String body) {
    String header(String name) {
      for (var e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().getFirst();
        }
      }
      return null;
    }
  }

  private final HttpServer server;
  private final List<Request> requests = new ArrayList<>();
  private volatile IntSupplier status = () -> 200;
  private volatile Runnable beforeAnswer = () -> {};

  CaptureServer() {
    this(null, false);
  }

  /** An HTTPS server; with {@code needClientAuth} it demands a certificate its context trusts. */
  CaptureServer(SSLContext tls, boolean needClientAuth) {
    try {
      InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
      if (tls == null) {
        server = HttpServer.create(at, 64);
      } else {
        HttpsServer s = HttpsServer.create(at, 64);
        s.setHttpsConfigurator(new HttpsConfigurator(tls) {
          @Override
          public void configure(HttpsParameters params) {
            SSLParameters p = tls.getDefaultSSLParameters();
            p.setNeedClientAuth(needClientAuth);
            params.setSSLParameters(p);
          }
        });
        server = s;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", ex -> {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      synchronized (requests) {
        requests.add(new Request(ex.getRequestMethod(), ex.getRequestURI().getPath(), Map.copyOf(ex.getRequestHeaders()),
            body));
        requests.notifyAll();
      }
      beforeAnswer.run();
      ex.sendResponseHeaders(status.getAsInt(), -1);
      ex.close();
    });
    server.start();
  }

  /** The status of each answer (called once per request, after it was recorded). */
  void answer(IntSupplier statusSupplier) {
    this.status = statusSupplier;
  }

  /** Runs before each answer, e.g. to hold a request open. */
  void beforeAnswer(Runnable r) {
    this.beforeAnswer = r;
  }

  String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** Waits until at least {@code n} requests arrived. */
  List<Request> awaitRequests(int n, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (requests) {
      while (requests.size() < n) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("expected " + n + " requests within " + timeout + ", got " + requests.size());
        }
        try {
          requests.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
      return List.copyOf(requests);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
