package io.vigil.web.api;

import static io.vigil.web.api.ApiHarness.NOW_S;
import static io.vigil.web.api.ApiHarness.enc;
import static io.vigil.web.api.ApiHarness.form;
import static io.vigil.web.api.JsonShape.assertSameShape;
import static io.vigil.web.api.JsonShape.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.promql.EngineOptions;
import io.vigil.testkit.Fixtures;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** /api/v1/query, query_range, format_query, parse_query and query_exemplars over real HTTP. */
class QueryApiTest {
  private static ApiHarness h;

  @BeforeAll
  static void start() throws Exception {
    h = new ApiHarness(b -> {});
    h.loadStandardData();
  }

  @AfterAll
  static void stop() throws Exception {
    h.close();
  }

  private static ApiHarness.Response query(String q, String... more) throws Exception {
    StringBuilder sb = new StringBuilder("/api/v1/query?query=" + enc(q));
    for (int i = 0; i < more.length; i += 2) {
      sb.append('&').append(more[i]).append('=').append(enc(more[i + 1]));
    }
    return h.get(sb.toString());
  }

  private static void assertError(ApiHarness.Response r, int status, String fixtureName) {
    JsonNode expected = fixture(fixtureName);
    assertError(r, status, expected.get("errorType").stringValue(), expected.get("error").stringValue());
  }

