package io.vigil.notify;

import io.vigil.config.TlsConfig;
import io.vigil.config.TlsVersion;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SNIHostName;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Jetty client TLS settings for one Alertmanager set's {@code tls_config}: the CA bundle (PEM), a
 * client certificate with its PKCS#8 key (PEM, RSA or EC), {@code server_name} as SNI,
 * {@code insecure_skip_verify} and the protocol range (TLS 1.2 to 1.3 by default, as Go).
 */
final class ClientTls {
  private ClientTls() {}

  static SslContextFactory.Client create(TlsConfig cfg) throws IOException, GeneralSecurityException {
    SslContextFactory.Client f = new SslContextFactory.Client();
    if (cfg.insecureSkipVerify()) {
      f.setTrustAll(true);
      f.setEndpointIdentificationAlgorithm(null);
    }
    String caPem = pem(cfg.ca(), cfg.caFile());
    if (caPem != null) {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      List<Certificate> cas = certificates(caPem, "ca");
      for (int i = 0; i < cas.size(); i++) {
        trust.setCertificateEntry("ca-" + i, cas.get(i));
      }
      f.setTrustStore(trust);
    }
    if (cfg.usesClientCertificate()) {
      String keyPem = cfg.key() != null ? cfg.key().value() : Files.readString(Path.of(cfg.keyFile()));
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry("client", pkcs8Key(keyPem), new char[0],
          certificates(pem(cfg.cert(), cfg.certFile()), "cert").toArray(new Certificate[0]));
      f.setKeyStore(keys);
      f.setKeyStorePassword("");
      f.setKeyManagerPassword("");
    }
    if (!cfg.serverName().isEmpty()) {
      SNIHostName sni = new SNIHostName(cfg.serverName());
      f.setSNIProvider((engine, names) -> List.of(sni));
    }
    TlsVersion lo = cfg.minVersion() == null ? TlsVersion.TLS12 : cfg.minVersion();
    TlsVersion hi = cfg.maxVersion() == null ? TlsVersion.TLS13 : cfg.maxVersion();
    f.setIncludeProtocols(java.util.Arrays.stream(TlsVersion.values())
        .filter(v -> v.compareTo(lo) >= 0 && v.compareTo(hi) <= 0).map(TlsVersion::jsseName).toArray(String[]::new));
    return f;
  }

  private static String pem(String inline, String file) throws IOException {
    if (!inline.isEmpty()) {
      return inline;
    }
    return file.isEmpty() ? null : Files.readString(Path.of(file));
  }

  private static List<Certificate> certificates(String pem, String field) throws GeneralSecurityException {
    List<Certificate> out = new ArrayList<>(CertificateFactory.getInstance("X.509")
        .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
    if (out.isEmpty()) {
      throw new GeneralSecurityException("tls_config." + field + ": no PEM certificate found");
    }
    return out;
  }

  private static PrivateKey pkcs8Key(String pem) throws GeneralSecurityException {
    String begin = "-----BEGIN PRIVATE KEY-----";
    int from = pem.indexOf(begin);
    int to = pem.indexOf("-----END PRIVATE KEY-----");
    if (from < 0 || to < from) {
      throw new GeneralSecurityException("tls_config key: expected a PEM \"PRIVATE KEY\" (PKCS#8); convert with "
          + "openssl pkcs8 -topk8 -nocrypt");
    }
    byte[] der = Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
    GeneralSecurityException last = null;
    for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        last = e;
      }
    }
    throw new GeneralSecurityException("tls_config key: unsupported private key", last);
  }
}
