package io.vigil.web.api;

import io.vigil.web.HttpExchange;
import io.vigil.web.Tenant;
import io.vigil.web.api.TsdbStatus.Stat;
import io.vigil.storage.Queryable;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import tools.jackson.core.JsonGenerator;

/** status/{config,flags,runtimeinfo,buildinfo,tsdb,walreplay} and alertmanagers. */
final class StatusApi {
  /** Prometheus's default number of entries per cardinality list. */
  static final int DEFAULT_TSDB_LIMIT = 10;

  private final ConfigSource config;
  private final Supplier<Map<String, String>> flags;
  private final Supplier<RuntimeInfo> runtimeInfo;
  private final BuildInfo buildInfo;
  private final TsdbStatus tsdb;
  private final AlertmanagerRetriever alertmanagers;
  private final Queryable queryable;
  private final NotificationSource notifications;

  StatusApi(ConfigSource config, Supplier<Map<String, String>> flags, Supplier<RuntimeInfo> runtimeInfo,
      BuildInfo buildInfo, TsdbStatus tsdb, AlertmanagerRetriever alertmanagers, Queryable queryable,
      NotificationSource notifications) {
    this.config = config;
    this.flags = flags;
    this.runtimeInfo = runtimeInfo;
    this.buildInfo = buildInfo;
    this.tsdb = tsdb;
    this.alertmanagers = alertmanagers;
    this.queryable = queryable;
    this.notifications = notifications;
  }

  void config(HttpExchange ex) throws IOException {
    String yaml = config.yaml();
    ApiResponses.success(ex, g -> {
      g.writeStartObject();
      g.writeStringProperty("yaml", yaml);
      g.writeEndObject();
    });
  }

  void flags(HttpExchange ex) throws IOException {
    Map<String, String> sorted = new TreeMap<>(flags.get()); // Go sorts map keys
    ApiResponses.success(ex, g -> {
      g.writeStartObject();
      for (Map.Entry<String, String> e : sorted.entrySet()) {
        g.writeStringProperty(e.getKey(), e.getValue());
      }
      g.writeEndObject();
    });
  }

  void runtimeInfo(HttpExchange ex) throws IOException {
    RuntimeInfo r = runtimeInfo.get();
    ApiResponses.success(ex, g -> {
      g.writeStartObject();
      g.writeName("startTime");
      ApiResponses.time(g, r.startTime());
      g.writeStringProperty("CWD", r.cwd());
      g.writeBooleanProperty("reloadConfigSuccess", r.reloadConfigSuccess());
      g.writeName("lastConfigTime");
      ApiResponses.time(g, r.lastConfigTime());
      g.writeNumberProperty("corruptionCount", r.corruptionCount());
      g.writeNumberProperty("goroutineCount", r.goroutineCount());
      g.writeNumberProperty("GOMAXPROCS", r.gomaxprocs());
      g.writeNumberProperty("GOMEMLIMIT", r.gomemlimit());
      g.writeStringProperty("GOGC", r.gogc());
      g.writeStringProperty("GODEBUG", r.godebug());
      g.writeStringProperty("storageRetention", r.storageRetention());
      g.writeEndObject();
    });
  }

  void buildInfo(HttpExchange ex) throws IOException {
    BuildInfo b = buildInfo;
    ApiResponses.success(ex, g -> {
      g.writeStartObject();
      g.writeStringProperty("version", b.version());
      g.writeStringProperty("revision", b.revision());
      g.writeStringProperty("branch", b.branch());
      g.writeStringProperty("buildUser", b.buildUser());
      g.writeStringProperty("buildDate", b.buildDate());
      g.writeStringProperty("goVersion", b.runtimeVersion());
      g.writeEndObject();
    });
  }

  void tsdb(HttpExchange ex) throws IOException {
    int limit = DEFAULT_TSDB_LIMIT;
    String v = Params.value(ex, "limit");
    if (!v.isEmpty()) {
      try {
        limit = Params.atoi(v, "limit");
      } catch (ApiError e) {
        limit = 0;
      }
      if (limit < 1) {
        throw ApiError.badData("limit must be a positive number");
      }
    }
    Tenant tenant = ex.attribute(Tenant.class);
    TsdbStatus.Stats s;
    try {
      s = tsdb.stats(limit);
      if (tenant != null) {
        s = TenantTsdbStats.compute(queryable, TenantEnforcer.matcher(tenant), s.headStats(), limit);
      }
    } catch (RuntimeException e) {
      throw ApiError.internal(String.valueOf(e.getMessage()));
    }
    TsdbStatus.Stats stats = s;
    ApiResponses.success(ex, g -> {
      g.writeStartObject();
      g.writeName("headStats");
      g.writeStartObject();
      g.writeNumberProperty("numSeries", stats.headStats().numSeries());
      g.writeNumberProperty("numLabelPairs", stats.headStats().numLabelPairs());
      g.writeNumberProperty("chunkCount", stats.headStats().chunkCount());
      g.writeNumberProperty("minTime", stats.headStats().minTime());
      g.writeNumberProperty("maxTime", stats.headStats().maxTime());
      g.writeEndObject();
      statList(g, "seriesCountByMetricName", stats.seriesCountByMetricName());
      statList(g, "labelValueCountByLabelName", stats.labelValueCountByLabelName());
      statList(g, "memoryInBytesByLabelName", stats.memoryInBytesByLabelName());
      statList(g, "seriesCountByLabelValuePair", stats.seriesCountByLabelValuePair());
      g.writeEndObject();
    });
  }

  private static void statList(JsonGenerator g, String name, List<Stat> stats) {
    g.writeName(name);
    g.writeStartArray();
    for (Stat s : stats) {
      g.writeStartObject();
      g.writeStringProperty("name", s.name());
      g.writeNumberProperty("value", s.value());
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  void walReplay(HttpExchange ex) throws IOException {
    TsdbStatus.WalReplay w;
    try {
      w = tsdb.walReplay();
    } catch (RuntimeException e) {
      throw ApiError.internal(String.valueOf(e.getMessage()));
    }
    TsdbStatus.WalReplay replay = w;
    ApiResponses.success(ex, g -> {
      g.writeStartObject();
      g.writeNumberProperty("min", replay.min());
      g.writeNumberProperty("max", replay.max());
      g.writeNumberProperty("current", replay.current());
      g.writeEndObject();
    });
  }

  void alertmanagers(HttpExchange ex) throws IOException {
    List<String> active = alertmanagers.activeAlertmanagers();
    List<String> dropped = alertmanagers.droppedAlertmanagers();
    ApiResponses.success(ex, g -> {
      g.writeStartObject();
      urls(g, "activeAlertmanagers", active);
      urls(g, "droppedAlertmanagers", dropped);
      g.writeEndObject();
    });
  }

  private static void urls(JsonGenerator g, String name, List<String> urls) {
    g.writeName(name);
    g.writeStartArray();
    for (String u : urls) {
      g.writeStartObject();
      g.writeStringProperty("url", u);
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  void notifications(HttpExchange ex) throws IOException {
    List<NotificationSource.Notification> list = notifications.notifications();
    ApiResponses.success(ex, g -> {
      g.writeStartArray();
      for (NotificationSource.Notification n : list) {
        g.writeStartObject();
        g.writeStringProperty("text", n.text());
        g.writeName("date");
        ApiResponses.time(g, n.date());
        g.writeBooleanProperty("active", n.active());
        g.writeEndObject();
      }
      g.writeEndArray();
    });
  }
}
