package io.vigil.web.api;

import static io.vigil.web.api.ApiHarness.NOW_MS;
import static io.vigil.web.api.ApiHarness.NOW_S;
import static io.vigil.web.api.ApiHarness.enc;
import static io.vigil.web.api.ApiHarness.form;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Labels;
import io.vigil.model.Matcher;
import io.vigil.model.Metadata;
import io.vigil.model.MetricType;
import io.vigil.web.api.RulesRetriever.Alert;
import io.vigil.web.api.RulesRetriever.AlertingRule;
import io.vigil.web.api.RulesRetriever.RuleGroup;
import io.vigil.web.api.TargetRetriever.ActiveTarget;
import io.vigil.web.api.TargetRetriever.DroppedTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A request confined to tenant team="a" must not see team b's series through any read endpoint,
 * however the query is written: by name, by a conflicting matcher, by regex, by {__name__=~".+"},
 * in a subquery, through label lookups, metadata, exemplars or status.
 */
class TenantTest {
  private static final String[] A = {"X-Test-Tenant", "team=a"};
  private static ApiHarness h;
  private static final List<List<List<Matcher>>> exemplarSelects = new CopyOnWriteArrayList<>();
  private static final List<List<Matcher>> deletes = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    List<MetricMetadata> md = List.of(new MetricMetadata("backup_bytes", new Metadata(MetricType.GAUGE, "Bytes.", "")),
        new MetricMetadata("secret_b", new Metadata(MetricType.GAUGE, "Only team b has this.", "")));
    ExemplarSource exemplars = (mint, maxt, selectors) -> {
      exemplarSelects.add(selectors);
      return List.of(
          new ExemplarSource.ExemplarSeries(Labels.of("__name__", "backup_bytes", "team", "a"),
              List.of(new ExemplarSource.Exemplar(Labels.of("trace_id", "aaa"), 1, NOW_MS))),
          new ExemplarSource.ExemplarSeries(Labels.of("__name__", "backup_bytes", "team", "b"),
              List.of(new ExemplarSource.Exemplar(Labels.of("trace_id", "bbb"), 2, NOW_MS))));
    };
    TargetRetriever targets = new TargetRetriever() {
      @Override
      public List<ActiveTarget> activeTargets() {
        return List.of(target("a"), target("b"));
      }

      @Override
      public List<DroppedTarget> droppedTargets() {
        return List.of(new DroppedTarget(Labels.of("__address__", "x", "team", "b"), "pool-b"));
      }
    };
    RulesRetriever rules = () -> List.of(new RuleGroup("g", "f.yml", List.of(
        alerting("AlertA", "a"), alerting("AlertB", "b")), 15, 0, 0, null));
    TsdbStatus tsdb = new TsdbStatus() {
      @Override
      public Stats stats(int limit) {
        return new Stats(new HeadStats(999, 999, 999, NOW_MS - 600_000, NOW_MS), List.of(new Stat("secret_b", 500)),
            List.of(), List.of(), List.of());
      }

      @Override
      public WalReplay walReplay() {
        return new WalReplay(0, 0, 0);
      }
    };
    TsdbAdmin admin = new TsdbAdmin() {
      @Override
      public void snapshot(java.nio.file.Path dir, boolean withHead) {}

      @Override
      public void deleteSeries(long mint, long maxt, List<Matcher> matchers) {
        deletes.add(matchers);
      }

      @Override
      public void cleanTombstones() {}
    };
    h = new ApiHarness(b -> b.metadata(() -> md).exemplars(exemplars).targets(targets).rules(rules).tsdbStatus(tsdb)
        .tsdbAdmin(admin).enableAdmin(true, null));
    long from = NOW_MS - 600_000;
    h.series(Labels.of("__name__", "backup_bytes", "team", "a", "job", "nightly"), from, NOW_MS, 15_000, t -> 10);
    h.series(Labels.of("__name__", "backup_bytes", "team", "b", "job", "nightly"), from, NOW_MS, 15_000, t -> 1000);
    h.series(Labels.of("__name__", "secret_b", "team", "b", "b_only_label", "x"), from, NOW_MS, 15_000, t -> 42);
    h.series(Labels.of("__name__", "untenanted", "job", "global"), from, NOW_MS, 15_000, t -> 7);
  }

  private static ActiveTarget target(String team) {
    return new ActiveTarget(Labels.of("__address__", team + ":9100"), Labels.of("instance", team + ":9100", "team", team),
        "pool-" + team, "http://" + team + ":9100/metrics", "http://" + team + ":9100/metrics", "", null, 0,
        TargetRetriever.Health.UP, "15s", "10s");
  }

  private static AlertingRule alerting(String name, String team) {
    return new AlertingRule("firing", name, "x > 1", 0, 0, Labels.of("team", team), Labels.EMPTY,
        List.of(new Alert(Labels.of("alertname", name, "team", team), Labels.EMPTY, "firing", null, null, 1)),
        RulesRetriever.Health.OK, "", 0, null);
  }

  @AfterAll
  static void stop() throws Exception {
    h.close();
  }

  /** Every team label value in a query result; the tenant's only. */
  private static List<String> teams(ApiHarness.Response r) {
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    List<String> teams = new ArrayList<>();
    r.data().get("result").forEach(s -> teams.add(s.get("metric").get("team").stringValue()));
    return teams;
  }

  private static ApiHarness.Response query(String q) throws Exception {
    return h.get("/api/v1/query?query=" + enc(q), A);
  }

  @Test
  void instantQueriesSeeOnlyTheTenant() throws Exception {
    for (String q : new String[] {"backup_bytes", "backup_bytes{team=\"b\"}", "backup_bytes{team=~\"a|b\"}",
        "backup_bytes{team!=\"a\"}", "backup_bytes{team=~\".*\"}", "{__name__=~\".+\"}", "{team=~\".+\"}",
        "{__name__=~\"backup_bytes|secret_b\",team=\"b\"}", "last_over_time({team=\"b\"}[5m])",
        "max_over_time(backup_bytes{team!=\"a\"}[10m:1m])", "backup_bytes offset 1m", "backup_bytes @ " + NOW_S}) {
      assertThat(teams(query(q))).as(q).isNotEmpty().containsOnly("a");
    }
    assertThat(query("secret_b").data().get("result")).isEmpty();
    assertThat(query("untenanted").data().get("result")).isEmpty();
    assertThat(query("sum(backup_bytes)").data().get("result").get(0).get("value").get(1).stringValue()).isEqualTo("10");
    assertThat(query("count({__name__=~\".+\"})").data().get("result").get(0).get("value").get(1).stringValue())
        .isEqualTo("1");
    assertThat(query("sum(backup_bytes{team=\"b\"}) or vector(0)").data().get("result").get(0).get("value").get(1)
        .stringValue()).isEqualTo("10");
    // Without a tenant, everything is visible.
    assertThat(h.get("/api/v1/query?query=count(%7B__name__%3D~%22.%2B%22%7D)").data().get("result").get(0)
        .get("value").get(1).stringValue()).isEqualTo("4");
  }

  @Test
  void rangeQueriesSeeOnlyTheTenant() throws Exception {
    ApiHarness.Response r = h.post("/api/v1/query_range", form("query", "{__name__=~\".+\",team!=\"a\"}", "start",
        Long.toString(NOW_S - 300), "end", Long.toString(NOW_S), "step", "60"), A);
    assertThat(teams(r)).containsExactly("a");
  }

  @Test
  void seriesAndLabelLookupsSeeOnlyTheTenant() throws Exception {
    assertThat(h.get("/api/v1/series?match[]=secret_b", A).data()).isEmpty();
    for (String match : new String[] {"{__name__=~\".+\"}", "backup_bytes{team=\"b\"}", "{team=~\"b|a\"}"}) {
      ApiHarness.Response r = h.get("/api/v1/series?match[]=" + enc(match), A);
      List<String> teams = new ArrayList<>();
      r.data().forEach(s -> teams.add(s.get("team").stringValue()));
      assertThat(teams).as(match).containsExactly("a");
    }
    assertThat(strings(h.get("/api/v1/labels", A).data())).containsExactly("__name__", "job", "team");
    assertThat(strings(h.get("/api/v1/labels?match[]=" + enc("{team=\"b\"}"), A).data()))
        .containsExactly("__name__", "job", "team");
    assertThat(strings(h.get("/api/v1/label/team/values", A).data())).containsExactly("a");
    assertThat(strings(h.get("/api/v1/label/__name__/values", A).data())).containsExactly("backup_bytes");
    assertThat(strings(h.get("/api/v1/label/b_only_label/values", A).data())).isEmpty();
    assertThat(strings(h.get("/api/v1/label/__name__/values?match[]=" + enc("secret_b"), A).data())).isEmpty();
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.stringValue()));
    return out;
  }

  @Test
  void metadataExemplarsAndStatusSeeOnlyTheTenant() throws Exception {
    assertThat(h.get("/api/v1/metadata", A).data().propertyNames()).containsExactly("backup_bytes");
    assertThat(h.get("/api/v1/metadata").data().propertyNames()).containsExactly("backup_bytes", "secret_b");

    exemplarSelects.clear();
    JsonNode ex = h.get("/api/v1/query_exemplars?query=" + enc("{__name__=~\".+\",team=\"b\"}"), A).data();
    assertThat(ex).hasSize(1);
    assertThat(ex.get(0).get("seriesLabels").get("team").stringValue()).isEqualTo("a");
    assertThat(exemplarSelects.getFirst().getFirst()).contains(Matcher.equal("team", "a"))
        .doesNotContain(Matcher.equal("team", "b"));

    JsonNode tsdb = h.get("/api/v1/status/tsdb", A).data();
    assertThat(tsdb.get("headStats").get("numSeries").longValue()).isEqualTo(1);
    assertThat(tsdb.get("seriesCountByMetricName").toString()).isEqualTo("[{\"name\":\"backup_bytes\",\"value\":1}]");
    assertThat(tsdb.toString()).doesNotContain("secret_b").doesNotContain("\"b\"");
    assertThat(h.get("/api/v1/status/tsdb").data().get("headStats").get("numSeries").longValue()).isEqualTo(999);
  }

  @Test
  void targetsRulesAndAlertsSeeOnlyTheTenant() throws Exception {
    JsonNode targets = h.get("/api/v1/targets", A).data();
    assertThat(targets.get("activeTargets")).hasSize(1);
    assertThat(targets.get("activeTargets").get(0).get("labels").get("team").stringValue()).isEqualTo("a");
    assertThat(targets.get("droppedTargets")).isEmpty();
    assertThat(h.get("/api/v1/scrape_pools", A).data().get("scrapePools").toString()).isEqualTo("[\"pool-a\"]");
    JsonNode rules = h.get("/api/v1/rules", A).data().get("groups").get(0).get("rules");
    assertThat(rules).hasSize(1);
    assertThat(rules.get(0).get("name").stringValue()).isEqualTo("AlertA");
    JsonNode alerts = h.get("/api/v1/alerts", A).data().get("alerts");
    assertThat(alerts).hasSize(1);
    assertThat(alerts.get(0).get("labels").get("team").stringValue()).isEqualTo("a");
  }

  @Test
  void deletesAreConfinedToo() throws Exception {
    deletes.clear();
    ApiHarness.Response r = h.post("/api/v1/admin/tsdb/delete_series", form("match[]", "{team=\"b\"}"), A);
    assertThat(r.status()).isEqualTo(204);
    assertThat(deletes).containsExactly(List.of(Matcher.equal("team", "a")));
  }
}
