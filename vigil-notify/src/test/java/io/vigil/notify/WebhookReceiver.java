package io.vigil.notify;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * A loopback HTTP server receiving Alertmanager's webhook notifications (the JDK's HttpServer), as
 * the fixtures' Python listener did: every POST body is kept, parsed as JSON, in arrival order.
 */
public final class WebhookReceiver implements AutoCloseable {
  private final HttpServer server;
  private final List<JsonNode> received = new ArrayList<>();

  public WebhookReceiver() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/hook", ex -> {
      byte[] body = ex.getRequestBody().readAllBytes();
      synchronized (received) {
        received.add(AlertmanagerPeer.JSON.readTree(body));
        received.notifyAll();
      }
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  public List<JsonNode> received() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  /** Waits for a notification matching {@code match}, or fails listing what arrived. */
  public JsonNode await(Predicate<JsonNode> match, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (received) {
      while (true) {
        for (JsonNode n : received) {
          if (match.test(n)) {
            return n;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no matching webhook notification after " + timeout + "; received " + received);
        }
        try {
          received.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
    }
  }

  /** A predicate: the notification has this status and an alert with this alertname. */
  public static Predicate<JsonNode> notification(String status, String alertname) {
    return n -> n.get("status").stringValue().equals(status) && containsAlert(n, alertname);
  }

  private static boolean containsAlert(JsonNode n, String alertname) {
    for (JsonNode a : n.get("alerts")) {
      if (a.get("labels").path("alertname").stringValue("").equals(alertname)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
