package io.vigil.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code Authorization} header for outgoing requests: {@code <type> <credentials>}, the
 * credentials given inline or read from a file (at most one of the two). The legacy
 * {@code bearer_token} and {@code bearer_token_file} fields are turned into this, type Bearer, as in
 * Prometheus.
 *
 * @param type the scheme, default {@code Bearer}; never {@code Basic} (use basic_auth)
 * @param credentials inline credentials, or null
 * @param credentialsFile file holding the credentials (resolved), or ""
 */
public record Authorization(String type, Secret credentials, String credentialsFile) {
  public static final String DEFAULT_TYPE = "Bearer";

  Map<String, Object> render() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", type);
    if (credentials != null) {
      m.put("credentials", credentials);
    }
    BasicAuth.putIfSet(m, "credentials_file", credentialsFile);
    return m;
  }
}
