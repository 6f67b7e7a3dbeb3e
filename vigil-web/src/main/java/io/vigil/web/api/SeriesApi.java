package io.vigil.web.api;

import io.vigil.model.LabelNames;
import io.vigil.model.Labels;
import io.vigil.model.Matcher;
import io.vigil.model.Metadata;
import io.vigil.promql.parser.GoQuote;
import io.vigil.storage.LabelHints;
import io.vigil.storage.Querier;
import io.vigil.storage.Queryable;
import io.vigil.storage.SelectHints;
import io.vigil.storage.SeriesSet;
import io.vigil.web.HttpExchange;
import io.vigil.web.Tenant;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** series, labels, label/&lt;name&gt;/values and metadata. */
final class SeriesApi {
  private final Queryable queryable;
  private final MetadataSource metadata;

  SeriesApi(Queryable queryable, MetadataSource metadata) {
    this.queryable = queryable;
    this.metadata = metadata;
  }

  private Queryable view(Tenant tenant) {
    return tenant == null ? queryable : new TenantQueryable(queryable, TenantEnforcer.matcher(tenant));
  }

  /** Storage hint for a limit: one more than asked, so that truncation can be noticed. */
  private static int hintLimit(int limit) {
    return limit > 0 && limit < Integer.MAX_VALUE ? limit + 1 : 0;
  }

  void series(HttpExchange ex) throws IOException {
    List<String> match = ex.params("match[]");
    if (match.isEmpty()) {
      throw ApiError.badData("no match[] parameter provided");
    }
    int limit = Params.parseLimit(ex.param("limit"));
    long start = Params.timeParam(ex, "start", Params.MIN_TIME_MS);
    long end = Params.timeParam(ex, "end", Params.MAX_TIME_MS);
    Tenant tenant = ex.attribute(Tenant.class);
    List<List<Matcher>> sets = MatcherSets.parse(match, tenant, msg -> ApiError.invalidParam("match[]", msg));
    List<Labels> found = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    try (Querier q = view(tenant).querier(start, end)) {
      SelectHints hints = new SelectHints(start, end, 0, "series", 0, hintLimit(limit));
      if (sets.size() == 1) {
        SeriesSet set = q.select(true, hints, sets.getFirst().toArray(new Matcher[0]));
        while (set.next() && (limit == 0 || found.size() <= limit)) {
          found.add(set.at().labels());
        }
        warnings.addAll(set.warnings());
      } else {
        TreeSet<Labels> union = new TreeSet<>();
        for (List<Matcher> ms : sets) {
          SeriesSet set = q.select(true, hints, ms.toArray(new Matcher[0]));
          while (set.next()) {
            union.add(set.at().labels());
          }
          warnings.addAll(set.warnings());
        }
        found.addAll(union);
      }
    }
    List<Labels> out = truncate(found, limit, warnings);
    ApiResponses.success(ex, g -> {
      g.writeStartArray();
      for (Labels l : out) {
        ApiResponses.labels(g, l);
      }
      g.writeEndArray();
    }, warnings, List.of());
  }

  private static <T> List<T> truncate(List<T> list, int limit, List<String> warnings) {
    if (limit > 0 && list.size() > limit) {
      warnings.add(QueryApi.TRUNCATED);
      return list.subList(0, limit);
    }
    return list;
  }

  void labelNames(HttpExchange ex) throws IOException {
    labels(ex, (q, hints, ms) -> q.labelNames(hints, ms));
  }

  void labelValues(HttpExchange ex) throws IOException {
    String name = LabelNameEscaping.unescape(ex.pathParam("name"));
    if (!LabelNames.isValidLabelName(name)) {
      throw ApiError.badData("invalid label name: " + GoQuote.quote(name));
    }
    labels(ex, (q, hints, ms) -> q.labelValues(name, hints, ms));
  }

  private interface Lookup {
    List<String> get(Querier q, LabelHints hints, Matcher[] matchers);
  }

