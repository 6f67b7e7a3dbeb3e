package io.vigil.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HTTP basic authentication for outgoing requests. At most one of {@code username} and
 * {@code usernameFile}, and at most one of {@code password} and {@code passwordFile}, is set (""
 * and null mean unset). File paths are resolved against the configuration file's directory.
 */
public record BasicAuth(String username, String usernameFile, Secret password, String passwordFile) {
  static BasicAuth read(MappingReader r, ReadContext ctx) {
    BasicAuth a = new BasicAuth(r.string("username", ""), ctx.resolve(r.string("username_file", "")),
        r.secret("password"), ctx.resolve(r.string("password_file", "")));
    if (!a.username.isEmpty() && !a.usernameFile.isEmpty()) {
      r.error("username_file", "at most one of basic_auth username, username_file & username_ref must be configured");
    }
    if (a.password != null && !a.passwordFile.isEmpty()) {
      r.error("password_file", "at most one of basic_auth password, password_file & password_ref must be configured");
    }
    return a;
  }

  Map<String, Object> render() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("username", username);
    putIfSet(m, "username_file", usernameFile);
    if (password != null) {
      m.put("password", password);
    }
    putIfSet(m, "password_file", passwordFile);
    return m;
  }

  static void putIfSet(Map<String, Object> m, String key, String value) {
    if (!value.isEmpty()) {
      m.put(key, value);
    }
  }
}
