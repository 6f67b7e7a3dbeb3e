package io.vigil.web;

/**
 * Decides whether a request may use an endpoint that needs a role. Implementations read the
 * Authorization header (tokens, basic auth) or the TLS client certificate; on success they may
 * attach what they learned (e.g. the tenant) to the exchange as an attribute.
 */
public interface Authenticator {
  /** Lets everything through: the default when no web config asks for authentication. */
  Authenticator ALLOW_ALL = (exchange, role) -> {};

  /**
   * @throws HttpStatusException 401 (no or unknown credentials; the authenticator sets
   *     WWW-Authenticate) or 403 (known caller without the role)
   */
  void authorize(HttpExchange exchange, Role role);
}
