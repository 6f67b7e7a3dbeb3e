package io.vigil.config;

/**
 * One service-discovery entry of a scrape job or Alertmanager set. Closed so that
 * consumers switch over it exhaustively; Kubernetes discovery will join as a new record.
 */
public sealed interface DiscoveryConfig permits StaticConfig, FileSdConfig, UnsupportedDiscovery {
  /** The YAML key the entry came from, e.g. {@code static_configs}. */
  String key();
}
