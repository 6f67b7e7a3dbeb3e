package io.vigil.notify;

import io.vigil.config.AlertmanagerConfig;
import io.vigil.config.Authorization;
import io.vigil.config.BasicAuth;
import io.vigil.config.HttpClientConfig;
import io.vigil.config.TlsConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Posts alert batches to the Alertmanagers of one {@code alerting.alertmanagers} entry: its TLS
 * settings, authentication (credentials in files are read for every request, so rotated tokens work
 * without a reload, as in Prometheus), redirects and timeout. Thread-safe; one Jetty client per set.
 */
final class AlertmanagerClient implements AutoCloseable {
  private final AlertmanagerConfig cfg;
  private final String userAgent;
  private final HttpClient http;

  AlertmanagerClient(AlertmanagerConfig cfg, String userAgent, String name) throws Exception {
    this.cfg = cfg;
    this.userAgent = userAgent;
    HttpClientConfig hc = cfg.httpClient();
    http = new HttpClient();
    if (!hc.tlsConfig().equals(TlsConfig.NONE)) {
      http.setSslContextFactory(ClientTls.create(hc.tlsConfig()));
    }
    QueuedThreadPool threads = new QueuedThreadPool(8, 1);
    threads.setName("notify-http-" + name);
    threads.setDaemon(true);
    http.setExecutor(threads);
    http.setFollowRedirects(hc.followRedirects());
    http.setUserAgentField(null);
    http.start();
  }

  /**
   * POSTs one JSON body.
   *
   * @throws IOException when the request fails or the answer is not 2xx (message like Prometheus's
   *     {@code bad response status 500 Internal Server Error})
   */
  void post(String url, byte[] json) throws IOException, InterruptedException {
    var req = http.newRequest(url).method(HttpMethod.POST)
        .timeout(Math.max(1, cfg.timeout().millis()), TimeUnit.MILLISECONDS)
        .body(new BytesRequestContent("application/json", json));
    String auth = authorization(cfg.httpClient());
    req.headers(h -> {
      h.put(HttpHeader.USER_AGENT, userAgent);
      if (auth != null) {
        h.put(HttpHeader.AUTHORIZATION, auth);
      }
    });
    ContentResponse resp;
    try {
      resp = req.send();
    } catch (TimeoutException e) {
      throw new IOException("context deadline exceeded (timeout " + cfg.timeout() + ")", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IOException(cause.toString(), cause);
    }
    if (resp.getStatus() / 100 != 2) {
      throw new IOException("bad response status " + resp.getStatus() + " " + (resp.getReason() == null ? ""
          : resp.getReason()));
    }
  }

  /** The Authorization header value, or null without authentication. */
  static String authorization(HttpClientConfig hc) throws IOException {
    BasicAuth b = hc.basicAuth();
    if (b != null) {
      String user = b.usernameFile().isEmpty() ? b.username() : readSecretFile(b.usernameFile());
      String password = !b.passwordFile().isEmpty() ? readSecretFile(b.passwordFile())
          : b.password() == null ? "" : b.password().value();
      return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
    Authorization a = hc.authorization();
    if (a != null) {
      String credentials = !a.credentialsFile().isEmpty() ? readSecretFile(a.credentialsFile())
          : a.credentials() == null ? "" : a.credentials().value();
      return a.type() + " " + credentials;
    }
    return null;
  }

  /** Prometheus trims white space around secrets read from files. */
  private static String readSecretFile(String file) throws IOException {
    return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
  }

  @Override
  public void close() {
    try {
      http.stop();
    } catch (Exception e) {
      // stopping only releases threads and connections; nothing to recover
    }
  }
}
