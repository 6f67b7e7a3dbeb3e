package io.vigil.web.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.config.WebConfig;
import io.vigil.config.WebConfigLoader;
import io.vigil.web.ListenAddress;
import io.vigil.web.Role;
import io.vigil.web.Router;
import io.vigil.web.WebOptions;
import io.vigil.web.WebServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** HTTPS with certificates made by the real openssl, as operators make them. */
class TlsTest {
  @TempDir
  static Path dir;

  @BeforeAll
  static void makeCertificates() throws Exception {
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-subj", "/CN=test-ca",
        "-days", "2");
    // Server keys in the three PEM forms openssl writes: PKCS#8, PKCS#1 (RSA), SEC1 (EC).
    openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "pkcs8.key");
    openssl("genrsa", "-traditional", "-out", "pkcs1.key", "2048");
    openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "sec1.key");
    for (String key : List.of("pkcs8", "pkcs1", "sec1")) {
      openssl("req", "-new", "-key", key + ".key", "-out", key + ".csr", "-subj", "/CN=localhost");
      openssl("x509", "-req", "-in", key + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out",
          key + ".pem", "-days", "2");
    }
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "client.key", "-out", "client.csr", "-subj", "/CN=client");
    openssl("x509", "-req", "-in", "client.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out",
        "client.pem", "-days", "2");
  }

  private static void openssl(String... args) throws Exception {
    var cmd = new java.util.ArrayList<String>();
    cmd.add(io.vigil.testkit.PeerProcess.requireBinary("openssl"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as("openssl %s: %s", String.join(" ", args), out).isZero();
  }

  private static WebServer server(String webConfigYaml) throws Exception {
    WebConfig config = new WebConfigLoader().parse(webConfigYaml, "web.yml", dir);
    Router router = new Router().get("/hello", Role.OPEN, ex -> ex.respond(200, "text/plain", "hello over tls"));
    WebServer s = new WebServer(WebOptions.defaults(ListenAddress.parse("127.0.0.1:0")).withWebConfig(config), router,
        new PrometheusRegistry());
    s.start();
    return s;
  }

  private static HttpClient client(boolean withClientCert, String... protocols) throws Exception {
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(PemFiles.trustStore(dir.resolve("ca.pem")));
    KeyManagerFactory kmf = null;
    if (withClientCert) {
      KeyStore ks = PemFiles.keyStore(dir.resolve("client.pem"), dir.resolve("client.key"));
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, PemFiles.STORE_PASSWORD);
    }
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    SSLParameters params = new SSLParameters();
    if (protocols.length > 0) {
      params.setProtocols(protocols);
    }
    return HttpClient.newBuilder().sslContext(ctx).sslParameters(params).build();
  }

  private static HttpResponse<String> get(HttpClient c, WebServer s) throws Exception {
    return c.send(HttpRequest.newBuilder(URI.create("https://localhost:" + s.port() + "/hello")).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"pkcs8", "pkcs1", "sec1"})
  void servesHttpsWithEveryPemKeyForm(String key) throws Exception {
    try (WebServer s = server("tls_server_config: {cert_file: " + key + ".pem, key_file: " + key + ".key}\n")) {
      assertThat(s.isTls()).isTrue();
      HttpResponse<String> r = get(client(false), s);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("hello over tls");
    }
  }

  @Test
  void minVersionIsEnforced() throws Exception {
    try (WebServer s = server("tls_server_config: {cert_file: pkcs8.pem, key_file: pkcs8.key, min_version: TLS13}\n")) {
      assertThatThrownBy(() -> get(client(false, "TLSv1.2"), s)).isInstanceOf(IOException.class);
      assertThat(get(client(false, "TLSv1.3"), s).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void requireAndVerifyClientCert() throws Exception {
    try (WebServer s = server("""
        tls_server_config:
          cert_file: pkcs8.pem
          key_file: pkcs8.key
          client_auth_type: RequireAndVerifyClientCert
          client_ca_file: ca.pem
        """)) {
      assertThatThrownBy(() -> get(client(false), s)).isInstanceOf(IOException.class);
      assertThat(get(client(true), s).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void extraResponseHeaders() throws Exception {
    try (WebServer s = server("""
        tls_server_config: {cert_file: pkcs8.pem, key_file: pkcs8.key}
        http_server_config:
          headers:
            Strict-Transport-Security: max-age=31536000
        """)) {
      assertThat(get(client(false), s).headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000");
    }
  }

  @Test
  void unreadableKeyIsAClearStartupError() throws Exception {
    java.nio.file.Files.writeString(dir.resolve("garbage.key"), "not a key");
    assertThatThrownBy(() -> server("tls_server_config: {cert_file: pkcs8.pem, key_file: garbage.key}\n"))
        .hasMessageContaining("cannot set up TLS").hasMessageContaining("no PEM private key found");
  }
  /**
   * Over TLS the socket carries records, not HTTP bytes. A client that drops the TCP connection is
   * noticed (end of stream with nothing to read); one that closes TLS gracefully sends a
   * close_notify record first, which the watch must not consume, so that close goes unnoticed.
   */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void clientGoneOverTls(boolean abrupt) throws Exception {
    java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CompletableFuture<Boolean> noticed = new java.util.concurrent.CompletableFuture<>();
    Router router = new Router().get("/wait", Role.OPEN, ex -> {
      java.util.concurrent.CountDownLatch gone = new java.util.concurrent.CountDownLatch(1);
      try (AutoCloseable watch = ex.onClientGone(gone::countDown)) {
        started.countDown();
        noticed.complete(gone.await(2, java.util.concurrent.TimeUnit.SECONDS));
      } catch (Exception e) {
        noticed.completeExceptionally(e);
      }
      ex.respond(200, "text/plain", "done");
    });
    WebConfig config = new WebConfigLoader().parse("tls_server_config: {cert_file: pkcs8.pem, key_file: pkcs8.key}\n",
        "web.yml", dir);
    try (WebServer s = new WebServer(WebOptions.defaults(ListenAddress.parse("127.0.0.1:0")).withWebConfig(config),
        router, new PrometheusRegistry())) {
      s.start();
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(PemFiles.trustStore(dir.resolve("ca.pem")));
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      java.net.Socket tcp = new java.net.Socket("127.0.0.1", s.port());
      javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket) ctx.getSocketFactory().createSocket(tcp, "localhost",
          s.port(), false);
      tls.getOutputStream().write("GET /wait HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes());
      tls.getOutputStream().flush();
      assertThat(started.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      if (abrupt) {
        tcp.close(); // FIN without close_notify
      } else {
        tls.close(); // close_notify, then FIN
      }
      boolean seen = noticed.get(5, java.util.concurrent.TimeUnit.SECONDS);
      System.out.println("tls client-gone (" + (abrupt ? "TCP close" : "TLS close_notify") + ") noticed: " + seen);
      assertThat(seen).isEqualTo(abrupt);
      tcp.close();
    }
  }
}