  /**
   * labels and label values: one lookup per match[] set (one without matchers if none), merged
   * sorted and distinct, cut at the limit.
   */
  private void labels(HttpExchange ex, Lookup lookup) throws IOException {
    int limit = Params.parseLimit(ex.param("limit"));
    long start = Params.timeParam(ex, "start", Params.MIN_TIME_MS);
    long end = Params.timeParam(ex, "end", Params.MAX_TIME_MS);
    Tenant tenant = ex.attribute(Tenant.class);
    List<List<Matcher>> sets = MatcherSets.parse(ex.params("match[]"), tenant, ApiError::badData);
    LabelHints hints = new LabelHints(hintLimit(limit));
    List<String> found;
    try (Querier q = view(tenant).querier(start, end)) {
      if (sets.size() <= 1) {
        Matcher[] ms = sets.isEmpty() ? new Matcher[0] : sets.getFirst().toArray(new Matcher[0]);
        found = new ArrayList<>(lookup.get(q, hints, ms));
        found.sort(null);
      } else {
        TreeSet<String> union = new TreeSet<>();
        for (List<Matcher> ms : sets) {
          union.addAll(lookup.get(q, hints, ms.toArray(new Matcher[0])));
        }
        found = new ArrayList<>(union);
      }
    }
    List<String> warnings = new ArrayList<>();
    List<String> out = truncate(found, limit, warnings);
    ApiResponses.success(ex, g -> ApiResponses.stringArray(g, out), warnings, List.of());
  }

  void metadata(HttpExchange ex) throws IOException {
    int limit = numberParam(ex, "limit");
    int limitPerMetric = numberParam(ex, "limit_per_metric");
    String metric = Params.value(ex, "metric");
    Tenant tenant = ex.attribute(Tenant.class);
    Set<String> visible = null;
    if (tenant != null) {
      try (Querier q = view(tenant).querier(Params.MIN_TIME_MS, Params.MAX_TIME_MS)) {
        visible = new TreeSet<>(q.labelValues(Labels.METRIC_NAME, LabelHints.NONE));
      }
    }
    Map<String, Set<Metadata>> byMetric = new TreeMap<>();
    for (MetricMetadata m : metadata.metadata()) {
      if ((!metric.isEmpty() && !metric.equals(m.metric())) || (visible != null && !visible.contains(m.metric()))) {
        continue;
      }
      Set<Metadata> set = byMetric.computeIfAbsent(m.metric(), k -> new LinkedHashSet<>());
      if (limitPerMetric <= 0 || set.size() < limitPerMetric) {
        set.add(m.metadata());
      }
    }
    Map<String, Set<Metadata>> out = new LinkedHashMap<>();
    for (Map.Entry<String, Set<Metadata>> e : byMetric.entrySet()) {
      if (limit >= 0 && out.size() >= limit) {
        break;
      }
      out.put(e.getKey(), e.getValue());
    }
    ApiResponses.success(ex, g -> {
      g.writeStartObject();
      for (Map.Entry<String, Set<Metadata>> e : out.entrySet()) {
        g.writeName(e.getKey());
        g.writeStartArray();
        for (Metadata md : e.getValue()) {
          MetadataJson.write(g, md);
        }
        g.writeEndArray();
      }
      g.writeEndObject();
    });
  }

  /** The metadata endpoints' number parameters: -1 when absent, "x must be a number" otherwise. */
  static int numberParam(HttpExchange ex, String name) {
    String v = Params.value(ex, name);
    if (v.isEmpty()) {
      return -1;
    }
    try {
      return Params.atoi(v, name);
    } catch (ApiError e) {
      throw ApiError.badData(name + " must be a number");
    }
  }

  /** DELETE /api/v1/series: Prometheus never implemented it. */
  void dropSeries(HttpExchange ex) {
    throw ApiError.internal("not implemented");
  }
}
