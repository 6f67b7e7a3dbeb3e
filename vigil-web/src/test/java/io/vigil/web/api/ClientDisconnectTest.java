package io.vigil.web.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Labels;
import io.vigil.promql.EngineOptions;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A query whose HTTP/1.1 client hangs up is cancelled: real Jetty on loopback, a raw socket client
 * that sends the request and closes, and the engine's query log as the witness (a query is logged
 * when it ends, with its error).
 */
class ClientDisconnectTest {
  private static final long MINUTE_MS = 60_000;
  /**
   * Costly on purpose (hundreds of millions of sorted samples when left to run: well over ten
   * seconds on the 2-core CI machine), yet small in memory: 200 series of 2 h at 15 s.
   */
  private static final String HEAVY = "count(max_over_time(quantile_over_time(0.5, load_x[30m:1s])[30m:1s]))";

  @TempDir
  Path tmp;

  private ApiHarness harness(Path queryLog) throws Exception {
    ApiHarness h = new ApiHarness(EngineOptions.DEFAULTS.withQueryLogFile(queryLog).withTimeout(Duration.ofMinutes(2)),
        null, b -> { });
    for (int s = 0; s < 200; s++) {
      int series = s;
      h.series(Labels.of("__name__", "load_x", "series", Integer.toString(s)), ApiHarness.NOW_MS - 120 * MINUTE_MS,
          ApiHarness.NOW_MS, 15_000, t -> (t / 15_000 * 7919 + series * 104729) % 1000);
    }
    return h;
  }

  @Test
  void queryIsCancelledWhenTheClientClosesItsConnection() throws Exception {
    Path log = tmp.resolve("query.log");
    try (ApiHarness h = harness(log)) {
      long closedAt;
      try (Socket s = new Socket("127.0.0.1", h.server.port())) {
        send(s, "GET /api/v1/query?query=" + ApiHarness.enc(HEAVY) + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
        Thread.sleep(300); // the query is evaluating now (it takes seconds if left to run)
        closedAt = System.nanoTime();
      }
      String entry = awaitLogEntry(log, Duration.ofSeconds(10));
      double secondsToCancel = (System.nanoTime() - closedAt) / 1e9;
      System.out.printf("client-disconnect: query ended %.3f s after the client closed: %s%n", secondsToCancel,
          entry.strip());
      assertThat(entry).contains("\"error\":\"query was canceled in expression evaluation\"");
      assertThat(secondsToCancel).isLessThan(5);

      // The server keeps serving, also on new connections.
      ApiHarness.Response r = h.get("/api/v1/query?query=" + ApiHarness.enc("count(load_x)"));
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).contains("\"200\"");
    }
  }

  /**
   * Bytes that arrive while a query runs are the next request of a pipelining client: watching the
   * socket must not consume them, so both requests are answered, in order.
   */
  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws Exception {
    try (ApiHarness h = harness(tmp.resolve("query.log")); Socket s = new Socket("127.0.0.1", h.server.port())) {
      String first = "GET /api/v1/query?query=" + ApiHarness.enc("count(load_x)") + " HTTP/1.1\r\nHost: a\r\n\r\n";
      String second = "GET /api/v1/query?query=" + ApiHarness.enc("count(load_x) * 2")
          + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
      send(s, first + second);
      s.setSoTimeout(10_000);
      String responses = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(responses).containsSubsequence("HTTP/1.1 200", "\"200\"", "HTTP/1.1 200", "\"400\"");
    }
  }

  private static void send(Socket s, String request) throws Exception {
    OutputStream out = s.getOutputStream();
    out.write(request.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private static String awaitLogEntry(Path log, Duration max) throws Exception {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(log)) {
        String text = Files.readString(log);
        if (!text.isBlank()) {
          return text;
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the query did not end within " + max + " after the client closed");
  }
}
