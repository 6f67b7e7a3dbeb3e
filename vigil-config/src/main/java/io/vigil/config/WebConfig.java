package io.vigil.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The web configuration file ({@code --web.config.file}): Prometheus exporter-toolkit's format plus
 * Vigil's bearer tokens. Records only; the HTTP layer enforces them. Immutable and thread-safe.
 *
 * @param tlsServerConfig HTTPS settings, or null to serve plain HTTP
 * @param httpServerConfig HTTP/2 and extra response headers
 * @param basicAuthUsers user name to bcrypt hash of the password, in file order
 * @param tokens bearer tokens with their roles and tenants
 * @param warnings accepted but unsupported settings, for callers to log
 */
public record WebConfig(
    TlsServerConfig tlsServerConfig,
    HttpServerConfig httpServerConfig,
    Map<String, String> basicAuthUsers,
    List<TokenEntry> tokens,
    List<ConfigError> warnings) {

  /** No TLS, no authentication: what Vigil runs with when no web configuration file is given. */
  public static final WebConfig NONE = new WebConfig(null, HttpServerConfig.DEFAULT, Map.of(), List.of(), List.of());

  public WebConfig {
    basicAuthUsers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(basicAuthUsers));
    tokens = List.copyOf(tokens);
    warnings = List.copyOf(warnings);
  }

  /** Whether requests must authenticate (basic auth users or tokens are configured). */
  public boolean requiresAuthentication() {
    return !basicAuthUsers.isEmpty() || !tokens.isEmpty();
  }

  /**
   * The entry for a presented bearer token, or empty. Compares SHA-256 digests in constant time and
   * checks every entry, so the time taken does not reveal which entry was close.
   */
  public Optional<TokenEntry> findToken(String presentedToken) {
    byte[] digest = sha256(presentedToken);
    TokenEntry found = null;
    for (TokenEntry t : tokens) {
      if (MessageDigest.isEqual(digest, HexFormat.of().parseHex(t.sha256())) && found == null) {
        found = t;
      }
    }
    return Optional.ofNullable(found);
  }

  /** The lowercase hex SHA-256 of a token, as the {@code sha256} field holds it. */
  public static String sha256Hex(String token) {
    return HexFormat.of().formatHex(sha256(token));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }

  static WebConfig read(YamlNode root, ReadContext ctx) {
    Problems p = ctx.problems();
    MappingReader r = MappingReader.of(root, "", p);
    TlsServerConfig tls = r.object("tls_server_config", t -> TlsServerConfig.read(t, ctx));
    HttpServerConfig http = r.object("http_server_config", HttpServerConfig::read);
    r.ignore("rate_limit", "rate_limit is not supported by Vigil yet and is ignored");
    Map<String, String> users = r.stringMap("basic_auth_users");
    users.forEach((user, hash) -> {
      if (!isBcryptHash(hash)) {
        p.error(((YamlNode.Mapping) r.at("basic_auth_users")).get(user).value(), r.path("basic_auth_users") + "."
            + user, "not a bcrypt hash: expected $2a$, $2b$ or $2y$, a two-digit cost from 04 to 31, '$' and 53 "
            + "characters of salt and hash");
      }
    });
    List<TokenEntry> tokens = r.list("tokens", (n, path) -> TokenEntry.read(n, path, p));
    Config.checkUnique(r.at("tokens"), "name", "token name %s already used by tokens[%d]", p, "tokens");
    checkUniqueHashes(r.at("tokens"), tokens, p);
    r.finish();
    return new WebConfig(tls, http, users, tokens, p.warnings());
  }

  /** What Go's bcrypt.Cost accepts: {@code $2a$10$} followed by 53 characters of salt and hash. */
  static boolean isBcryptHash(String h) {
    if (h.length() != 60 || h.charAt(0) != '$' || h.charAt(1) != '2' || h.charAt(3) != '$' || h.charAt(6) != '$') {
      return false;
    }
    char variant = h.charAt(2);
    if (variant != 'a' && variant != 'b' && variant != 'y') {
      return false;
    }
    if (!Character.isDigit(h.charAt(4)) || !Character.isDigit(h.charAt(5))) {
      return false;
    }
    int cost = Integer.parseInt(h.substring(4, 6));
    if (cost < 4 || cost > 31) {
      return false;
    }
    for (int i = 7; i < 60; i++) {
      char c = h.charAt(i);
      boolean base64 = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
          || c == '/';
      if (!base64) {
        return false;
      }
    }
    return true;
  }

  /** Two entries with one hash would make a token's identity ambiguous. Hashes are compared normalised. */
  private static void checkUniqueHashes(YamlNode listNode, List<TokenEntry> tokens, Problems p) {
    if (!(listNode instanceof YamlNode.Sequence seq)) {
      return;
    }
    Map<String, Integer> first = new HashMap<>();
    for (int i = 0; i < seq.items().size(); i++) {
      if (seq.items().get(i) instanceof YamlNode.Mapping m && m.get("sha256") != null
          && m.get("sha256").value() instanceof YamlNode.Scalar s && !s.isNull()) {
        Integer earlier = first.putIfAbsent(s.text().toLowerCase(java.util.Locale.ROOT), i);
        if (earlier != null) {
          p.error(s, "tokens[" + i + "].sha256", "same token hash as tokens[" + earlier + "]");
        }
      }
    }
  }
}
