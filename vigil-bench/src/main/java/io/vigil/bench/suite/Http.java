package io.vigil.bench.suite;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Plain HTTP/1.1 calls to the servers with the JDK client, timed from request to last body byte. */
final class Http {
  static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  record Response(int status, String body, double seconds) {
    boolean ok() {
      return status / 100 == 2;
    }

    JsonNode json() {
      return JSON.readTree(body);
    }
  }

  private Http() {}

  static Response get(String url) {
    return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5)).GET().build());
  }

  static Response post(String url, String contentType, String body) {
    return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5)).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  static Response put(String url, String contentType, byte[] body) {
    return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(1)).header("Content-Type", contentType)
        .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build());
  }

  static Response send(HttpRequest req) {
    long t0 = System.nanoTime();
    try {
      HttpResponse<String> r = CLIENT.send(req, HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.body(), (System.nanoTime() - t0) / 1e9);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(req.method() + " " + req.uri() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String query(Map<String, String> params) {
    return params.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  /** Seconds with millisecond precision, as the query API takes them. */
  static String seconds(long ms) {
    return Math.floorDiv(ms, 1000) + "." + String.format("%03d", Math.floorMod(ms, 1000));
  }
}
