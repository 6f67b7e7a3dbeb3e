package io.vigil.server;

import io.vigil.scrape.ScrapeManager;
import io.vigil.web.api.MetadataSource;
import io.vigil.web.api.MetricMetadata;
import io.vigil.web.api.TargetRetriever;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The HTTP API's target and metadata views over the scrape manager (absent until it starts). */
final class ScrapeApiAdapter implements TargetRetriever, MetadataSource {
  private final Supplier<ScrapeManager> scrape;

  ScrapeApiAdapter(Supplier<ScrapeManager> scrape) {
    this.scrape = scrape;
  }

  @Override
  public List<ActiveTarget> activeTargets() {
    ScrapeManager m = scrape.get();
    return m == null ? List.of() : m.activeTargets().stream()
        .map(t -> new ActiveTarget(t.discoveredLabels(), t.labels(), t.scrapePool(), t.scrapeUrl(), t.globalUrl(),
            t.lastError(), t.lastScrape(), t.lastScrapeDurationSeconds(), Health.valueOf(t.health().name()),
            t.scrapeInterval(), t.scrapeTimeout()))
        .toList();
  }

  @Override
  public List<DroppedTarget> droppedTargets() {
    ScrapeManager m = scrape.get();
    return m == null ? List.of()
        : m.droppedTargets().stream().map(t -> new DroppedTarget(t.discoveredLabels(), t.scrapePool())).toList();
  }

  @Override
  public Map<String, Integer> droppedTargetCounts() {
    ScrapeManager m = scrape.get();
    return m == null ? Map.of() : m.droppedTargetCounts();
  }

  @Override
  public List<String> scrapePools() {
    ScrapeManager m = scrape.get();
    return m == null ? List.of() : m.scrapePools();
  }

  @Override
  public List<TargetMetadata> targetMetadata() {
    ScrapeManager m = scrape.get();
    return m == null ? List.of() : m.targetMetadata().stream()
        .map(t -> new TargetMetadata(t.target(), metadata(t.metrics())))
        .toList();
  }

  @Override
  public List<MetricMetadata> metadata() {
    ScrapeManager m = scrape.get();
    return m == null ? List.of() : metadata(m.metadata());
  }

  private static List<MetricMetadata> metadata(List<io.vigil.scrape.MetricMetadata> in) {
    return in.stream().map(x -> new MetricMetadata(x.metric(), x.metadata())).toList();
  }

}
