package io.vigil.web.api;

import static io.vigil.web.api.ApiHarness.NOW_S;
import static io.vigil.web.api.ApiHarness.enc;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Metadata;
import io.vigil.model.MetricType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The requests Grafana's Prometheus data source (10.x/11.x, pkg/promlib and grafana-prometheus'
 * language provider) sends, byte for byte where it matters, and the checks its response parser
 * relies on: the envelope's status/data/warnings/infos, resultType, [float, "string"] points whose
 * strings Go's ParseFloat reads, string arrays for labels, label-set arrays for series, the
 * metadata map, and buildinfo's version.
 */
class GrafanaCallsTest {
  private static ApiHarness h;
  /** Grafana's formatTime: Unix seconds with the fraction, 'f' format. */
  private static final String START = (NOW_S - 300) + ".25";
  private static final String END = NOW_S + ".75";

  @BeforeAll
  static void start() throws Exception {
    List<MetricMetadata> md = List.of(new MetricMetadata("up", new Metadata(MetricType.GAUGE, "Target up.", "")),
        new MetricMetadata("restic_backup_files_total", new Metadata(MetricType.GAUGE, "Files.", "")));
    h = new ApiHarness(b -> b.metadata(() -> md)
        .buildInfo(new BuildInfo("3.0.0", "r", "b", "u", "d", "25")));
    h.loadStandardData();
  }

  @AfterAll
  static void stop() throws Exception {
    h.close();
  }

  /** What Grafana's backend client checks before it converts frames. */
  private static JsonNode success(ApiHarness.Response r) {
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("application/json");
    JsonNode j = r.json();
    assertThat(j.get("status").stringValue()).isEqualTo("success");
    for (String optional : new String[] {"warnings", "infos"}) {
      if (j.has(optional)) {
        assertThat(j.get(optional).isArray()).isTrue();
      }
    }
    return j.get("data");
  }

  private static void assertPoint(JsonNode point) {
    assertThat(point.isArray()).isTrue();
    assertThat(point.size()).isEqualTo(2);
    assertThat(point.get(0).isNumber()).isTrue();
    assertThat(point.get(1).isString()).isTrue();
    Double.parseDouble(point.get(1).stringValue().replace("Inf", "Infinity"));
  }

  @Test
  void rangeQueryAsTheBackendPostsIt() throws Exception {
    // url.Values.Encode sorts the keys; step is FormatFloat(step.Seconds(), 'f', -1, 64).
    String body = "end=" + END + "&query=" + enc("sum by (job) (rate(prometheus_http_requests_total[1m]))")
        + "&start=" + START + "&step=15&timeout=30s";
    JsonNode data = success(h.post("/api/v1/query_range", body));
    assertThat(data.get("resultType").stringValue()).isEqualTo("matrix");
    JsonNode series = data.get("result").get(0);
    assertThat(series.get("metric").get("job").stringValue()).isEqualTo("prometheus");
    JsonNode values = series.get("values");
    assertThat(values.size()).isEqualTo(21);
    double first = values.get(0).get(0).doubleValue();
    assertThat(first).isEqualTo(NOW_S - 300 + 0.25);
    for (int i = 0; i < values.size(); i++) {
      assertPoint(values.get(i));
      assertThat(values.get(i).get(0).doubleValue()).isEqualTo(first + 15 * i);
    }
  }

  @Test
  void instantQueryAsTheBackendPostsIt() throws Exception {
    JsonNode data = success(h.post("/api/v1/query", "query=" + enc("up") + "&time=" + END + "&timeout=30s"));
    assertThat(data.get("resultType").stringValue()).isEqualTo("vector");
    assertThat(data.get("result")).hasSize(3);
    data.get("result").forEach(s -> assertPoint(s.get("value")));
    assertThat(data.get("result").get(0).get("value").get(0).doubleValue()).isEqualTo(NOW_S + 0.75);
    // Grafana GET mode: the same parameters in the URL.
    JsonNode get = success(h.get("/api/v1/query?query=" + enc("1/0") + "&time=" + END));
    assertThat(get.get("resultType").stringValue()).isEqualTo("scalar");
    assertPoint(get.get("result"));
  }

  @Test
  void errorsCarryTheMessageGrafanaShows() throws Exception {
    ApiHarness.Response r = h.post("/api/v1/query_range", "end=" + END + "&query=" + enc("rate(up[5m]")
        + "&start=" + START + "&step=15");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("status").stringValue()).isEqualTo("error");
    assertThat(r.json().get("error").stringValue()).isEqualTo("invalid parameter \"query\": 1:12: parse error: unclosed left parenthesis");
  }

  @Test
  void exemplarsAsTheBackendPostsThem() throws Exception {
    JsonNode data = success(h.post("/api/v1/query_exemplars", "end=" + END + "&query=" + enc("up") + "&start=" + START));
    assertThat(data.isArray()).isTrue();
  }

  @Test
  void languageProviderLookups() throws Exception {
    // start(): metric names, then metadata and label names (seconds, aligned to the interval).
    String range = "start=" + (NOW_S - 3600) + "&end=" + NOW_S;
    JsonNode names = success(h.get("/api/v1/label/__name__/values?" + range, "X-Grafana-Cache", "private, max-age=60"));
    assertThat(strings(names)).containsExactly("prometheus_http_requests_total", "restic_backup_files_total", "up");
    JsonNode metadata = success(h.get("/api/v1/metadata"));
    assertThat(metadata.get("up").get(0).get("type").stringValue()).isEqualTo("gauge");
    assertThat(metadata.get("up").get(0).get("help").stringValue()).isEqualTo("Target up.");
    assertThat(strings(success(h.get("/api/v1/labels?" + range)))).contains("__name__", "instance", "job");
    // With POST configured, labels and series go as form bodies.
    assertThat(strings(success(h.post("/api/v1/labels", range + "&match[]=up"))))
        .containsExactly("__name__", "instance", "job");
    JsonNode series = success(h.post("/api/v1/series", range + "&match[]=" + enc("up{job=\"node\"}") + "&limit=40000"));
    assertThat(series.get(0).get("instance").stringValue()).isEqualTo("127.0.0.1:39100");
    assertThat(success(h.get("/api/v1/series?" + range + "&match[]=up&limit=40000"))).hasSize(3);
    // Label values are GET-only; a POST gets 405, on which Grafana retries with GET.
    assertThat(h.post("/api/v1/label/job/values", range).status()).isEqualTo(405);
    assertThat(strings(success(h.get("/api/v1/label/job/values?" + range + "&match[]=" + enc("{__name__=\"up\"}")))))
        .containsExactly("node", "prometheus", "pushgateway");
    // escapeForUtf8Support leaves legacy names alone and escapes the rest with U__.
    assertThat(strings(success(h.get("/api/v1/label/U__job/values?" + range)))).contains("restic");
  }

  @Test
  void buildInfoForVersionDetection() throws Exception {
    JsonNode data = success(h.get("/api/v1/status/buildinfo"));
    assertThat(data.get("version").stringValue()).isEqualTo("3.0.0");
    assertThat(data.has("features")).isFalse(); // absent: Grafana treats the server as Prometheus, not Mimir
  }

  private static List<String> strings(JsonNode array) {
    assertThat(array.isArray()).isTrue();
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.stringValue()));
    return out;
  }
}
