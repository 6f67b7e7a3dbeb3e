package io.vigil.web.api;

import static io.vigil.web.api.ApiHarness.enc;
import static io.vigil.web.api.ApiHarness.form;
import static io.vigil.web.api.JsonShape.assertSameShape;
import static io.vigil.web.api.JsonShape.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Labels;
import io.vigil.model.Matcher;
import io.vigil.model.Metadata;
import io.vigil.model.MetricType;
import io.vigil.web.api.RulesRetriever.Alert;
import io.vigil.web.api.RulesRetriever.AlertingRule;
import io.vigil.web.api.RulesRetriever.RecordingRule;
import io.vigil.web.api.RulesRetriever.RuleGroup;
import io.vigil.web.api.TargetRetriever.ActiveTarget;
import io.vigil.web.api.TargetRetriever.DroppedTarget;
import io.vigil.web.api.TargetRetriever.Health;
import io.vigil.web.api.TargetRetriever.TargetMetadata;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Targets, rules, alerts, alertmanagers, status/*, the admin API, CORS and readiness. */
class StatusApiTest {
  static final Instant T = Instant.parse("2026-11-21T19:42:01.755010359Z");
  static final List<ActiveTarget> ACTIVE = List.of(
      target("node", "127.0.0.1:39100", Health.UP, ""),
      target("prometheus", "127.0.0.1:39090", Health.UP, ""),
      target("pushgateway", "127.0.0.1:39091", Health.DOWN, "server returned HTTP status 500 Internal Server Error"));
  static final List<DroppedTarget> DROPPED = List.of(
      new DroppedTarget(Labels.of("__address__", "10.0.0.1:9100", "job", "node"), "node"));
  static final RuleGroup GROUP = new RuleGroup("vigil-backup", "rules.yml", List.of(
      new RecordingRule("job:up:sum", "sum by (job) (up)", Labels.EMPTY, RulesRetriever.Health.OK, "", 0.000697349,
          Instant.parse("2026-11-21T19:42:03.526517385Z")),
      new AlertingRule("firing", "BackupTooOld", "time() - restic_backup_last_success_timestamp_seconds > 3600", 15, 0,
          Labels.of("severity", "warning"), Labels.of("summary", "Backup on {{ $labels.instance }} is too old"),
          List.of(new Alert(Labels.of("alertname", "BackupTooOld", "instance", "host1", "job", "restic", "severity",
              "warning"), Labels.of("summary", "Backup on host1 is too old"), "firing",
              Instant.parse("2026-11-21T19:40:03.524973802Z"), null, 90123.52399992943)),
          RulesRetriever.Health.OK, "", 0.000746372, Instant.parse("2026-11-21T19:42:03.527219821Z")),
      new AlertingRule("pending", "NodeLoadPending", "node_load1 >= 0", 600, 0, Labels.of("severity", "info"),
          Labels.of("summary", "Load is high"),
          List.of(new Alert(Labels.of("alertname", "NodeLoadPending", "instance", "127.0.0.1:39100", "job", "node",
              "severity", "info"), Labels.of("summary", "Load on 127.0.0.1:39100 is 1.11"), "pending",
              Instant.parse("2026-11-21T19:39:58.524973802Z"), null, 1.11)),
          RulesRetriever.Health.OK, "", 0.000439664, Instant.parse("2026-11-21T19:42:03.527970739Z"))),
      5, 0, 0.001916543, Instant.parse("2026-11-21T19:42:03.526498657Z"));
  static final RuleGroup OTHER = new RuleGroup("other", "other.yml", List.of(
      new RecordingRule("x:y", "sum(x)", Labels.of("team", "a"), RulesRetriever.Health.ERR, "boom", 0.5, null)),
      60, 10, 0.5, null);

  private static ActiveTarget target(String job, String address, Health health, String error) {
    return new ActiveTarget(Labels.of("__address__", address, "__metrics_path__", "/metrics", "__scheme__", "http",
        "__scrape_interval__", "5s", "__scrape_timeout__", "5s", "job", job), Labels.of("instance", address, "job", job),
        job, "http://" + address + "/metrics", "http://vm:" + address.substring(address.indexOf(':') + 1) + "/metrics",
        error, T, 0.01650269, health, "5s", "5s");
  }

