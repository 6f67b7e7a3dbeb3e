package io.vigil.config;

import io.vigil.model.LabelNames;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;

/**
 * How to make outgoing HTTP requests (Prometheus's HTTP client settings, inlined in scrape,
 * Alertmanager, remote write and remote read configurations): authentication, TLS, redirects,
 * HTTP/2 and proxy. At most one authentication method is set; the legacy {@code bearer_token} and
 * {@code bearer_token_file} fields arrive as an {@link Authorization} of type Bearer.
 *
 * @param basicAuth basic authentication, or null
 * @param authorization Authorization header credentials, or null
 * @param tlsConfig TLS settings, {@link TlsConfig#NONE} when not configured
 * @param followRedirects whether 3xx responses are followed; default true
 * @param enableHttp2 whether HTTP/2 may be used; default true (false for remote write)
 * @param proxyUrl proxy for all requests, or ""
 * @param noProxy comma-separated hosts that bypass the proxy, or ""
 * @param proxyFromEnvironment use HTTP_PROXY/HTTPS_PROXY/NO_PROXY from the environment
 */
public record HttpClientConfig(
    BasicAuth basicAuth,
    Authorization authorization,
    TlsConfig tlsConfig,
    boolean followRedirects,
    boolean enableHttp2,
    String proxyUrl,
    String noProxy,
    boolean proxyFromEnvironment) {

  public static final HttpClientConfig DEFAULT =
      new HttpClientConfig(null, null, TlsConfig.NONE, true, true, "", "", false);

  static HttpClientConfig read(MappingReader r, ReadContext ctx, boolean defaultHttp2) {
    boolean hasBasicAuth = r.has("basic_auth");
    boolean hasAuthorization = r.has("authorization");
    boolean hasOauth2 = r.has("oauth2");
    BasicAuth basicAuth = hasBasicAuth ? r.object("basic_auth", b -> BasicAuth.read(b, ctx)) : null;
    Authorization authorization = hasAuthorization ? r.object("authorization", a -> readAuthorization(a, ctx)) : null;
    r.take("basic_auth");
    r.take("authorization");
    r.ignore("oauth2", "oauth2 is not supported by Vigil yet; requests are sent without it");
    r.ignore("http_headers", "http_headers is not supported by Vigil yet; the headers are not sent");
    r.ignore("proxy_connect_header", "proxy_connect_header is not supported by Vigil yet");
    Secret bearerToken = r.secret("bearer_token");
    String bearerTokenFile = ctx.resolve(r.string("bearer_token_file", ""));
    TlsConfig tls = r.has("tls_config") ? r.object("tls_config", t -> TlsConfig.read(t, ctx)) : TlsConfig.NONE;
    r.take("tls_config");
    boolean followRedirects = r.bool("follow_redirects", true);
    boolean enableHttp2 = r.bool("enable_http2", defaultHttp2);
    String proxyUrl = r.string("proxy_url", "");
    String noProxy = r.string("no_proxy", "");
    boolean proxyFromEnvironment = r.bool("proxy_from_environment", false);

    boolean hasBearer = bearerToken != null || !bearerTokenFile.isEmpty();
    if (bearerToken != null && !bearerTokenFile.isEmpty()) {
      r.error("bearer_token_file", "at most one of bearer_token & bearer_token_file must be configured");
    } else if ((hasBasicAuth || hasOauth2) && hasBearer) {
      r.error(bearerToken != null ? "bearer_token" : "bearer_token_file",
          "at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured");
    }
    if (authorization != null) {
      if (hasBearer) {
        r.error("authorization", "authorization is not compatible with bearer_token & bearer_token_file");
      } else if (hasBasicAuth || hasOauth2) {
        r.error("authorization", "at most one of basic_auth, oauth2 & authorization must be configured");
      }
    } else if (bearerToken != null) {
      authorization = new Authorization(Authorization.DEFAULT_TYPE, bearerToken, "");
    } else if (!bearerTokenFile.isEmpty()) {
      authorization = new Authorization(Authorization.DEFAULT_TYPE, null, bearerTokenFile);
    }
    if (!proxyUrl.isEmpty()) {
      try {
        new URI(proxyUrl);
      } catch (URISyntaxException e) {
        r.error("proxy_url", "invalid URL " + LabelNames.quote(proxyUrl) + ": " + e.getReason());
      }
    }
    if (proxyFromEnvironment && !proxyUrl.isEmpty()) {
      r.error("proxy_url", "if proxy_from_environment is configured, proxy_url must not be configured");
    } else if (proxyFromEnvironment && !noProxy.isEmpty()) {
      r.error("no_proxy", "if proxy_from_environment is configured, no_proxy must not be configured");
    } else if (proxyUrl.isEmpty() && !noProxy.isEmpty()) {
      r.error("no_proxy", "if no_proxy is configured, proxy_url must also be configured");
    }
    return new HttpClientConfig(basicAuth, authorization, tls, followRedirects, enableHttp2, proxyUrl, noProxy,
        proxyFromEnvironment);
  }

  private static Authorization readAuthorization(MappingReader r, ReadContext ctx) {
    String type = r.string("type", "").strip();
    Secret credentials = r.secret("credentials");
    String file = ctx.resolve(r.string("credentials_file", ""));
    if (credentials != null && !file.isEmpty()) {
      r.error("credentials_file", "at most one of authorization credentials & credentials_file must be configured");
    }
    if (type.isEmpty()) {
      type = Authorization.DEFAULT_TYPE;
    }
    if (type.equalsIgnoreCase("basic")) {
      r.error("type", "authorization type cannot be set to \"basic\", use \"basic_auth\" instead");
    }
    return new Authorization(type, credentials, file);
  }

  /** Whether any authentication is configured. */
  public boolean hasAuth() {
    return basicAuth != null || authorization != null;
  }

  /** Adds the fields in Prometheus's order to a configuration section being rendered. */
  void render(Map<String, Object> m) {
    if (basicAuth != null) {
      m.put("basic_auth", basicAuth.render());
    }
    if (authorization != null) {
      m.put("authorization", authorization.render());
    }
    if (!tlsConfig.equals(TlsConfig.NONE)) {
      m.put("tls_config", tlsConfig.render());
    }
    m.put("follow_redirects", followRedirects);
    m.put("enable_http2", enableHttp2);
    BasicAuth.putIfSet(m, "proxy_url", proxyUrl);
    BasicAuth.putIfSet(m, "no_proxy", noProxy);
    if (proxyFromEnvironment) {
      m.put("proxy_from_environment", true);
    }
  }
}
