package io.vigil.scrape;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.zip.GZIPOutputStream;

/**
 * A real HTTP server on loopback that plays scrape targets: each path serves a body the test sets
 * (and may change), and every request is recorded with its headers. Bound to 127.0.0.1, or to the
 * wildcard address for tests that need many loopback addresses (then requests from anything but
 * loopback are refused).
 */
final class TargetServer implements AutoCloseable {
  /** What one path answers. */
  record Reply(int status, String contentType, byte[] body, boolean gzip) {
    static Reply text(String body) {
      return new Reply(200, "text/plain; version=0.0.4; charset=utf-8", body.getBytes(StandardCharsets.UTF_8), false);
    }
  }

  /** One request seen. */
  record Hit(String host, String path, long atMs, Map<String, List<String>> headers) {}

  private final HttpServer server;
  private final Map<String, Reply> replies = new ConcurrentHashMap<>();
  final List<Hit> hits = new CopyOnWriteArrayList<>();
  private volatile boolean recordHits = true;

  private TargetServer(HttpServer server) {
    this.server = server;
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  static TargetServer loopback() throws IOException {
    return new TargetServer(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024));
  }

  /** Listens on every address (so all of 127.0.0.0/8 reaches it); non-loopback clients are refused. */
  static TargetServer allLoopbackAddresses() throws IOException {
    // The JDK server closes keep-alive connections beyond 200 idle ones by default: with 1,000
    // targets every scrape would then open a new connection.
    System.setProperty("sun.net.httpserver.maxIdleConnections", "4000");
    return new TargetServer(HttpServer.create(new InetSocketAddress(0), 4096));
  }

  int port() {
    return server.getAddress().getPort();
  }

  String address() {
    return "127.0.0.1:" + port();
  }

  void set(String path, Reply reply) {
    replies.put(path, reply);
  }

  void set(String path, String textBody) {
    set(path, Reply.text(textBody));
  }

  void remove(String path) {
    replies.remove(path);
  }

  void recordHits(boolean on) {
    recordHits = on;
  }

  List<Hit> hits(String path) {
    return hits.stream().filter(h -> h.path().equals(path)).toList();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      if (!ex.getRemoteAddress().getAddress().isLoopbackAddress()) {
        ex.sendResponseHeaders(403, -1);
        return;
      }
      String path = ex.getRequestURI().getPath();
      if (recordHits) {
        hits.add(new Hit(ex.getLocalAddress().getAddress().getHostAddress(), path, System.currentTimeMillis(),
            Map.copyOf(ex.getRequestHeaders())));
      }
      Reply r = replies.get(path);
      if (r == null) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      byte[] body = r.body();
      if (r.gzip()) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
          gz.write(body);
        }
        body = bos.toByteArray();
        ex.getResponseHeaders().set("Content-Encoding", "gzip");
      }
      if (r.contentType() != null) {
        ex.getResponseHeaders().set("Content-Type", r.contentType());
      }
      ex.sendResponseHeaders(r.status(), body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        try (OutputStream os = ex.getResponseBody()) {
          os.write(body);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
