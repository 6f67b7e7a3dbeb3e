package io.vigil.web;

import io.vigil.config.WebConfig;
import java.time.Duration;

/**
 * How the HTTP server listens and what it tolerates.
 *
 * @param listenAddress where to listen (Prometheus's --web.listen-address, default ":9090")
 * @param maxRequestBodyBytes default limit for request bodies, after decompression; endpoints may
 *     ask for less. Default 32 MiB: a large remote-write batch is ~1-5 MiB, pushes are KiBs.
 * @param shutdownGrace how long in-flight requests may run on after a stop starts (default 10 s)
 * @param idleTimeout connections idle this long are closed (default 5 min, as Go's default is none
 *     but reverse proxies usually keep connections for minutes)
 * @param webConfig TLS and extra response headers (--web.config.file); {@link WebConfig#NONE} for
 *     plain HTTP. Credentials in it are checked by an {@link Authenticator}, set separately.
 */
public record WebOptions(ListenAddress listenAddress, long maxRequestBodyBytes, Duration shutdownGrace, Duration idleTimeout,
    WebConfig webConfig) {
  public static final long DEFAULT_MAX_REQUEST_BODY_BYTES = 32L << 20;

  public static WebOptions defaults(ListenAddress address) {
    return new WebOptions(address, DEFAULT_MAX_REQUEST_BODY_BYTES, Duration.ofSeconds(10), Duration.ofMinutes(5),
        WebConfig.NONE);
  }

  public WebOptions withWebConfig(WebConfig config) {
    return new WebOptions(listenAddress, maxRequestBodyBytes, shutdownGrace, idleTimeout, config);
  }
}
