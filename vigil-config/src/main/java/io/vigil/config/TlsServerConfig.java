package io.vigil.config;

import java.util.List;
import java.util.Set;

/**
 * HTTPS for Vigil's own listener ({@code tls_server_config} of the web configuration file, in
 * Prometheus exporter-toolkit's format). Paths are resolved against the web configuration file's
 * directory; the files themselves are read by the HTTP layer, which re-reads them per connection so
 * certificates can be rotated.
 *
 * @param certFile server certificate (PEM); required
 * @param keyFile its private key (PEM); required
 * @param clientAuthType client certificate policy; default NoClientCert
 * @param clientCaFile CAs that client certificates must chain to, or ""
 * @param minVersion default TLS12
 * @param maxVersion default TLS13
 * @param cipherSuites IANA names (the same in Go and Java) for TLS 1.2 and below; empty: the JDK's
 * @param preferServerCipherSuites default true
 * @param curvePreferences empty: the JDK's defaults
 */
public record TlsServerConfig(
    String certFile,
    String keyFile,
    ClientAuthType clientAuthType,
    String clientCaFile,
    TlsVersion minVersion,
    TlsVersion maxVersion,
    List<String> cipherSuites,
    boolean preferServerCipherSuites,
    List<TlsCurve> curvePreferences) {

  /** The suites Go (and so exporter-toolkit) calls secure; anything else is refused there too. */
  static final Set<String> CIPHER_SUITES = Set.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
      "TLS_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
      "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");

  public TlsServerConfig {
    cipherSuites = List.copyOf(cipherSuites);
    curvePreferences = List.copyOf(curvePreferences);
  }

  /** The section, or null when it enables nothing (plain HTTP). */
  static TlsServerConfig read(MappingReader r, ReadContext ctx) {
    for (String inline : List.of("cert", "key", "client_ca")) {
      if (r.has(inline)) {
        r.error(inline, "inline certificates and keys are not supported by Vigil; use " + inline + "_file");
      }
      r.take(inline);
    }
    if (r.has("client_allowed_sans")) {
      r.error("client_allowed_sans", "client_allowed_sans is not supported by Vigil yet");
    }
    r.take("client_allowed_sans");
    String certFile = ctx.resolve(r.string("cert_file", ""));
    String keyFile = ctx.resolve(r.string("key_file", ""));
    String clientAuthName = r.string("client_auth_type", "");
    ClientAuthType clientAuth = ClientAuthType.NO_CLIENT_CERT;
    try {
      clientAuth = ClientAuthType.parse(clientAuthName);
    } catch (IllegalArgumentException e) {
      r.error("client_auth_type", e.getMessage());
    }
    String clientCaFile = ctx.resolve(r.string("client_ca_file", ""));
    TlsVersion min = TlsVersion.read(r, "min_version");
    TlsVersion max = TlsVersion.read(r, "max_version");
    List<String> ciphers = r.list("cipher_suites", (n, path) -> {
      String s = Values.string(n, path, ctx.problems());
      if (s != null && !CIPHER_SUITES.contains(s)) {
        ctx.problems().error(n, path, "unknown cipher: " + s);
        return null;
      }
      return s;
    });
    boolean preferServer = r.bool("prefer_server_cipher_suites", true);
    List<TlsCurve> curves = r.list("curve_preferences", (n, path) -> {
      String s = Values.string(n, path, ctx.problems());
      try {
        return s == null ? null : TlsCurve.parse(s);
      } catch (IllegalArgumentException e) {
        ctx.problems().error(n, path, e.getMessage());
        return null;
      }
    });
    boolean enabled = !certFile.isEmpty() || !keyFile.isEmpty() || !clientCaFile.isEmpty() || !clientAuthName.isEmpty();
    if (!enabled) {
      return null;
    }
    if (certFile.isEmpty()) {
      r.error("missing one of cert or cert_file");
    }
    if (keyFile.isEmpty()) {
      r.error("missing one of key or key_file");
    }
    if (!clientCaFile.isEmpty() && clientAuth == ClientAuthType.NO_CLIENT_CERT) {
      r.error("client_ca_file", "client CA's have been configured without a Client Auth Policy");
    }
    TlsVersion minVersion = min == null ? TlsVersion.TLS12 : min;
    TlsVersion maxVersion = max == null ? TlsVersion.TLS13 : max;
    if (minVersion.compareTo(maxVersion) > 0) {
      r.error(min == null ? "max_version" : "min_version", "min_version " + minVersion + " is greater than max_version " + maxVersion);
    }
    return new TlsServerConfig(certFile, keyFile, clientAuth, clientCaFile, minVersion, maxVersion, ciphers,
        preferServer, curves);
  }
}
