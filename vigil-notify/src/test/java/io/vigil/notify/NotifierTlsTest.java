package io.vigil.notify;

import static io.vigil.notify.NotifierAlertmanagerTest.awaitActive;
import static io.vigil.notify.NotifierAlertmanagerTest.config;
import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.testkit.PeerProcess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tls_config against an HTTPS endpoint requiring a client certificate, with a CA, server and client
 * certificate made by openssl for the test.
 */
class NotifierTlsTest {
  @TempDir
  static Path dir;

  @BeforeAll
  static void certificates() throws Exception {
    Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1\n");
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
        "-subj", "/CN=vigil-test-ca");
    for (String name : List.of("server", "client")) {
      openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj",
          "/CN=" + name);
      openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out",
          name + ".pem", "-days", "2", "-extfile", "san.ext");
    }
    openssl("pkcs12", "-export", "-in", "server.pem", "-inkey", "server.key", "-out", "server.p12", "-passout",
        "pass:test");
  }

  private static void openssl(String... args) throws IOException, InterruptedException {
    List<String> cmd = new java.util.ArrayList<>(List.of(PeerProcess.requireBinary("openssl")));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: " + out);
    }
  }

  /** An SSLContext serving server.pem and trusting only the test CA for client certificates. */
  private static SSLContext serverContext() throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(dir.resolve("server.p12"))) {
      keys.load(in, "test".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, "test".toCharArray());
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(dir.resolve("ca.pem"))) {
      trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }

  @Test
  void caAndClientCertificate() throws Exception {
    try (CaptureServer server = new CaptureServer(serverContext(), true);
        Notifier n = new Notifier(NotifierAlertmanagerTest.fast(), new PrometheusRegistry())) {
      n.applyConfig(config(NotifierHttpTest.amConfig(server.address(), """
          scheme: https
          tls_config: {ca_file: ca.pem, cert_file: client.pem, key_file: client.key}
          """), dir));
      awaitActive(n, "https://" + server.address() + "/api/v2/alerts");
      n.send(List.of(NotifierHttpTest.alert("OverTls", 1)));
      assertThat(server.awaitRequests(1, Duration.ofSeconds(10)).getFirst().body()).contains("OverTls");
    }
  }

  @Test
  void unknownCaFailsUnlessVerificationIsSkipped() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    try (CaptureServer server = new CaptureServer(serverContext(), false);
        Notifier n = new Notifier(NotifierAlertmanagerTest.fast().withSendRetries(0, Duration.ZERO), registry)) {
      String url = "https://" + server.address() + "/api/v2/alerts";
      n.applyConfig(config(NotifierHttpTest.amConfig(server.address(), "scheme: https"), dir));
      awaitActive(n, url);
      n.send(List.of(NotifierHttpTest.alert("Untrusted", 1)));
      NotifierHttpTest.awaitValue(registry, "vigil_notifications_dropped", url, 1);
      assertThat(server.requests()).isEmpty();

      n.applyConfig(config(NotifierHttpTest.amConfig(server.address(), """
          scheme: https
          tls_config: {insecure_skip_verify: true}
          """), dir));
      awaitActive(n, url);
      n.send(List.of(NotifierHttpTest.alert("Skipped", 1)));
      assertThat(server.awaitRequests(1, Duration.ofSeconds(10)).getFirst().body()).contains("Skipped");
    }
  }
}
