package io.vigil.scrape;

import java.net.URI;
import java.util.Objects;

/**
 * Settings of a {@link ScrapeManager} that do not come from {@code prometheus.yml}. vigil-server maps
 * its flags onto them; library code never reads flags itself.
 *
 * @param externalUrl the URL under which this server is reachable ({@code --web.external-url});
 *     its host replaces loopback hosts in {@link ActiveTarget#globalUrl()}. Default
 *     {@code http://<hostname>:9090/}
 * @param listenPort the port this server listens on; a loopback target on this port is this server,
 *     so its global URL takes the external URL's scheme, host and port. Default 9090
 * @param discoveryUpdateIntervalMs least time between two target updates that discovery hands to
 *     the scrape pools (Prometheus's 5 s): bursts of file or API changes are merged into one
 *     sync. The first update after start or reload goes out at once. Default 5000
 * @param maxBodyBytes hard cap on an uncompressed scrape body when a job sets no
 *     {@code body_size_limit}. Default 512 MiB: kube-state-metrics of large clusters, the biggest
 *     real exposition bodies, stay below 200 MB; the cap keeps one broken target from taking the heap
 * @param offsetSeed mixed into every target's start offset (Prometheus derives it from the
 *     hostname and external labels so that HA pairs do not scrape in lockstep). Default 0
 * @param userAgent sent with every scrape. Default {@code Vigil}
 * @param idleConnectionTimeoutMs how long an idle keep-alive connection to a target stays open.
 *     Default 5 min, as Prometheus's HTTP client
 * @param httpThreads most platform threads the shared HTTP client pool uses for I/O callbacks;
 *     scrape loops themselves are virtual threads. Default 16: callbacks only copy bytes
 */
public record ScrapeOptions(
    URI externalUrl,
    int listenPort,
    long discoveryUpdateIntervalMs,
    long maxBodyBytes,
    long offsetSeed,
    String userAgent,
    long idleConnectionTimeoutMs,
    int httpThreads) {

  public ScrapeOptions {
    Objects.requireNonNull(externalUrl, "externalUrl");
    Objects.requireNonNull(userAgent, "userAgent");
    if (discoveryUpdateIntervalMs < 0 || maxBodyBytes <= 0 || idleConnectionTimeoutMs <= 0 || httpThreads < 2) {
      throw new IllegalArgumentException("invalid scrape options: " + this);
    }
  }

  public static ScrapeOptions defaults() {
    return new ScrapeOptions(URI.create("http://" + GlobalUrl.localHostname() + ":9090/"), 9090, 5000,
        512L << 20, 0, "Vigil", 5 * 60_000L, 16);
  }

  public ScrapeOptions withDiscoveryUpdateIntervalMs(long ms) {
    return new ScrapeOptions(externalUrl, listenPort, ms, maxBodyBytes, offsetSeed, userAgent,
        idleConnectionTimeoutMs, httpThreads);
  }

  public ScrapeOptions withExternalUrl(URI url, int port) {
    return new ScrapeOptions(url, port, discoveryUpdateIntervalMs, maxBodyBytes, offsetSeed, userAgent,
        idleConnectionTimeoutMs, httpThreads);
  }

  public ScrapeOptions withMaxBodyBytes(long bytes) {
    return new ScrapeOptions(externalUrl, listenPort, discoveryUpdateIntervalMs, bytes, offsetSeed, userAgent,
        idleConnectionTimeoutMs, httpThreads);
  }
}
