package io.vigil.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * TLS settings for outgoing connections (Prometheus's {@code tls_config}). The CA, client
 * certificate and client key may each be given inline or as a file, not both; a client certificate
 * needs a key and vice versa. File paths are resolved against the configuration file's directory.
 * "" means unset for strings, null for the versions.
 */
public record TlsConfig(
    String ca,
    String caFile,
    String cert,
    String certFile,
    Secret key,
    String keyFile,
    String serverName,
    boolean insecureSkipVerify,
    TlsVersion minVersion,
    TlsVersion maxVersion) {

  public static final TlsConfig NONE = new TlsConfig("", "", "", "", null, "", "", false, null, null);

  public boolean usesClientCertificate() {
    return !cert.isEmpty() || !certFile.isEmpty();
  }

  static TlsConfig read(MappingReader r, ReadContext ctx) {
    TlsConfig t = new TlsConfig(r.string("ca", ""), ctx.resolve(r.string("ca_file", "")), r.string("cert", ""),
        ctx.resolve(r.string("cert_file", "")), r.secret("key"), ctx.resolve(r.string("key_file", "")),
        r.string("server_name", ""), r.bool("insecure_skip_verify", false),
        TlsVersion.read(r, "min_version"), TlsVersion.read(r, "max_version"));
    if (!t.ca.isEmpty() && !t.caFile.isEmpty()) {
      r.error("ca_file", "at most one of ca, ca_file & ca_ref must be configured");
    }
    if (!t.cert.isEmpty() && !t.certFile.isEmpty()) {
      r.error("cert_file", "at most one of cert, cert_file & cert_ref must be configured");
    }
    boolean usesKey = t.key != null || !t.keyFile.isEmpty();
    if (t.key != null && !t.keyFile.isEmpty()) {
      r.error("key_file", "at most one of key and key_file must be configured");
    } else if (t.usesClientCertificate() && !usesKey) {
      r.error("exactly one of key or key_file must be configured when a client certificate is configured");
    } else if (usesKey && !t.usesClientCertificate()) {
      r.error("exactly one of cert or cert_file must be configured when a client key is configured");
    }
    if (t.minVersion != null && t.maxVersion != null && t.maxVersion.compareTo(t.minVersion) < 0) {
      r.error("max_version",
          "tls_config.max_version must be greater than or equal to tls_config.min_version if both are specified");
    }
    return t;
  }

  Map<String, Object> render() {
    Map<String, Object> m = new LinkedHashMap<>();
    BasicAuth.putIfSet(m, "ca", ca);
    BasicAuth.putIfSet(m, "cert", cert);
    if (key != null) {
      m.put("key", key);
    }
    BasicAuth.putIfSet(m, "ca_file", caFile);
    BasicAuth.putIfSet(m, "cert_file", certFile);
    BasicAuth.putIfSet(m, "key_file", keyFile);
    BasicAuth.putIfSet(m, "server_name", serverName);
    m.put("insecure_skip_verify", insecureSkipVerify);
    if (minVersion != null) {
      m.put("min_version", minVersion.name());
    }
    if (maxVersion != null) {
      m.put("max_version", maxVersion.name());
    }
    return m;
  }
}
