package io.vigil.web;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.handler.GracefulHandler;
import io.vigil.config.TlsServerConfig;
import io.vigil.web.tls.TlsContexts;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.gzip.GzipHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP server: Jetty 12 with every request handled on its own virtual thread, gzip for clients
 * that ask, and graceful shutdown (stop accepting, let in-flight requests finish within the grace
 * period). One instance per listener; several may share a router.
 */
public final class WebServer implements AutoCloseable {
  private final Server server;
  private final ServerConnector connector;
  private final RouterHandler routerHandler;
  private final ClientLivenessMonitor liveness;

  public WebServer(WebOptions options, Router router, PrometheusRegistry registry) {
    this(options, router, new HttpMetrics(registry), Authenticator.ALLOW_ALL);
  }

  private WebServer(WebOptions options, Router router, HttpMetrics metrics, Authenticator authenticator) {
    QueuedThreadPool pool = new QueuedThreadPool();
    pool.setName("vigil-http");
    // Platform threads only select and accept; handlers run on virtual threads, so a blocking
    // query or fsync never starves the server of threads.
    pool.setVirtualThreadsExecutor(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("vigil-http-", 0).factory()));
    server = new Server(pool);
    server.setStopTimeout(options.shutdownGrace().toMillis());

    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendDateHeader(true);
    // Push paths carry percent-encoded values, including %2F inside a value (which must not split
    // segments); the push endpoint decodes segment by segment, so Jetty must not reject them.
    http.setUriCompliance(UriCompliance.from("DEFAULT,AMBIGUOUS_PATH_SEPARATOR,AMBIGUOUS_PATH_ENCODING,AMBIGUOUS_EMPTY_SEGMENT"));
    connector = connector(server, http, options.webConfig().tlsServerConfig());
    connector.setHost(options.listenAddress().host());
    connector.setPort(options.listenAddress().port());
    connector.setIdleTimeout(options.idleTimeout().toMillis());
    connector.setReuseAddress(true);
    server.addConnector(connector);

    try {
      liveness = new ClientLivenessMonitor("vigil-http-liveness-" + options.listenAddress().port());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot open a selector for client liveness", e);
    }
    routerHandler = new RouterHandler(router, metrics, authenticator, options.maxRequestBodyBytes(), liveness);
    GzipHandler gzip = new GzipHandler();
    gzip.setMinGzipSize(1024);
    gzip.setIncludedMethods("GET", "POST", "PUT");
    // Inflate gzip-encoded request bodies (pushes may be gzipped); the body limit applies to the
    // inflated stream, so bombs are cut off early.
    gzip.setInflateBufferSize(8192);
    gzip.setHandler(routerHandler);
    Handler front = gzip;
    if (!options.webConfig().httpServerConfig().headers().isEmpty()) {
      front = new HeadersHandler(options.webConfig().httpServerConfig().headers(), gzip);
    }
    server.setHandler(new GracefulHandler(front));
  }

  private static ServerConnector connector(Server server, HttpConfiguration http, TlsServerConfig tls) {
    if (tls == null) {
      return new ServerConnector(server, new HttpConnectionFactory(http));
    }
    SslContextFactory.Server ssl;
    try {
      ssl = TlsContexts.serverContext(tls);
    } catch (Exception e) {
      throw new IllegalArgumentException("cannot set up TLS from the web config: " + e.getMessage(), e);
    }
    HttpConfiguration https = new HttpConfiguration(http);
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    // Clients reach Vigil by IP address as often as by name; Go does not check SNI either.
    secure.setSniHostCheck(false);
    https.addCustomizer(secure);
    return new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(https));
  }

  /** Whether this server speaks HTTPS. */
  public boolean isTls() {
    return connector.getConnectionFactory(SslConnectionFactory.class) != null;
  }

  public void setAuthenticator(Authenticator authenticator) {
    routerHandler.setAuthenticator(authenticator);
  }

  public void start() throws Exception {
    server.start();
  }

  /** The bound port (useful with port 0). */
  public int port() {
    return connector.getLocalPort();
  }

  public InetSocketAddress boundAddress() {
    String host = connector.getHost();
    return host == null ? new InetSocketAddress(port()) : new InetSocketAddress(host, port());
  }

  /** Stops accepting, waits up to the grace period for in-flight requests, then closes. */
  @Override
  public void close() throws Exception {
    try {
      server.stop();
    } finally {
      liveness.close();
    }
  }
}
