package io.vigil.web.api;

import static io.vigil.web.api.ApiHarness.NOW_S;
import static io.vigil.web.api.ApiHarness.enc;
import static io.vigil.web.api.ApiHarness.form;
import static io.vigil.web.api.JsonShape.assertSameShape;
import static io.vigil.web.api.JsonShape.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Labels;
import io.vigil.model.Metadata;
import io.vigil.model.MetricType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** /api/v1/series, labels, label/&lt;name&gt;/values and metadata over real HTTP. */
class SeriesApiTest {
  private static ApiHarness h;

  @BeforeAll
  static void start() throws Exception {
    List<MetricMetadata> md = List.of(
        new MetricMetadata("restic_backup_files_total", new Metadata(MetricType.GAUGE,
            "Files seen by the last backup, by state.", "")),
        new MetricMetadata("up", new Metadata(MetricType.GAUGE, "Whether the scrape worked.", "")),
        new MetricMetadata("up", new Metadata(MetricType.GAUGE, "Whether the scrape worked.", "")),
        new MetricMetadata("up", new Metadata(MetricType.UNKNOWN, "", "")),
        new MetricMetadata("prometheus_http_requests_total", new Metadata(MetricType.COUNTER, "Requests.", "")),
        new MetricMetadata("a_bytes", new Metadata(MetricType.GAUGE, "Bytes.", "bytes")),
        new MetricMetadata("b_total", new Metadata(MetricType.COUNTER, "B.", "")),
        new MetricMetadata("c_seconds", new Metadata(MetricType.SUMMARY, "C.", "seconds")));
    h = new ApiHarness(b -> b.metadata(() -> md));
    h.loadStandardData();
    // An old series, outside the last 10 minutes.
    h.series(Labels.of("__name__", "old_metric", "job", "old", "only_here", "x"), 1_000_000, 2_000_000, 1000, t -> 7);
  }

