package io.vigil.web.api;

import io.vigil.model.Labels;
import io.vigil.model.Matcher;
import io.vigil.storage.Querier;
import io.vigil.storage.Queryable;
import io.vigil.storage.SelectHints;
import io.vigil.storage.SeriesSet;
import io.vigil.web.api.TsdbStatus.HeadStats;
import io.vigil.web.api.TsdbStatus.Stat;
import io.vigil.web.api.TsdbStatus.Stats;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * /api/v1/status/tsdb for a tenant: the same statistics, computed from the tenant's own series in
 * the head's time range instead of taken from the whole head (whose numbers would tell one tenant
 * about the others). Costs one label-only select over the tenant's head series.
 */
final class TenantTsdbStats {
  private TenantTsdbStats() {}

  static Stats compute(Queryable queryable, Matcher tenant, HeadStats head, int limit) {
    if (head.minTime() > head.maxTime()) {
      return new Stats(new HeadStats(0, 0, 0, head.minTime(), head.maxTime()), List.of(), List.of(), List.of(),
          List.of());
    }
    long series = 0;
    Map<String, Long> byMetric = new HashMap<>();
    Map<String, Long> byPair = new HashMap<>();
    Map<String, Set<String>> valuesByName = new HashMap<>();
    try (Querier q = queryable.querier(head.minTime(), head.maxTime())) {
      SeriesSet set = q.select(false, new SelectHints(head.minTime(), head.maxTime(), 0, "series", 0, 0), tenant);
      while (set.next()) {
        Labels l = set.at().labels();
        series++;
        byMetric.merge(l.metricName(), 1L, Long::sum);
        for (int i = 0; i < l.size(); i++) {
          byPair.merge(l.name(i) + "=" + l.value(i), 1L, Long::sum);
          valuesByName.computeIfAbsent(l.name(i), k -> new HashSet<>()).add(l.value(i));
        }
      }
    }
    Map<String, Long> valueCounts = new HashMap<>();
    Map<String, Long> valueBytes = new HashMap<>();
    valuesByName.forEach((name, values) -> {
      valueCounts.put(name, (long) values.size());
      valueBytes.put(name, values.stream().mapToLong(String::length).sum());
    });
    byMetric.remove("");
    return new Stats(new HeadStats(series, byPair.size(), 0, head.minTime(), head.maxTime()), top(byMetric, limit),
        top(valueCounts, limit), top(valueBytes, limit), top(byPair, limit));
  }

  private static List<Stat> top(Map<String, Long> counts, int limit) {
    List<Stat> all = new ArrayList<>(counts.size());
    counts.forEach((k, v) -> all.add(new Stat(k, v)));
    all.sort(Comparator.comparingLong(Stat::value).reversed().thenComparing(Stat::name));
    return all.size() > limit ? List.copyOf(all.subList(0, limit)) : all;
  }
}
