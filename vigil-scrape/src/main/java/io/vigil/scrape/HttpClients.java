package io.vigil.scrape;

import io.vigil.config.TlsConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jetty HTTP clients of a scrape manager, one per distinct {@code tls_config}: authentication,
 * redirects and timeouts are set per request, so jobs without TLS settings (most) share one client,
 * its connection pools and its selector thread. Thread-safe.
 */
final class HttpClients implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpClients.class);

  private final ScrapeOptions options;
  private final Map<TlsConfig, HttpClient> clients = new HashMap<>();

  HttpClients(ScrapeOptions options) {
    this.options = options;
  }

  /** The client for these TLS settings, started on first use. */
  synchronized HttpClient get(TlsConfig tls) throws Exception {
    HttpClient c = clients.get(tls);
    if (c == null) {
      c = new HttpClient();
      if (!tls.equals(TlsConfig.NONE)) {
        c.setSslContextFactory(TlsContexts.create(tls));
      }
      QueuedThreadPool threads = new QueuedThreadPool(options.httpThreads(), 2);
      threads.setName("scrape-http-" + clients.size());
      threads.setDaemon(true);
      c.setExecutor(threads);
      c.setIdleTimeout(options.idleConnectionTimeoutMs());
      c.setConnectTimeout(30_000); // each request's own timeout (the scrape timeout) is shorter
      c.setUserAgentField(null);  // set per request
      // A scrape is one request at a time per target; a few spare connections cover overlaps
      // when a timed-out request is still being torn down.
      c.setMaxConnectionsPerDestination(4);
      c.getContentDecoderFactories().clear(); // bodies are decoded by GzipDecoder into reused arrays
      c.start();
      clients.put(tls, c);
    }
    return c;
  }

  /** Stops clients whose TLS settings no job uses any more. */
  synchronized void retainOnly(Set<TlsConfig> used) {
    for (var it = clients.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      if (!used.contains(e.getKey())) {
        stop(e.getValue());
        it.remove();
      }
    }
  }

  @Override
  public synchronized void close() {
    clients.values().forEach(HttpClients::stop);
    clients.clear();
  }

  private static void stop(HttpClient c) {
    try {
      c.stop();
    } catch (Exception e) {
      log.warn("stopping a scrape HTTP client failed: {}", e.toString());
    }
  }
}
