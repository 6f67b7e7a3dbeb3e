package io.vigil.scrape;

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
import java.util.Collection;
import java.util.List;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Builds Jetty's client TLS settings from a {@code tls_config}: trusted CAs (PEM, inline or file),
 * a client certificate and key (PEM; PKCS#8 or PKCS#1 RSA keys), {@code server_name} as SNI and as
 * the name the certificate is checked against, {@code insecure_skip_verify}, and the protocol range.
 */
final class TlsContexts {
  private static final char[] NO_PASSWORD = new char[0];

  private TlsContexts() {}

  static SslContextFactory.Client create(TlsConfig cfg) throws IOException, GeneralSecurityException {
    SslContextFactory.Client f = new SslContextFactory.Client();
    TrustManager[] trust = null;
    if (cfg.insecureSkipVerify()) {
      trust = new TrustManager[] {new TrustingManager()};
      f.setEndpointIdentificationAlgorithm(null);
    } else {
      String caPem = !cfg.ca().isEmpty() ? cfg.ca() : cfg.caFile().isEmpty() ? null : Files.readString(Path.of(cfg.caFile()));
      if (caPem != null) {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        int i = 0;
        for (Certificate c : certificates(caPem, "CA")) {
          store.setCertificateEntry("ca" + i++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        trust = tmf.getTrustManagers();
      }
    }
    KeyManager[] keys = null;
    if (cfg.usesClientCertificate()) {
      String certPem = !cfg.cert().isEmpty() ? cfg.cert() : Files.readString(Path.of(cfg.certFile()));
      String keyPem = cfg.key() != null ? cfg.key().value() : Files.readString(Path.of(cfg.keyFile()));
      List<Certificate> chain = new ArrayList<>(certificates(certPem, "client certificate"));
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("client", privateKey(keyPem), NO_PASSWORD, chain.toArray(new Certificate[0]));
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(store, NO_PASSWORD);
      keys = kmf.getKeyManagers();
    }
    // Our own context: the CA list replaces the JDK's default trust (as Go's RootCAs does), and
    // the client key needs no keystore file.
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys, trust, null);
    f.setSslContext(context);
    if (!cfg.serverName().isEmpty()) {
      SNIHostName name = new SNIHostName(cfg.serverName());
      f.setSNIProvider((engine, serverNames) -> List.of(name));
    }
    TlsVersion min = cfg.minVersion() == null ? TlsVersion.TLS12 : cfg.minVersion();
    TlsVersion max = cfg.maxVersion() == null ? TlsVersion.TLS13 : cfg.maxVersion();
    List<String> protocols = new ArrayList<>();
    for (TlsVersion v : TlsVersion.values()) {
      if (v.compareTo(min) >= 0 && v.compareTo(max) <= 0) {
        protocols.add(v.jsseName());
      }
    }
    f.setIncludeProtocols(protocols.toArray(new String[0]));
    return f;
  }

  /** insecure_skip_verify: any server certificate is accepted. */
  private static final class TrustingManager implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }

  private static Collection<? extends Certificate> certificates(String pem, String what)
      throws GeneralSecurityException {
    Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509")
        .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    if (certs.isEmpty()) {
      throw new GeneralSecurityException("no PEM certificate found in " + what);
    }
    return certs;
  }

  /** A PEM private key: PKCS#8 ("PRIVATE KEY", RSA, EC or Ed25519) or PKCS#1 ("RSA PRIVATE KEY"). */
  static PrivateKey privateKey(String pem) throws GeneralSecurityException {
    boolean pkcs1 = pem.contains("-----BEGIN RSA PRIVATE KEY-----");
    String marker = pkcs1 ? "RSA PRIVATE KEY" : "PRIVATE KEY";
    int begin = pem.indexOf("-----BEGIN " + marker + "-----");
    int end = pem.indexOf("-----END " + marker + "-----");
    if (begin < 0 || end < begin) {
      throw new GeneralSecurityException("no PKCS#8 or PKCS#1 RSA private key in PEM "
          + "(convert EC keys with: openssl pkcs8 -topk8 -nocrypt)");
    }
    String body = pem.substring(begin + marker.length() + 16, end).replaceAll("\\s", "");
    byte[] der = Base64.getDecoder().decode(body);
    if (pkcs1) {
      der = wrapPkcs1(der);
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    }
    GeneralSecurityException last = null;
    for (String alg : new String[] {"RSA", "EC", "Ed25519", "EdDSA"}) {
      try {
        return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        last = e;
      }
    }
    throw new GeneralSecurityException("unsupported private key: " + last.getMessage(), last);
  }

  /** PKCS#8 PrivateKeyInfo around a PKCS#1 RSAPrivateKey: version 0, rsaEncryption, the key. */
  private static byte[] wrapPkcs1(byte[] pkcs1) {
    byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01,
        0x01, 0x05, 0x00};
    byte[] version = {0x02, 0x01, 0x00};
    byte[] octets = derTlv(0x04, pkcs1);
    byte[] content = new byte[version.length + algorithm.length + octets.length];
    System.arraycopy(version, 0, content, 0, version.length);
    System.arraycopy(algorithm, 0, content, version.length, algorithm.length);
    System.arraycopy(octets, 0, content, version.length + algorithm.length, octets.length);
    return derTlv(0x30, content);
  }

  private static byte[] derTlv(int tag, byte[] content) {
    int n = content.length;
    int lenBytes = n < 0x80 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : 4;
    byte[] out = new byte[1 + lenBytes + n];
    out[0] = (byte) tag;
    if (lenBytes == 1) {
      out[1] = (byte) n;
    } else {
      out[1] = (byte) (0x80 | (lenBytes - 1));
      for (int i = 0; i < lenBytes - 1; i++) {
        out[2 + i] = (byte) (n >>> (8 * (lenBytes - 2 - i)));
      }
    }
    System.arraycopy(content, 0, out, 1 + lenBytes, n);
    return out;
  }
}
