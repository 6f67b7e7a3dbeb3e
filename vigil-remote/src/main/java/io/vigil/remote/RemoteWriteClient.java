package io.vigil.remote;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Sends remote write 1.0 requests over HTTP as Prometheus's sender does: POST with
 * {@code Content-Encoding: snappy}, {@code Content-Type: application/x-protobuf},
 * {@code X-Prometheus-Remote-Write-Version: 0.1.0} and a User-Agent. Answers 5xx and 429, and
 * connection failures, are retried with exponential backoff and jitter (a 429's Retry-After is
 * honoured); other 4xx are final (resending the same data cannot succeed).
 *
 * <p>Thread-safe: one client serves many sending threads, each with its own
 * {@link WriteRequestEncoder}. It uses the JDK's HTTP/1.1 client with connection reuse.
 */
public final class RemoteWriteClient {
  /**
   * @param timeout per attempt (default 30 s, Prometheus's remote_timeout)
   * @param maxAttempts attempts per request including the first (default 10; Prometheus retries
   *     recoverable errors forever, a benchmark or test wants a bound)
   * @param minBackoff first retry delay, doubled per retry (default 30 ms, Prometheus's min_backoff)
   * @param maxBackoff longest retry delay (default 5 s, Prometheus's max_backoff)
   * @param userAgent the User-Agent header (default "Vigil-remote-write/0.1")
   * @param headers extra headers, e.g. Authorization (default none)
   */
  public record Options(Duration timeout, int maxAttempts, Duration minBackoff, Duration maxBackoff, String userAgent,
      Map<String, String> headers) {
    public Options {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
      }
      headers = Map.copyOf(headers);
    }

    public static Options defaults() {
      return new Options(Duration.ofSeconds(30), 10, Duration.ofMillis(30), Duration.ofSeconds(5), "Vigil-remote-write/0.1",
          Map.of());
    }

    public Options withMaxAttempts(int n) {
      return new Options(timeout, n, minBackoff, maxBackoff, userAgent, headers);
    }

    public Options withBackoff(Duration min, Duration max) {
      return new Options(timeout, maxAttempts, min, max, userAgent, headers);
    }

    public Options withHeaders(Map<String, String> h) {
      return new Options(timeout, maxAttempts, minBackoff, maxBackoff, userAgent, h);
    }

    public Options withTimeout(Duration t) {
      return new Options(t, maxAttempts, minBackoff, maxBackoff, userAgent, headers);
    }
  }

  /**
   * The final answer to one request.
   *
   * @param status the HTTP status of the last attempt (204 = every sample stored and durable)
   * @param body the response body of the last attempt (the reason, for errors)
   * @param attempts how many attempts were made
   */
  public record Response(int status, String body, int attempts) {
    public boolean success() {
      return status / 100 == 2;
    }
  }

  private final URI url;
  private final Options options;
  private final HttpClient http;

  public RemoteWriteClient(URI url, Options options) {
    this.url = url;
    this.options = options;
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(options.timeout())
        .build();
  }

  /** Compresses the encoder's request and sends it; see {@link #send(byte[], int)}. */
  public Response send(WriteRequestEncoder request) throws IOException, InterruptedException {
    int n = request.compress();
    return send(request.compressedBuffer(), n);
  }

  /**
   * Sends a snappy-compressed WriteRequest (the first {@code length} bytes of {@code body}),
   * retrying as the class comment says.
   *
   * @return the final answer: success, a non-retryable 4xx, or the last retryable failure when the
   *     attempts ran out
   * @throws IOException if the last attempt failed to connect or read (no HTTP answer at all)
   */
  public Response send(byte[] body, int length) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(url)
        .timeout(options.timeout())
        .header("Content-Encoding", "snappy")
        .header("Content-Type", "application/x-protobuf")
        .header("User-Agent", options.userAgent())
        .header("X-Prometheus-Remote-Write-Version", "0.1.0")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body, 0, length));
    options.headers().forEach(b::header);
    HttpRequest request = b.build();
    long backoffMs = options.minBackoff().toMillis();
    for (int attempt = 1; ; attempt++) {
      long waitMs;
      try {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        int status = r.statusCode();
        boolean retryable = status / 100 == 5 || status == 429;
        if (!retryable || attempt >= options.maxAttempts()) {
          return new Response(status, r.body(), attempt);
        }
        waitMs = status == 429 ? retryAfterMs(r, backoffMs) : backoffMs;
      } catch (IOException e) {
        if (attempt >= options.maxAttempts()) {
          throw e;
        }
        waitMs = backoffMs;
      }
      // Jitter spreads the retries of many shards that failed at the same moment.
      Thread.sleep(waitMs + ThreadLocalRandom.current().nextLong(waitMs / 4 + 1));
      backoffMs = Math.min(backoffMs * 2, options.maxBackoff().toMillis());
    }
  }

  private long retryAfterMs(HttpResponse<?> r, long fallbackMs) {
    return r.headers().firstValue("Retry-After").map(v -> {
      try {
        return Math.min(Long.parseLong(v.trim()) * 1000, options.maxBackoff().toMillis());
      } catch (NumberFormatException e) {
        return fallbackMs; // an HTTP date: not worth parsing for a bounded backoff
      }
    }).orElse(fallbackMs);
  }
}