  @TempDir
  static Path dataDir;
  private static ApiHarness h;
  private static ApiHarness disabled;
  private static final List<String> adminCalls = new CopyOnWriteArrayList<>();
  private static final AtomicBoolean ready = new AtomicBoolean(true);

  @BeforeAll
  static void start() throws Exception {
    TargetRetriever targets = new TargetRetriever() {
      @Override
      public List<ActiveTarget> activeTargets() {
        return ACTIVE;
      }

      @Override
      public List<DroppedTarget> droppedTargets() {
        return DROPPED;
      }

      @Override
      public List<TargetMetadata> targetMetadata() {
        List<MetricMetadata> md = List.of(
            new MetricMetadata("process_open_fds", new Metadata(MetricType.GAUGE, "Number of open file descriptors.", "")),
            new MetricMetadata("stash_backup_session_success", Metadata.UNKNOWN));
        return List.of(new TargetMetadata(ACTIVE.get(0).labels(), md), new TargetMetadata(ACTIVE.get(2).labels(), md));
      }
    };
    TsdbAdmin admin = new TsdbAdmin() {
      @Override
      public void snapshot(Path dir, boolean withHead) throws java.io.IOException {
        Files.writeString(dir.resolve("marker"), "x");
        adminCalls.add("snapshot " + dir.getFileName() + " " + withHead);
      }

      @Override
      public void deleteSeries(long mint, long maxt, List<Matcher> matchers) {
        adminCalls.add("delete " + mint + " " + maxt + " " + matchers);
      }

      @Override
      public void cleanTombstones() {
        adminCalls.add("clean");
      }
    };
    TsdbStatus tsdb = new TsdbStatus() {
      @Override
      public Stats stats(int limit) {
        List<Stat> many = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          many.add(new Stat("name" + i, 100 - i));
        }
        many = many.subList(0, Math.min(limit, many.size()));
        return new Stats(new HeadStats(1088, 750, 1088, 1795289996068L, 1795290126755L), many, many, many, many);
      }

      @Override
      public WalReplay walReplay() {
        return new WalReplay(0, 3, 3);
      }
    };
    h = new ApiHarness(b -> b.targets(targets).rules(() -> List.of(GROUP, OTHER))
        .alertmanagers(new AlertmanagerRetriever() {
          @Override
          public List<String> activeAlertmanagers() {
            return List.of("http://127.0.0.1:39093/api/v2/alerts");
          }

          @Override
          public List<String> droppedAlertmanagers() {
            return List.of();
          }
        })
        .tsdbStatus(tsdb).tsdbAdmin(admin).enableAdmin(true, dataDir)
        .config(() -> "global:\n  scrape_interval: 5s\n")
        .flags(() -> Map.of("web.enable-admin-api", "true", "query.timeout", "2m"))
        .buildInfo(new BuildInfo("3.0.0", "abc", "main", "vigil", "20261121-00:00:00", "25"))
        .runtimeInfo(() -> new RuntimeInfo(Instant.parse("2026-11-21T19:39:49.425548642Z"), "/var/lib/vigil", true,
            Instant.parse("2026-11-21T19:39:49Z"), 0, 37, 2, 1 << 30, "", "", "15d"))
        .corsOrigin("https://grafana\\.example\\.com")
        .notifications(() -> List.of(new NotificationSource.Notification("Configuration reload has failed.",
            Instant.parse("2026-11-21T19:40:00Z"), true)))
        .ready(ready::get));
    disabled = new ApiHarness(b -> {});
  }

  @AfterAll
  static void stop() throws Exception {
    h.close();
    disabled.close();
  }

  @Test
  void buildInfoFlagsConfigRuntime() throws Exception {
    assertSameShape(h.get("/api/v1/status/buildinfo").json(), fixture("status-buildinfo.json"));
    assertThat(h.get("/api/v1/status/buildinfo").data().get("version").stringValue()).isEqualTo("3.0.0");
    assertSameShape(h.get("/api/v1/status/flags").json(), fixture("status-flags.json"), "$.data");
    assertThat(h.get("/api/v1/status/flags").body()).isEqualTo(
        "{\"status\":\"success\",\"data\":{\"query.timeout\":\"2m\",\"web.enable-admin-api\":\"true\"}}");
    assertSameShape(h.get("/api/v1/status/config").json(), fixture("status-config.json"));
    ApiHarness.Response rt = h.get("/api/v1/status/runtimeinfo");
    // Prometheus 2.42's fields, plus GOMEMLIMIT that later versions report.
    List<String> expected = new ArrayList<>(fixture("status-runtimeinfo.json").get("data").propertyNames());
    expected.add(expected.indexOf("GOMAXPROCS") + 1, "GOMEMLIMIT");
    assertThat(new ArrayList<>(rt.data().propertyNames())).isEqualTo(expected);
    assertThat(rt.data().get("startTime").stringValue()).isEqualTo("2026-11-21T19:39:49.425548642Z");
    assertThat(rt.data().get("storageRetention").stringValue()).isEqualTo("15d");
    // Defaults: empty flags and config, this JVM's runtime facts.
    assertThat(disabled.get("/api/v1/status/flags").body()).isEqualTo("{\"status\":\"success\",\"data\":{}}");
    assertThat(disabled.get("/api/v1/status/config").body()).isEqualTo("{\"status\":\"success\",\"data\":{\"yaml\":\"\"}}");
    assertThat(disabled.get("/api/v1/status/runtimeinfo").data().get("GOMAXPROCS").intValue()).isPositive();
  }

  @Test
  void rolesOnRoutes() {
    io.vigil.web.Router r = new io.vigil.web.Router();
    h.api.register(r);
    int reads = 0;
    for (io.vigil.web.Route route : r.routes()) {
      io.vigil.web.Role expected = route.methods().equals(java.util.Set.of("OPTIONS")) ? io.vigil.web.Role.OPEN
          : route.pattern().contains("/admin/") || route.methods().contains("DELETE") ? io.vigil.web.Role.ADMIN
          : io.vigil.web.Role.READ;
      assertThat(route.role()).as(route.methods() + " " + route.pattern()).isEqualTo(expected);
      assertThat(route.pattern()).startsWith("/api/v1/");
      if (expected == io.vigil.web.Role.READ) {
        reads++;
      }
    }
    assertThat(reads).isEqualTo(22);
  }

  @Test
  void notifications() throws Exception {
    assertThat(h.get("/api/v1/notifications").body()).isEqualTo("{\"status\":\"success\",\"data\":[{\"text\":"
        + "\"Configuration reload has failed.\",\"date\":\"2026-11-21T19:40:00Z\",\"active\":true}]}");
    assertThat(disabled.get("/api/v1/notifications").body()).isEqualTo("{\"status\":\"success\",\"data\":[]}");
  }

  @Test
  void tsdbStatus() throws Exception {
    ApiHarness.Response r = h.get("/api/v1/status/tsdb");
    assertSameShape(r.json(), fixture("status-tsdb.json"));
    assertThat(r.data().get("seriesCountByMetricName")).hasSize(10);
    assertThat(h.get("/api/v1/status/tsdb?limit=3").data().get("seriesCountByMetricName")).hasSize(3);
    for (String bad : new String[] {"0", "-1", "x"}) {
      ApiHarness.Response e = h.get("/api/v1/status/tsdb?limit=" + bad);
      assertThat(e.status()).isEqualTo(400);
      assertThat(e.json().get("error").stringValue()).isEqualTo("limit must be a positive number");
    }
    assertThat(disabled.get("/api/v1/status/tsdb").body()).isEqualTo("{\"status\":\"success\",\"data\":{\"headStats\":"
        + "{\"numSeries\":0,\"numLabelPairs\":0,\"chunkCount\":0,\"minTime\":9223372036854775807,"
        + "\"maxTime\":-9223372036854775808},\"seriesCountByMetricName\":[],\"labelValueCountByLabelName\":[],"
        + "\"memoryInBytesByLabelName\":[],\"seriesCountByLabelValuePair\":[]}}");
    assertThat(h.get("/api/v1/status/walreplay").body())
        .isEqualTo("{\"status\":\"success\",\"data\":{\"min\":0,\"max\":3,\"current\":3}}");
  }

  @Test
  void targets() throws Exception {
    ApiHarness.Response r = h.get("/api/v1/targets");
    JsonNode fixture = fixture("targets-while-pushgateway-poisoned.json");
    // Prometheus 3 adds droppedTargetCounts; the rest is 2.42's shape.
    assertThat(new ArrayList<>(r.data().propertyNames()))
        .containsExactly("activeTargets", "droppedTargets", "droppedTargetCounts");
    assertSameShape(r.data().get("activeTargets"), fixture.get("data").get("activeTargets"));
    JsonNode active = r.data().get("activeTargets");
    assertThat(active.get(2).get("health").stringValue()).isEqualTo("down");
    assertThat(active.get(2).get("lastError").stringValue()).isEqualTo("server returned HTTP status 500 Internal Server Error");
    assertThat(active.get(0).get("lastScrape").stringValue()).isEqualTo("2026-11-21T19:42:01.755010359Z");
    assertThat(active.get(0).get("lastScrapeDuration").doubleValue()).isEqualTo(0.01650269);
    assertThat(r.data().get("droppedTargets").get(0).toString())
        .isEqualTo("{\"discoveredLabels\":{\"__address__\":\"10.0.0.1:9100\",\"job\":\"node\"},\"scrapePool\":\"node\"}");
    assertThat(r.data().get("droppedTargetCounts").toString()).isEqualTo("{\"node\":1}");
    JsonNode onlyActive = h.get("/api/v1/targets?state=active").data();
    assertThat(onlyActive.get("activeTargets")).hasSize(3);
    assertThat(onlyActive.get("droppedTargets")).isEmpty();
    assertThat(onlyActive.get("droppedTargetCounts").isNull()).isTrue();
    JsonNode onlyDropped = h.get("/api/v1/targets?state=Dropped").data();
    assertThat(onlyDropped.get("activeTargets")).isEmpty();
    assertThat(onlyDropped.get("droppedTargets")).hasSize(1);
    JsonNode pool = h.get("/api/v1/targets?scrapePool=prometheus").data();
    assertThat(pool.get("activeTargets")).hasSize(1);
    assertThat(pool.get("droppedTargets")).isEmpty();
    assertThat(disabled.get("/api/v1/targets").body()).isEqualTo("{\"status\":\"success\",\"data\":{\"activeTargets\":[],"
        + "\"droppedTargets\":[],\"droppedTargetCounts\":{}}}");
    assertThat(h.get("/api/v1/scrape_pools").body())
        .isEqualTo("{\"status\":\"success\",\"data\":{\"scrapePools\":[\"node\",\"prometheus\",\"pushgateway\"]}}");
  }

  @Test
  void targetMetadata() throws Exception {
    ApiHarness.Response r = h.get("/api/v1/targets/metadata?match_target=" + enc("{job=\"pushgateway\"}") + "&limit=3");
    assertSameShape(r.json(), fixture("targets-metadata.json"));
    assertThat(r.data()).hasSize(2);
    JsonNode one = h.get("/api/v1/targets/metadata?metric=process_open_fds").data();
    assertThat(one).hasSize(2);
    assertThat(one.get(0).toString()).isEqualTo("{\"target\":{\"instance\":\"127.0.0.1:39100\",\"job\":\"node\"},"
        + "\"type\":\"gauge\",\"help\":\"Number of open file descriptors.\",\"unit\":\"\"}");
    // The limit is checked between targets, as in Prometheus: one target's list is never split.
    assertThat(h.get("/api/v1/targets/metadata?limit=1").data()).hasSize(2);
    assertThat(h.get("/api/v1/targets/metadata?limit=0").data()).isEmpty();
    ApiHarness.Response bad = h.get("/api/v1/targets/metadata?match_target=" + enc("{job=}"));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("error").stringValue()).startsWith("invalid parameter \"match_target\": 1:6: parse error");
    assertThat(disabled.get("/api/v1/targets/metadata").body()).isEqualTo("{\"status\":\"success\",\"data\":[]}");
  }

  @Test
  void rulesAndAlerts() throws Exception {
    ApiHarness.Response r = h.get("/api/v1/rules?rule_group[]=vigil-backup");
    assertSameShape(r.json(), fixture("rules.json"));
    JsonNode alerting = r.data().get("groups").get(0).get("rules").get(1);
    assertThat(alerting.get("alerts").get(0).get("value").stringValue()).isEqualTo("9.012352399992943e+04");
    assertThat(alerting.get("duration").toString()).isEqualTo("15");
    assertThat(h.get("/api/v1/rules").data().get("groups")).hasSize(2);
    assertThat(names(h.get("/api/v1/rules?type=alert"))).containsExactly("BackupTooOld", "NodeLoadPending");
    assertThat(names(h.get("/api/v1/rules?type=record"))).containsExactly("job:up:sum", "x:y");
    assertThat(names(h.get("/api/v1/rules?rule_name[]=x:y&rule_name[]=NodeLoadPending")))
        .containsExactly("NodeLoadPending", "x:y");
    assertThat(names(h.get("/api/v1/rules?file[]=other.yml"))).containsExactly("x:y");
    assertThat(names(h.get("/api/v1/rules?match[]=" + enc("{severity=~\"warning|info\"}"))))
        .containsExactly("BackupTooOld", "NodeLoadPending");
    JsonNode excluded = h.get("/api/v1/rules?exclude_alerts=true&type=alert").data().get("groups").get(0).get("rules");
    assertThat(excluded.get(0).get("alerts").isNull()).isTrue();
    JsonNode other = h.get("/api/v1/rules?file[]=other.yml").data().get("groups").get(0);
    assertThat(other.toString()).isEqualTo("{\"name\":\"other\",\"file\":\"other.yml\",\"rules\":[{\"name\":\"x:y\","
        + "\"query\":\"sum(x)\",\"labels\":{\"team\":\"a\"},\"health\":\"err\",\"lastError\":\"boom\","
        + "\"evaluationTime\":0.5,\"lastEvaluation\":\"0001-01-01T00:00:00Z\",\"type\":\"recording\"}],"
        + "\"interval\":60,\"limit\":10,\"evaluationTime\":0.5,\"lastEvaluation\":\"0001-01-01T00:00:00Z\"}");
    ApiHarness.Response badType = h.get("/api/v1/rules?type=foo");
    assertThat(badType.status()).isEqualTo(400);
    assertThat(badType.json().get("error").stringValue()).isEqualTo("invalid parameter \"type\": not supported value \"foo\"");
    ApiHarness.Response badExclude = h.get("/api/v1/rules?exclude_alerts=maybe");
    assertThat(badExclude.json().get("error").stringValue()).isEqualTo("invalid parameter \"exclude_alerts\": "
        + "error converting exclude_alerts: strconv.ParseBool: parsing \"maybe\": invalid syntax");
    assertThat(disabled.get("/api/v1/rules").body()).isEqualTo("{\"status\":\"success\",\"data\":{\"groups\":[]}}");

    ApiHarness.Response alerts = h.get("/api/v1/alerts");
    assertSameShape(alerts.json(), fixture("alerts.json"));
    assertThat(alerts.data().get("alerts").get(1).get("value").stringValue()).isEqualTo("1.11e+00");
    assertThat(disabled.get("/api/v1/alerts").body()).isEqualTo("{\"status\":\"success\",\"data\":{\"alerts\":[]}}");
  }

  private static List<String> names(ApiHarness.Response r) {
    List<String> out = new ArrayList<>();
    r.data().get("groups").forEach(g -> g.get("rules").forEach(rule -> out.add(rule.get("name").stringValue())));
    return out;
  }

  @Test
  void alertmanagers() throws Exception {
    ApiHarness.Response r = h.get("/api/v1/alertmanagers");
    assertThat(r.json().toString()).isEqualTo(fixture("alertmanagers.json").toString());
    assertThat(disabled.get("/api/v1/alertmanagers").body()).isEqualTo("{\"status\":\"success\",\"data\":"
        + "{\"activeAlertmanagers\":[],\"droppedAlertmanagers\":[]}}");
  }

  @Test
  void adminApiWhenEnabled() throws Exception {
    adminCalls.clear();
    ApiHarness.Response snap = h.post("/api/v1/admin/tsdb/snapshot", "");
    assertThat(snap.status()).as(snap.body()).isEqualTo(200);
    String name = snap.data().get("name").stringValue();
    assertThat(name).matches("20261121T194206Z-[0-9a-f]{16}");
    assertThat(dataDir.resolve("snapshots").resolve(name).resolve("marker")).exists();
    ApiHarness.Response skip = h.send(HttpRequest.newBuilder(URI.create(h.base + "/api/v1/admin/tsdb/snapshot?skip_head=true"))
        .PUT(HttpRequest.BodyPublishers.noBody()).build());
    assertThat(skip.status()).isEqualTo(200);
    ApiHarness.Response badSkip = h.post("/api/v1/admin/tsdb/snapshot", form("skip_head", "perhaps"));
    assertThat(badSkip.json().get("error").stringValue()).isEqualTo("invalid parameter \"skip_head\": "
        + "unable to parse boolean: strconv.ParseBool: parsing \"perhaps\": invalid syntax");

    ApiHarness.Response del = h.post("/api/v1/admin/tsdb/delete_series",
        form("match[]", "up{job=\"node\"}", "start", "10", "end", "20"));
    assertThat(del.status()).isEqualTo(204);
    assertThat(del.body()).isEmpty();
    ApiHarness.Response noMatch = h.post("/api/v1/admin/tsdb/delete_series", "");
    assertThat(noMatch.status()).isEqualTo(400);
    assertThat(noMatch.json().get("error").stringValue()).isEqualTo("no match[] parameter provided");
    // A bad selector deletes nothing, not even what the good ones before it select.
    ApiHarness.Response bad = h.post("/api/v1/admin/tsdb/delete_series", form("match[]", "up", "match[]", "up{"));
    assertThat(bad.status()).isEqualTo(400);
    ApiHarness.Response clean = h.post("/api/v1/admin/tsdb/clean_tombstones", "");
    assertThat(clean.status()).isEqualTo(204);
    assertThat(adminCalls).hasSize(4);
    assertThat(adminCalls.get(0)).isEqualTo("snapshot " + name + " true");
    assertThat(adminCalls.get(1)).endsWith(" false");
    assertThat(adminCalls.get(2)).isEqualTo("delete 10000 20000 [job=\"node\", __name__=\"up\"]");
    assertThat(adminCalls.get(3)).isEqualTo("clean");
  }

  @Test
  void adminApiWhenDisabledAnswers503() throws Exception {
    for (String path : new String[] {"snapshot", "delete_series", "clean_tombstones"}) {
      for (String method : new String[] {"POST", "PUT"}) {
        ApiHarness.Response r = disabled.send(HttpRequest.newBuilder(URI.create(disabled.base + "/api/v1/admin/tsdb/"
            + path + "?match[]=up")).method(method, HttpRequest.BodyPublishers.noBody()).build());
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.body()).isEqualTo("{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"admin APIs disabled\"}");
      }
    }
    assertThat(disabled.get("/api/v1/admin/tsdb/snapshot").status()).isEqualTo(405);
  }

  @Test
  void corsForAllowedOriginsAndPreflight() throws Exception {
    ApiHarness.Response allowed = h.get("/api/v1/status/buildinfo", "Origin", "https://grafana.example.com");
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://grafana.example.com");
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Methods")).hasValue("GET, POST, OPTIONS");
    assertThat(allowed.headers().firstValue("Vary")).hasValue("Origin");
    ApiHarness.Response other = h.get("/api/v1/status/buildinfo", "Origin", "https://evil.example.com");
    assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    assertThat(h.get("/api/v1/status/buildinfo").headers().firstValue("Access-Control-Allow-Methods")).isEmpty();
    ApiHarness.Response any = disabled.get("/api/v1/query?query=1", "Origin", "http://localhost:3000");
    assertThat(any.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    ApiHarness.Response preflight = h.send(HttpRequest.newBuilder(URI.create(h.base + "/api/v1/query"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "https://grafana.example.com").build());
    assertThat(preflight.status()).isEqualTo(204);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://grafana.example.com");
  }

  @Test
  void notReadyAnswers503ButWalReplayStillAnswers() throws Exception {
    ready.set(false);
    try {
      ApiHarness.Response r = h.get("/api/v1/query?query=1");
      assertThat(r.status()).isEqualTo(503);
      assertThat(r.body()).isEqualTo("Service Unavailable");
      assertThat(h.get("/api/v1/status/walreplay").status()).isEqualTo(200);
    } finally {
      ready.set(true);
    }
  }
}
