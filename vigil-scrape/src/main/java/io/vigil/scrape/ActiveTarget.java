package io.vigil.scrape;

import io.vigil.model.Labels;
import java.time.Instant;

/**
 * A snapshot of one target being scraped, with the fields of Prometheus's {@code /api/v1/targets}
 * {@code activeTargets} entries.
 *
 * @param discoveredLabels labels from service discovery before target relabeling, with the
 *     defaults Prometheus adds ({@code job}, {@code __address__}, {@code __scheme__},
 *     {@code __metrics_path__}, {@code __scrape_interval__}, {@code __scrape_timeout__},
 *     {@code __param_*}) and every {@code __meta_*} label
 * @param labels labels after relabeling without the {@code __}-prefixed ones: what its series carry
 * @param scrapePool the job name
 * @param scrapeUrl the URL scraped, query parameters sorted as Go's {@code url.Values.Encode} does
 * @param globalUrl the URL as seen from outside: a loopback host replaced by the external URL's host
 * @param lastError the last scrape's error, "" when it succeeded or never ran
 * @param lastScrape start of the last scrape; null if none ended yet (Go's zero time in the API)
 * @param lastScrapeDurationSeconds how long the last scrape took, 0 if none
 * @param health up, down, or unknown before the first scrape
 * @param scrapeInterval Prometheus duration text, e.g. {@code 15s}
 * @param scrapeTimeout Prometheus duration text, e.g. {@code 10s}
 */
public record ActiveTarget(
    Labels discoveredLabels,
    Labels labels,
    String scrapePool,
    String scrapeUrl,
    String globalUrl,
    String lastError,
    Instant lastScrape,
    double lastScrapeDurationSeconds,
    TargetHealth health,
    String scrapeInterval,
    String scrapeTimeout) {}