  @AfterAll
  static void stop() throws Exception {
    h.close();
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.stringValue()));
    return out;
  }

  private static void assertError(ApiHarness.Response r, String message) {
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.json().get("errorType").stringValue()).isEqualTo("bad_data");
    assertThat(r.json().get("error").stringValue()).isEqualTo(message);
  }

  @Test
  void seriesOfOneSelector() throws Exception {
    ApiHarness.Response r = h.get("/api/v1/series?match[]=up");
    assertSameShape(r.json(), fixture("series-up.json"), "$.data[*]");
    assertThat(r.body()).isEqualTo("{\"status\":\"success\",\"data\":["
        + "{\"__name__\":\"up\",\"instance\":\"127.0.0.1:39090\",\"job\":\"prometheus\"},"
        + "{\"__name__\":\"up\",\"instance\":\"127.0.0.1:39091\",\"job\":\"pushgateway\"},"
        + "{\"__name__\":\"up\",\"instance\":\"127.0.0.1:39100\",\"job\":\"node\"}]}");
  }

  @Test
  void seriesOfSeveralSelectorsAreMergedSortedAndDistinct() throws Exception {
    ApiHarness.Response r = h.post("/api/v1/series", form("match[]", "up{job=\"node\"}", "match[]",
        "{__name__=~\"up|restic_backup_files_total\",job=~\"node|restic\"}", "match[]", "old_metric"));
    List<String> names = new ArrayList<>();
    r.data().forEach(s -> names.add(s.get("__name__").stringValue() + "/" + s.get("job").stringValue()));
    assertThat(names).containsExactly("old_metric/old", "restic_backup_files_total/restic",
        "restic_backup_files_total/restic", "restic_backup_files_total/restic", "up/node");
  }

  @Test
  void seriesInATimeRange() throws Exception {
    assertThat(h.get("/api/v1/series?match[]=old_metric&start=" + (NOW_S - 60)).data()).isEmpty();
    assertThat(h.get("/api/v1/series?match[]=old_metric&start=1000&end=1500").data()).hasSize(1);
    assertThat(h.get("/api/v1/series?match[]=up&end=2000").data()).isEmpty();
  }

  @Test
  void seriesLimit() throws Exception {
    ApiHarness.Response r = h.get("/api/v1/series?match[]=up&limit=2");
    assertThat(r.data()).hasSize(2);
    assertThat(strings(r.json().get("warnings"))).containsExactly("results truncated due to limit");
    assertThat(h.get("/api/v1/series?match[]=up&limit=3").json().has("warnings")).isFalse();
  }

  @Test
  void seriesErrors() throws Exception {
    JsonNode missing = fixture("series-missing-match.json");
    ApiHarness.Response r = h.get("/api/v1/series");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().toString()).isEqualTo(missing.toString());
    ApiHarness.Response empty = h.get("/api/v1/series?match[]=" + enc("{}"));
    assertThat(empty.json().toString()).isEqualTo(fixture("series-error-bad-matcher.json").toString());
    assertError(h.get("/api/v1/series?match[]=" + enc("{job=~\".*\"}")),
        "invalid parameter \"match[]\": match[] must contain at least one non-empty matcher");
    assertError(h.get("/api/v1/series?match[]=" + enc("up{")),
        "invalid parameter \"match[]\": 1:4: parse error: unexpected end of input inside braces");
    assertError(h.get("/api/v1/series?match[]=up&start=yesterday"),
        "invalid parameter \"start\": Invalid time value for 'start': cannot parse \"yesterday\" to a valid timestamp");
    ApiHarness.Response delete = h.send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create(h.base + "/api/v1/series?match[]=up")).DELETE().build());
    assertThat(delete.status()).isEqualTo(500);
    assertThat(delete.json().get("errorType").stringValue()).isEqualTo("internal");
    assertThat(delete.json().get("error").stringValue()).isEqualTo("not implemented");
  }

  @Test
  void labelNames() throws Exception {
    ApiHarness.Response all = h.get("/api/v1/labels");
    assertSameShape(all.json(), fixture("labels.json"));
    assertThat(strings(all.data())).containsExactly("__name__", "code", "handler", "instance", "job", "only_here",
        "repo", "state");
    assertThat(strings(h.get("/api/v1/labels?match[]=up").data())).containsExactly("__name__", "instance", "job");
    assertThat(strings(h.post("/api/v1/labels", form("match[]", "up", "match[]", "old_metric")).data()))
        .containsExactly("__name__", "instance", "job", "only_here");
    ApiHarness.Response limited = h.get("/api/v1/labels?limit=2");
    assertThat(strings(limited.data())).containsExactly("__name__", "code");
    assertThat(strings(limited.json().get("warnings"))).containsExactly("results truncated due to limit");
    assertError(h.get("/api/v1/labels?match[]=" + enc("up{")), "1:4: parse error: unexpected end of input inside braces");
    assertError(h.get("/api/v1/labels?match[]=" + enc("{}")), "match[] must contain at least one non-empty matcher");
  }

  @Test
  void labelValues() throws Exception {
    ApiHarness.Response jobs = h.get("/api/v1/label/job/values");
    assertSameShape(jobs.json(), fixture("label-job-values.json"));
    assertThat(strings(jobs.data())).containsExactly("node", "old", "prometheus", "pushgateway", "restic");
    assertThat(strings(h.get("/api/v1/label/job/values?match[]=up&match[]=old_metric").data()))
        .containsExactly("node", "old", "prometheus", "pushgateway");
    assertThat(strings(h.get("/api/v1/label/__name__/values?match[]=" + enc("{job=\"restic\"}")).data()))
        .containsExactly("restic_backup_files_total");
    assertThat(strings(h.get("/api/v1/label/only_here/values?start=" + (NOW_S - 60) + "&end=" + NOW_S).data()))
        .isEmpty();
    assertThat(strings(h.get("/api/v1/label/U__only__here/values").data())).containsExactly("x");
    ApiHarness.Response limited = h.get("/api/v1/label/job/values?limit=1");
    assertThat(strings(limited.data())).containsExactly("node");
    assertThat(limited.json().get("warnings")).hasSize(1);
    assertError(h.get("/api/v1/label/foo-bar/values"), "invalid label name: \"foo-bar\"");
    assertThat(h.post("/api/v1/label/job/values", "").status()).isEqualTo(405);
  }

  @Test
  void metadata() throws Exception {
    ApiHarness.Response limited = h.get("/api/v1/metadata?limit=5");
    assertSameShape(limited.json(), fixture("metadata-limit5.json"), "$.data");
    assertThat(limited.data().propertyNames()).containsExactly("a_bytes", "b_total", "c_seconds",
        "prometheus_http_requests_total", "restic_backup_files_total");
    ApiHarness.Response one = h.get("/api/v1/metadata?metric=restic_backup_files_total");
    assertThat(one.json().toString()).isEqualTo(fixture("metadata-one-metric.json").toString());
    // The same entry twice is kept once; different entries for one metric are all kept.
    assertThat(h.get("/api/v1/metadata?metric=up").data().get("up")).hasSize(2);
    assertThat(h.get("/api/v1/metadata?metric=up&limit_per_metric=1").data().get("up")).hasSize(1);
    assertThat(h.get("/api/v1/metadata").data().get("a_bytes").toString())
        .isEqualTo("[{\"type\":\"gauge\",\"help\":\"Bytes.\",\"unit\":\"bytes\"}]");
    assertThat(h.get("/api/v1/metadata?limit=0").data()).isEmpty();
    assertError(h.get("/api/v1/metadata?limit=five"), "limit must be a number");
    assertError(h.get("/api/v1/metadata?limit_per_metric=x"), "limit_per_metric must be a number");
  }
}
