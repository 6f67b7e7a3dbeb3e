package io.vigil.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tls_config against a real HTTPS target that demands a client certificate: a CA, server and
 * client certificates made by openssl; the server's certificate names only {@code vigil.test}, so
 * scraping 127.0.0.1 works only through server_name (or insecure_skip_verify).
 */
class TlsScrapeTest {
  @TempDir Path dir;

  private void openssl(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of(io.vigil.testkit.PeerProcess.requireBinary("openssl")));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(String.join(" ", cmd) + "\n" + out).isZero();
  }

  private void makeCertificates() throws Exception {
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2",
        "-subj", "/CN=vigil test CA");
    for (String who : List.of("server", "client")) {
      openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", who + ".key", "-out", who + ".csr",
          "-subj", "/CN=" + (who.equals("server") ? "vigil.test" : "scraper"));
      Files.writeString(dir.resolve(who + ".ext"), who.equals("server") ? "subjectAltName=DNS:vigil.test\n" : "");
      openssl("x509", "-req", "-in", who + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
          "-out", who + ".crt", "-days", "2", "-extfile", who + ".ext");
    }
  }

  private SSLContext serverContext() throws Exception {
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    Certificate serverCert = cf.generateCertificate(new ByteArrayInputStream(Files.readAllBytes(dir.resolve("server.crt"))));
    Certificate ca = cf.generateCertificate(new ByteArrayInputStream(Files.readAllBytes(dir.resolve("ca.crt"))));
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("server", TlsContexts.privateKey(Files.readString(dir.resolve("server.key"))), new char[0],
        new Certificate[] {serverCert});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, new char[0]);
    KeyStore ts = KeyStore.getInstance("PKCS12");
    ts.load(null, null);
    ts.setCertificateEntry("ca", ca);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ts);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }

  @Test
  void verifiesAgainstServerNameAndPresentsTheClientCertificate() throws Exception {
    makeCertificates();
    HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    SSLContext ctx = serverContext();
    server.setHttpsConfigurator(new HttpsConfigurator(ctx) {
      @Override
      public void configure(HttpsParameters params) {
        var p = ctx.getDefaultSSLParameters();
        p.setNeedClientAuth(true);
        params.setSSLParameters(p);
      }
    });
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/metrics", ex -> {
      byte[] body = "secure_metric 1\n".getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    server.start();
    String address = "127.0.0.1:" + server.getAddress().getPort();
    try (ScrapeTestSupport s = new ScrapeTestSupport(dir)) {
      String client = "cert_file: %s, key_file: %s".formatted(dir.resolve("client.crt"), dir.resolve("client.key"));
      s.apply("""
          scrape_configs:
            - job_name: named
              scheme: https
              scrape_interval: 200ms
              tls_config: {ca_file: %1$s, server_name: vigil.test, min_version: TLS13, %2$s}
              static_configs: [{targets: ['%3$s']}]
            - job_name: unnamed
              scheme: https
              scrape_interval: 200ms
              tls_config: {ca_file: %1$s, %2$s}
              static_configs: [{targets: ['%3$s']}]
            - job_name: insecure
              scheme: https
              scrape_interval: 200ms
              tls_config: {insecure_skip_verify: true, %2$s}
              static_configs: [{targets: ['%3$s']}]
            - job_name: nocert
              scheme: https
              scrape_interval: 200ms
              tls_config: {ca_file: %1$s, server_name: vigil.test}
              static_configs: [{targets: ['%3$s']}]
          """.formatted(dir.resolve("ca.crt"), client, address));
      for (String j : List.of("named", "unnamed", "insecure", "nocert")) {
        s.awaitScrapes(j, 2);
      }
      assertThat(s.target("named").lastError()).isEmpty();
      assertThat(s.target("insecure").lastError()).isEmpty();
      assertThat(Stored.series(s.db, "__name__", "secure_metric", "job", "named")).isNotEmpty();
      // 127.0.0.1 is not a name in the server's certificate
      assertThat(s.target("unnamed").health()).isEqualTo(TargetHealth.DOWN);
      assertThat(s.target("unnamed").lastError()).contains("127.0.0.1");
      // the server demands a client certificate
      assertThat(s.target("nocert").health()).isEqualTo(TargetHealth.DOWN);
    } finally {
      server.stop(0);
    }
  }
}
