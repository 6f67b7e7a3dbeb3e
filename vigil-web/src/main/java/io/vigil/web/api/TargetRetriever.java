package io.vigil.web.api;

import io.vigil.model.Labels;
import java.time.Instant;
import java.util.List;

/**
 * The scrape targets behind {@code /api/v1/targets}, {@code /api/v1/targets/metadata} and
 * {@code /api/v1/scrape_pools}. Implementations return a snapshot per call and must be thread-safe.
 */
public interface TargetRetriever {
  /** No scrape manager: no targets, no pools. */
  TargetRetriever EMPTY = new TargetRetriever() {
    @Override
    public List<ActiveTarget> activeTargets() {
      return List.of();
    }

    @Override
    public List<DroppedTarget> droppedTargets() {
      return List.of();
    }
  };

  /** Targets being scraped, in any order (the API sorts by scrape pool). */
  List<ActiveTarget> activeTargets();

  /** Targets that relabelling dropped (as many as the server keeps; see keep_dropped_targets). */
  List<DroppedTarget> droppedTargets();

  /** Dropped targets per scrape pool, counting those not kept in {@link #droppedTargets()}. */
  default java.util.Map<String, Integer> droppedTargetCounts() {
    java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
    for (DroppedTarget t : droppedTargets()) {
      counts.merge(t.scrapePool(), 1, Integer::sum);
    }
    return counts;
  }

  /** Names of all configured scrape pools, including those without targets. */
  default List<String> scrapePools() {
    java.util.TreeSet<String> pools = new java.util.TreeSet<>();
    activeTargets().forEach(t -> pools.add(t.scrapePool()));
    return List.copyOf(pools);
  }

  /** Per active target, the metric metadata its scrapes reported (for /api/v1/targets/metadata). */
  default List<TargetMetadata> targetMetadata() {
    return List.of();
  }

  enum Health {
    UP("up"), DOWN("down"), UNKNOWN("unknown");

    private final String text;

    Health(String text) {
      this.text = text;
    }

    /** The API spelling. */
    public String text() {
      return text;
    }
  }

  /**
   * One active target.
   *
   * @param discoveredLabels labels from service discovery, before relabelling
   * @param labels labels after relabelling (what its series carry)
   * @param scrapeUrl the URL scraped
   * @param globalUrl the URL as seen from outside (localhost replaced by the external host)
   * @param lastError the last scrape's error, "" when it succeeded
   * @param lastScrape when it was last scraped; null if never (printed as Go's zero time)
   * @param scrapeInterval Prometheus duration text, e.g. "15s"
   * @param scrapeTimeout Prometheus duration text, e.g. "10s"
   */
  record ActiveTarget(Labels discoveredLabels, Labels labels, String scrapePool, String scrapeUrl, String globalUrl,
      String lastError, Instant lastScrape, double lastScrapeDurationSeconds, Health health, String scrapeInterval,
      String scrapeTimeout) {}

  record DroppedTarget(Labels discoveredLabels, String scrapePool) {}

  /** @param target the target's labels (after relabelling) */
  record TargetMetadata(Labels target, List<MetricMetadata> metrics) {
    public TargetMetadata {
      metrics = List.copyOf(metrics);
    }
  }
}
