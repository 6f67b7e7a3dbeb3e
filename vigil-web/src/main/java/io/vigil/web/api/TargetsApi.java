package io.vigil.web.api;

import io.vigil.model.Labels;
import io.vigil.model.Matcher;
import io.vigil.promql.parser.ParseException;
import io.vigil.promql.parser.PromqlParser;
import io.vigil.web.HttpExchange;
import io.vigil.web.Tenant;
import io.vigil.web.api.TargetRetriever.ActiveTarget;
import io.vigil.web.api.TargetRetriever.DroppedTarget;
import io.vigil.web.api.TargetRetriever.TargetMetadata;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * targets, targets/metadata and scrape_pools. A tenant sees only targets whose labels carry its
 * label value, and no dropped targets (they have no labels yet to tell whose they are).
 */
final class TargetsApi {
  private final TargetRetriever targets;

  TargetsApi(TargetRetriever targets) {
    this.targets = targets;
  }

  private static boolean visible(Labels target, Tenant tenant) {
    return tenant == null || target.get(tenant.label()).equals(tenant.value());
  }

  void targets(HttpExchange ex) throws IOException {
    String pool = Params.value(ex, "scrapePool");
    String state = Params.value(ex, "state").toLowerCase(Locale.ROOT);
    boolean showActive = state.isEmpty() || state.equals("any") || state.equals("active");
    boolean showDropped = state.isEmpty() || state.equals("any") || state.equals("dropped");
    Tenant tenant = ex.attribute(Tenant.class);
    List<ActiveTarget> active = new ArrayList<>();
    if (showActive) {
      for (ActiveTarget t : targets.activeTargets()) {
        if ((pool.isEmpty() || pool.equals(t.scrapePool())) && visible(t.labels(), tenant)) {
          active.add(t);
        }
      }
      // Stable: targets of one pool keep the retriever's order, as in Prometheus.
      active.sort(Comparator.comparing(ActiveTarget::scrapePool));
    }
    List<DroppedTarget> dropped = new ArrayList<>();
    Map<String, Integer> droppedCounts = showDropped && tenant == null ? targets.droppedTargetCounts() : null;
    if (showDropped && tenant == null) {
      for (DroppedTarget t : targets.droppedTargets()) {
        if (pool.isEmpty() || pool.equals(t.scrapePool())) {
          dropped.add(t);
        }
      }
      dropped.sort(Comparator.comparing(DroppedTarget::scrapePool));
    }
    ApiResponses.success(ex, g -> {
      g.writeStartObject();
      g.writeName("activeTargets");
      g.writeStartArray();
      for (ActiveTarget t : active) {
        g.writeStartObject();
        g.writeName("discoveredLabels");
        ApiResponses.labels(g, t.discoveredLabels());
        g.writeName("labels");
        ApiResponses.labels(g, t.labels());
        g.writeStringProperty("scrapePool", t.scrapePool());
        g.writeStringProperty("scrapeUrl", t.scrapeUrl());
        g.writeStringProperty("globalUrl", t.globalUrl());
        g.writeStringProperty("lastError", t.lastError());
        g.writeName("lastScrape");
        ApiResponses.time(g, t.lastScrape());
        g.writeName("lastScrapeDuration");
        ApiResponses.goNumber(g, t.lastScrapeDurationSeconds());
        g.writeStringProperty("health", t.health().text());
        g.writeStringProperty("scrapeInterval", t.scrapeInterval());
        g.writeStringProperty("scrapeTimeout", t.scrapeTimeout());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeName("droppedTargets");
      g.writeStartArray();
      for (DroppedTarget t : dropped) {
        g.writeStartObject();
        g.writeName("discoveredLabels");
        ApiResponses.labels(g, t.discoveredLabels());
        g.writeStringProperty("scrapePool", t.scrapePool());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeName("droppedTargetCounts");
      if (droppedCounts == null) {
        g.writeNull(); // Go's nil map, when dropped targets were not asked for
      } else {
        g.writeStartObject();
        for (Map.Entry<String, Integer> e : new java.util.TreeMap<>(droppedCounts).entrySet()) {
          g.writeNumberProperty(e.getKey(), e.getValue());
        }
        g.writeEndObject();
      }
      g.writeEndObject();
    });
  }

  void targetMetadata(HttpExchange ex) throws IOException {
    int limit = SeriesApi.numberParam(ex, "limit");
    String matchTarget = Params.value(ex, "match_target");
    List<Matcher> matchers = List.of();
    if (!matchTarget.isEmpty()) {
      try {
        matchers = PromqlParser.parseMetricSelector(matchTarget);
      } catch (ParseException e) {
        throw ApiError.invalidParam("match_target", e.getMessage());
      }
    }
    String metric = Params.value(ex, "metric");
    Tenant tenant = ex.attribute(Tenant.class);
    List<Entry> out = new ArrayList<>();
    for (TargetMetadata t : targets.targetMetadata()) {
      // As in Prometheus, the limit is checked per target, so one target's list is never split.
      if (limit >= 0 && out.size() >= limit) {
        break;
      }
      if (!matchesAll(t.target(), matchers) || !visible(t.target(), tenant)) {
        continue;
      }
      for (MetricMetadata m : t.metrics()) {
        if (metric.isEmpty()) {
          out.add(new Entry(t.target(), m, true));
        } else if (metric.equals(m.metric())) {
          out.add(new Entry(t.target(), m, false));
          break;
        }
      }
    }
    ApiResponses.success(ex, g -> {
      g.writeStartArray();
      for (Entry e : out) {
        g.writeStartObject();
        g.writeName("target");
        ApiResponses.labels(g, e.target);
        if (e.withMetric) {
          g.writeStringProperty("metric", e.metadata.metric());
        }
        g.writeStringProperty("type", e.metadata.metadata().type().text());
        g.writeStringProperty("help", e.metadata.metadata().help());
        g.writeStringProperty("unit", e.metadata.metadata().unit());
        g.writeEndObject();
      }
      g.writeEndArray();
    });
  }

  private record Entry(Labels target, MetricMetadata metadata, boolean withMetric) {}

  private static boolean matchesAll(Labels l, List<Matcher> matchers) {
    for (Matcher m : matchers) {
      if (!m.matches(l.get(m.name()))) {
        return false;
      }
    }
    return true;
  }

  void scrapePools(HttpExchange ex) throws IOException {
    List<String> pools = new ArrayList<>(targets.scrapePools());
    Tenant tenant = ex.attribute(Tenant.class);
    if (tenant != null) {
      List<String> mine = targets.activeTargets().stream().filter(t -> visible(t.labels(), tenant))
          .map(ActiveTarget::scrapePool).distinct().toList();
      pools.retainAll(mine);
    }
    pools.sort(null);
    ApiResponses.success(ex, g -> {
      g.writeStartObject();
      g.writeName("scrapePools");
      ApiResponses.stringArray(g, pools);
      g.writeEndObject();
    });
  }
}
