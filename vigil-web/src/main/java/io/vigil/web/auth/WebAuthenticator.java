package io.vigil.web.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.vigil.config.TokenEntry;
import io.vigil.config.WebConfig;
import io.vigil.web.Authenticator;
import io.vigil.web.HttpExchange;
import io.vigil.web.HttpStatusException;
import io.vigil.web.Role;
import io.vigil.web.Tenant;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks the web configuration's credentials: bearer tokens (by SHA-256, with roles and an optional
 * tenant) and basic-auth users (bcrypt, as Prometheus's exporter-toolkit). Basic-auth users may do
 * everything, as in Prometheus where basic auth is all or nothing; tokens only what their roles
 * list. Without users and tokens in the web config, everything is allowed. Thread-safe.
 */
public final class WebAuthenticator implements Authenticator {
  /**
   * bcrypt costs ~50-100 ms per check by design; a client sending the same correct password on
   * every scrape would otherwise burn a core. Successful checks are remembered (keyed by user and a
   * digest of the password, never the password), at most this many; failures are never cached.
   */
  private static final int MAX_CACHED_SUCCESSES = 1024;
  /**
   * Compared against for unknown users, so response time does not reveal which users exist. In a
   * holder class: hashing it costs ~0.1 s, which every start paid before the first login attempt.
   */
  private static final class DummyHash {
    static final byte[] VALUE = BCrypt.withDefaults().hash(10, "no such user".toCharArray());
  }

  private final WebConfig config;
  private final String challenge;
  private final Map<String, Boolean> verified = new ConcurrentHashMap<>();

  public WebAuthenticator(WebConfig config) {
    this.config = config;
    StringBuilder c = new StringBuilder();
    if (!config.basicAuthUsers().isEmpty()) {
      c.append("Basic realm=\"vigil\"");
    }
    if (!config.tokens().isEmpty()) {
      c.append(c.isEmpty() ? "" : ", ").append("Bearer realm=\"vigil\"");
    }
    challenge = c.toString();
  }

  @Override
  public void authorize(HttpExchange exchange, Role role) {
    if (role == Role.OPEN || !config.requiresAuthentication()) {
      return;
    }
    String header = exchange.header("Authorization");
    if (header == null || header.isBlank()) {
      throw unauthorized(exchange, "Unauthorized: credentials required");
    }
    if (hasScheme(header, "Bearer") && !config.tokens().isEmpty()) {
      TokenEntry token = config.findToken(header.substring(7).trim())
          .orElseThrow(() -> unauthorized(exchange, "Unauthorized: unknown token"));
      if (!token.hasRole(toConfigRole(role))) {
        throw new HttpStatusException(403, "Forbidden: token \"" + token.name() + "\" lacks the "
            + role.name().toLowerCase() + " role");
      }
      if (token.tenant() != null) {
        exchange.setAttribute(Tenant.class, new Tenant(token.tenant().label(), token.tenant().value()));
      }
      return;
    }
    if (hasScheme(header, "Basic") && !config.basicAuthUsers().isEmpty()) {
      if (checkBasic(header.substring(6).trim())) {
        return;
      }
      throw unauthorized(exchange, "Unauthorized: bad user or password");
    }
    throw unauthorized(exchange, "Unauthorized: unsupported authorization scheme");
  }

  private boolean checkBasic(String encoded) {
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return false;
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return false;
    }
    String user = decoded.substring(0, colon);
    String password = decoded.substring(colon + 1);
    String hash = config.basicAuthUsers().get(user);
    String cacheKey = user + '\0' + WebConfig.sha256Hex(password);
    if (hash != null && verified.containsKey(cacheKey)) {
      return true;
    }
    byte[] pw = password.getBytes(StandardCharsets.UTF_8);
    boolean ok = BCrypt.verifyer().verify(pw, hash == null ? DummyHash.VALUE : hash.getBytes(StandardCharsets.US_ASCII)).verified
        && hash != null;
    if (ok) {
      if (verified.size() >= MAX_CACHED_SUCCESSES) {
        verified.clear();
      }
      verified.put(cacheKey, Boolean.TRUE);
    }
    return ok;
  }

  private HttpStatusException unauthorized(HttpExchange exchange, String message) {
    exchange.setHeader("WWW-Authenticate", challenge);
    return new HttpStatusException(401, message);
  }

  private static boolean hasScheme(String header, String scheme) {
    return header.length() > scheme.length() && header.regionMatches(true, 0, scheme, 0, scheme.length())
        && header.charAt(scheme.length()) == ' ';
  }

  private static TokenEntry.Role toConfigRole(Role role) {
    return switch (role) {
      case READ -> TokenEntry.Role.READ;
      case WRITE -> TokenEntry.Role.WRITE;
      case ADMIN -> TokenEntry.Role.ADMIN;
      case OPEN -> throw new IllegalArgumentException("open endpoints need no role");
    };
  }
}