  private static void assertError(ApiHarness.Response r, int status, String type, String message) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.contentType()).isEqualTo("application/json");
    JsonNode j = r.json();
    assertThat(new ArrayList<>(j.propertyNames())).containsExactly("status", "errorType", "error");
    assertThat(j.get("status").stringValue()).isEqualTo("error");
    assertThat(j.get("errorType").stringValue()).isEqualTo(type);
    assertThat(j.get("error").stringValue()).isEqualTo(message);
  }

  @Test
  void instantVectorAtServerTime() throws Exception {
    ApiHarness.Response r = query("up");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).isEqualTo("application/json");
    assertSameShape(r.json(), fixture("query-instant-vector.json"));
    JsonNode result = r.data().get("result");
    assertThat(result).hasSize(3);
    for (JsonNode s : result) {
      assertThat(s.get("value").get(0).asString()).isEqualTo(Long.toString(NOW_S));
      assertThat(s.get("value").get(1).stringValue()).isEqualTo("1");
    }
    // Series sorted by labels; labels sorted by name, __name__ first.
    assertThat(r.body()).startsWith("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
        + "{\"metric\":{\"__name__\":\"up\",\"instance\":\"127.0.0.1:39090\",\"job\":\"prometheus\"},"
        + "\"value\":[" + NOW_S + ",\"1\"]}");
  }

  @Test
  void pushedGaugeValues() throws Exception {
    ApiHarness.Response r = query("restic_backup_files_total");
    assertSameShape(r.json(), fixture("query-instant-vector-pushed.json"));
    List<String> values = new ArrayList<>();
    r.data().get("result").forEach(s -> values.add(s.get("value").get(1).stringValue()));
    assertThat(values).containsExactly("3", "120", "4000");
  }

  @Test
  void scalarStringAndMatrixResults() throws Exception {
    ApiHarness.Response scalar = query("1+1", "time", "1795290126.698");
    assertSameShape(scalar.json(), fixture("query-instant-scalar.json"));
    assertThat(scalar.body()).contains("\"result\":[1795290126.698,\"2\"]");

    ApiHarness.Response string = query("\"hello\"", "time", "1795290126.733");
    assertSameShape(string.json(), fixture("query-instant-string.json"));
    assertThat(string.body()).contains("\"resultType\":\"string\",\"result\":[1795290126.733,\"hello\"]");

    ApiHarness.Response matrix = query("up[15s]");
    assertSameShape(matrix.json(), fixture("query-instant-matrix.json"));
    // (t-15s, t] holds the samples at t-10s, t-5s and t.
    JsonNode values = matrix.data().get("result").get(0).get("values");
    assertThat(values).hasSize(3);
    assertThat(values.get(0).get(0).asString()).isEqualTo(Long.toString(NOW_S - 10));
  }

  @Test
  void formPostWithTime() throws Exception {
    ApiHarness.Response r = h.post("/api/v1/query", form("query", "sum by (job) (up)", "time", "1795290126"));
    assertSameShape(r.json(), fixture("query-instant-post-form.json"));
    assertThat(r.data().get("result").get(0).get("value").get(0).asString()).isEqualTo("1795290126");
    assertThat(r.data().get("result").get(0).get("metric").propertyNames()).containsExactly("job");
  }

  @Test
  void queriesTooLongForAUrlGoInTheBody() throws Exception {
    // 20 KB of "up{job=~"..."} or ...": beyond what URLs carry, as generated dashboards produce them.
    String q = "up" + " or up{job=~\"prometheus|pushgateway|node|nothing-else\"}".repeat(400);
    ApiHarness.Response r = h.post("/api/v1/query", form("query", q));
    assertThat(r.data().get("result")).hasSize(3);
    // Nesting deeper than the parser's stack allows is a clear client error, not a crash.
    ApiHarness.Response deep = h.post("/api/v1/query", form("query", "up" + " or up".repeat(30_000)));
    assertError(deep, 400, "bad_data", "invalid parameter \"query\": expression nested too deeply");
  }

  @Test
  void statsAllHasPrometheusShape() throws Exception {
    ApiHarness.Response r = query("up", "stats", "all");
    assertSameShape(r.json(), fixture("query-instant-with-stats.json"));
    JsonNode samples = r.data().get("stats").get("samples");
    assertThat(samples.get("totalQueryableSamples").longValue()).isEqualTo(3);
    assertThat(samples.get("peakSamples").longValue()).isEqualTo(3);
    assertThat(query("up").data().has("stats")).isFalse();
  }

  @Test
  void emptyResults() throws Exception {
    assertSameShape(query("no_such_metric_xyz").json(), fixture("query-missing-metric.json"));
    assertThat(query("no_such_metric_xyz").body())
        .isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");
    ApiHarness.Response range = h.get("/api/v1/query_range?query=no_such_metric_xyz&start=" + (NOW_S - 120)
        + "&end=" + NOW_S + "&step=15");
    assertSameShape(range.json(), fixture("query-range-missing-metric.json"));
  }

  @Test
  void floatsAsPrometheusFormatsThem() throws Exception {
    assertThat(query("1/3").body()).contains(",\"0.3333333333333333\"]");
    assertThat(query("1e-7").body()).contains(",\"1e-07\"]");
    assertThat(query("1e21").body()).contains(",\"1e+21\"]");
    assertThat(query("1e20").body()).contains(",\"100000000000000000000\"]");
    assertThat(query("1/0").body()).contains(",\"+Inf\"]");
    assertThat(query("-1/0").body()).contains(",\"-Inf\"]");
    assertThat(query("0/0").body()).contains(",\"NaN\"]");
  }

  @Test
  void stringsEscapedAsGoDoes() throws Exception {
    String body = query("label_replace(vector(1), \"x\", \"<a&b>/\\\"\", \"\", \"\")").body();
    assertThat(body).contains("\"x\":\"\\u003ca\\u0026b\\u003e/\\\"\"");
  }

  @Test
  void queryErrorsMatchPrometheus() throws Exception {
    assertError(query("sum(up"), 400, "query-error-parse.json");
    assertError(query("up", "time", "notatime"), 400, "query-error-bad-data-time.json");
    assertError(h.get("/api/v1/query"), 400, "query-error-missing-query.json");
    assertError(query("up", "timeout", "soon"), 400, "bad_data",
        "invalid parameter \"timeout\": cannot parse \"soon\" to a valid duration");
    assertError(query("up", "limit", "-1"), 400, "bad_data", "invalid parameter \"limit\": limit must be non-negative");
    // The series listed in the message are ours; the wording around them is Prometheus's.
    ApiHarness.Response exec = query("up + on() up");
    String expected = fixture("query-error-execution.json").get("error").stringValue();
    assertThat(exec.status()).isEqualTo(422);
    assertThat(exec.json().get("errorType").stringValue()).isEqualTo("execution");
    String msg = exec.json().get("error").stringValue();
    assertThat(msg).startsWith(expected.substring(0, expected.indexOf('[')))
        .endsWith(expected.substring(expected.indexOf("];") + 1));
  }

  @Test
  void rangeQueries() throws Exception {
    ApiHarness.Response up = h.get("/api/v1/query_range?query=up&start=" + (NOW_S - 120) + "&end=" + NOW_S + "&step=30");
    assertSameShape(up.json(), fixture("query-range-up.json"));
    for (JsonNode s : up.data().get("result")) {
      assertThat(s.get("values")).hasSize(5);
      assertThat(s.get("values").get(4).get(0).asString()).isEqualTo(Long.toString(NOW_S));
    }
    String q = "rate(prometheus_http_requests_total{handler=\"/metrics\"}[30s])";
    ApiHarness.Response rate = h.get("/api/v1/query_range?query=" + enc(q) + "&start=" + (NOW_S - 120) + "&end="
        + NOW_S + "&step=15");
    assertSameShape(rate.json(), fixture("query-range.json"));
    JsonNode values = rate.data().get("result").get(0).get("values");
    assertThat(values).hasSize(9);
    values.forEach(v -> assertThat(v.get(1).stringValue()).isEqualTo("0.2"));
    // Step as a duration, times as RFC 3339, POSTed.
    ApiHarness.Response post = h.post("/api/v1/query_range", form("query", "up", "start", "2026-11-21T19:40:06Z",
        "end", "2026-11-21T19:42:06Z", "step", "30s"));
    assertThat(post.data().get("result").get(0).get("values")).hasSize(5);
  }

  @Test
  void rangeQueryErrors() throws Exception {
    assertError(h.get("/api/v1/query_range?query=up&start=1795290126&end=1795290006&step=15"), 400,
        "query-range-error-step.json");
    assertError(h.get("/api/v1/query_range?query=up&start=0&end=1795290126&step=1"), 400,
        "query-range-error-too-many-points.json");
    assertError(h.get("/api/v1/query_range?query=up&start=0&end=10"), 400, "bad_data",
        "invalid parameter \"step\": cannot parse \"\" to a valid duration");
    assertError(h.get("/api/v1/query_range?query=up&start=0&end=10&step=0"), 400, "bad_data",
        "invalid parameter \"step\": zero or negative query resolution step widths are not accepted. Try a positive integer");
    assertError(h.get("/api/v1/query_range?query=up&start=x&end=10&step=1"), 400, "bad_data",
        "invalid parameter \"start\": cannot parse \"x\" to a valid timestamp");
    assertError(h.get("/api/v1/query_range?query=up&end=10&step=1"), 400, "bad_data",
        "invalid parameter \"start\": cannot parse \"\" to a valid timestamp");
    assertError(h.get("/api/v1/query_range?query=" + enc("up[5m]") + "&start=0&end=10&step=1"), 400, "bad_data",
        "invalid parameter \"query\": invalid expression type \"range vector\" for range query, must be Scalar or instant Vector");
    assertError(h.get("/api/v1/query_range?query=" + enc("sum(up") + "&start=0&end=10&step=1"), 400, "bad_data",
        "invalid parameter \"query\": 1:7: parse error: unclosed left parenthesis");
    // 11,000 points are fine, 11,001 are not.
    assertThat(h.get("/api/v1/query_range?query=1&start=0&end=11000&step=1").status()).isEqualTo(200);
    assertThat(h.get("/api/v1/query_range?query=1&start=0&end=11001&step=1").status()).isEqualTo(400);
  }

  @Test
  void limitTruncatesSeriesWithAWarning() throws Exception {
    ApiHarness.Response r = query("up", "limit", "2");
    assertThat(r.data().get("result")).hasSize(2);
    assertThat(new ArrayList<>(r.json().propertyNames())).containsExactly("status", "data", "warnings");
    assertThat(r.json().get("warnings").get(0).stringValue()).isEqualTo("results truncated due to limit");
    assertThat(query("up", "limit", "3").json().has("warnings")).isFalse();
    ApiHarness.Response range = h.get("/api/v1/query_range?query=up&start=" + (NOW_S - 60) + "&end=" + NOW_S
        + "&step=30&limit=1");
    assertThat(range.data().get("result")).hasSize(1);
    assertThat(range.json().get("warnings")).hasSize(1);
  }

  @Test
  void infosAreReturnedWithoutWarnings() throws Exception {
    ApiHarness.Response r = query("rate(up[1m])");
    assertThat(new ArrayList<>(r.json().propertyNames())).containsExactly("status", "data", "infos");
    assertThat(r.json().get("infos").get(0).stringValue()).startsWith("PromQL info: metric might not be a counter");
  }

  @Test
  void requestTimeoutIsPrometheusTimeoutError() throws Exception {
    assertError(query("count_over_time({__name__=~\".+\"}[2m])", "timeout", "0.000001"), 503,
        "query-error-timeout.json");
    try (ApiHarness slow = new ApiHarness(EngineOptions.DEFAULTS, new SlowQueryable(), b -> {})) {
      ApiHarness.Response r = slow.get("/api/v1/query?query=slow&timeout=0.2");
      assertError(r, 503, "timeout", "query timed out in expression evaluation");
    }
  }

  @Test
  void engineTimeoutCapsTheRequestTimeout() throws Exception {
    SlowQueryable storage = new SlowQueryable();
    EngineOptions opts = EngineOptions.DEFAULTS.withTimeout(java.time.Duration.ofMillis(200));
    try (ApiHarness slow = new ApiHarness(opts, storage, b -> {})) {
      ApiHarness.Response r = slow.get("/api/v1/query?query=slow&timeout=1h");
      assertError(r, 503, "timeout", "query timed out in expression evaluation");
    }
  }

  /**
   * The query is cancelled when its connection fails. Jetty reports a failed HTTP/1.1 connection to
   * the exchange only when it reads or writes, so this test fails the connection by stopping the
   * server (after a short grace period) rather than by closing the client socket.
   */
  @Test
  void queryIsCancelledWhenTheConnectionFails() throws Exception {
    SlowQueryable storage = new SlowQueryable();
    ApiHarness slow = new ApiHarness(EngineOptions.DEFAULTS, storage, b -> {}, java.time.Duration.ofMillis(100));
    try (Socket s = new Socket("127.0.0.1", slow.server.port())) {
      OutputStream out = s.getOutputStream();
      out.write(("GET /api/v1/query?query=slow HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(storage.started.await(5, TimeUnit.SECONDS)).isTrue();
      try {
        slow.close();
      } catch (java.util.concurrent.TimeoutException expected) {
        // the graceful part of the stop gave up on the running request, as intended
      }
      // Without cancellation the endless select would run until the engine's 2 minute timeout.
      assertThat(storage.closed.await(10, TimeUnit.SECONDS)).as("querier closed after the connection failed").isTrue();
      int produced = storage.produced.get();
      Thread.sleep(100);
      assertThat(storage.produced.get()).isEqualTo(produced);
    }
  }

  @Test
  void formatQuery() throws Exception {
    ApiHarness.Response r = h.get("/api/v1/format_query?query=" + enc("sum(rate(x[5m]))by(job)"));
    assertThat(r.body()).isEqualTo("{\"status\":\"success\",\"data\":\"sum by (job) (rate(x[5m]))\"}");
    ApiHarness.Response post = h.post("/api/v1/format_query", form("query", "up{job=\"a\"}   +1"));
    assertThat(post.data().stringValue()).isEqualTo("up{job=\"a\"} + 1");
    assertError(h.get("/api/v1/format_query?query=" + enc("sum(")), 400, "bad_data",
        "invalid parameter \"query\": 1:5: parse error: unclosed left parenthesis");
  }

  @Test
  void parseQueryHasPrometheusAstShape() throws Exception {
    String q = "sum by (job) (rate(http_requests_total{job=\"api\"}[5m] offset 1m)) > bool on(job) group_left(x) -up";
    JsonNode data = h.get("/api/v1/parse_query?query=" + enc(q)).data();
    String expected = """
        {"bool":true,
         "lhs":{"expr":{"args":[{"anchored":false,
                                 "matchers":[{"name":"job","type":"=","value":"api"},
                                             {"name":"__name__","type":"=","value":"http_requests_total"}],
                                 "name":"http_requests_total","offset":60000,"range":300000,"smoothed":false,
                                 "startOrEnd":null,"timestamp":null,"type":"matrixSelector"}],
                        "func":{"argTypes":["matrix"],"name":"rate","returnType":"vector","variadic":0},
                        "type":"call"},
                "grouping":["job"],"op":"sum","param":null,"type":"aggregation","without":false},
         "matching":{"card":"many-to-one","fillValues":{"lhs":null,"rhs":null},"include":["x"],"labels":["job"],
                     "on":true},
         "op":">",
         "rhs":{"expr":{"anchored":false,"matchers":[{"name":"__name__","type":"=","value":"up"}],"name":"up",
                        "offset":0,"smoothed":false,"startOrEnd":null,"timestamp":null,"type":"vectorSelector"},
                "op":"-","type":"unaryExpr"},
         "type":"binaryExpr"}
        """;
    assertThat(data.toString()).isEqualTo(ApiHarness.JSON.readTree(expected).toString());
    JsonNode sub = h.post("/api/v1/parse_query", form("query", "max_over_time(up[1h:5m] @ end())")).data();
    assertThat(sub.get("args").get(0).toString()).isEqualTo(
        "{\"alignEvalTime\":false,\"expr\":{\"anchored\":false,\"matchers\":[{\"name\":\"__name__\",\"type\":\"=\","
            + "\"value\":\"up\"}],\"name\":\"up\",\"offset\":0,\"smoothed\":false,\"startOrEnd\":null,\"timestamp\":null,"
            + "\"type\":\"vectorSelector\"},\"offset\":0,\"range\":3600000,\"startOrEnd\":\"end\",\"step\":300000,"
            + "\"timestamp\":null,\"type\":\"subquery\"}");
    assertError(h.get("/api/v1/parse_query?query=" + enc("up{")), 400, "bad_data",
        "invalid parameter \"query\": 1:4: parse error: unexpected end of input inside braces");
  }

  @Test
  void exemplarsAreEmptyUntilStored() throws Exception {
    ApiHarness.Response r = h.get("/api/v1/query_exemplars?query=up&start=" + (NOW_S - 120) + "&end=" + NOW_S);
    assertSameShape(r.json(), fixture("query-exemplars.json"));
    assertThat(r.body()).isEqualTo("{\"status\":\"success\",\"data\":[]}");
    assertThat(h.post("/api/v1/query_exemplars", form("query", "up")).status()).isEqualTo(200);
    // Nothing to select: Prometheus answers without a body.
    assertThat(h.get("/api/v1/query_exemplars?query=1%2B1").status()).isEqualTo(204);
    assertError(h.get("/api/v1/query_exemplars?query=" + enc("sum(up")), 400, "bad_data",
        "1:7: parse error: unclosed left parenthesis");
    assertError(h.get("/api/v1/query_exemplars?query=up&start=10&end=5"), 400, "bad_data",
        "end timestamp must not be before start timestamp");
  }

  @Test
  void unknownEndpointIsGoStyle404() throws Exception {
    ApiHarness.Response r = h.get("/api/v1/nosuch");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.body()).isEqualTo(Fixtures.fixtureText("prometheus-api/not-found-endpoint.txt"));
  }
}
