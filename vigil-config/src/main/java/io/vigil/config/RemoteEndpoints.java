package io.vigil.config;

import io.vigil.model.LabelNames;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Checks shared by remote write and remote read endpoints: the URL and custom headers. */
final class RemoteEndpoints {
  /** Headers Prometheus will not let users set, because the protocol or HTTP itself owns them. */
  private static final Set<String> RESERVED_HEADERS = Set.of("host", "content-encoding", "content-length",
      "content-type", "user-agent", "connection", "keep-alive", "proxy-authenticate", "proxy-authorization",
      "www-authenticate", "accept-encoding", "x-prometheus-remote-write-version",
      "x-prometheus-remote-read-version", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256");

  private RemoteEndpoints() {}

  /** The url field: required, an absolute http or https URL. */
  static String url(MappingReader r, String section) {
    String url = r.string("url", "");
    if (url.isEmpty()) {
      r.error("url for " + section + " is empty");
      return "";
    }
    try {
      URI u = new URI(url);
      if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
          || u.getHost() == null) {
        r.error("url", "url for " + section + " must be an absolute http or https URL, got " + LabelNames.quote(url));
      }
    } catch (URISyntaxException e) {
      r.error("url", "invalid URL " + LabelNames.quote(url) + ": " + e.getReason());
    }
    return url;
  }

  static Map<String, String> headers(MappingReader r) {
    Map<String, String> headers = r.stringMap("headers");
    for (String name : headers.keySet()) {
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.equals("authorization")) {
        r.error("headers", "authorization header must be changed via the basic_auth, authorization, oauth2, "
            + "sigv4, azuread or google_iam parameter");
      } else if (RESERVED_HEADERS.contains(lower)) {
        r.error("headers", name + " is a reserved header. It must not be changed");
      }
    }
    return headers;
  }

  /** The URL with any password replaced by {@code xxxxx}, as Prometheus renders it. */
  static String redacted(String url) {
    try {
      URI u = new URI(url);
      String info = u.getRawUserInfo();
      if (info == null || !info.contains(":") || u.getRawAuthority() == null) {
        return url;
      }
      String authority = u.getRawAuthority();
      StringBuilder sb = new StringBuilder(url.length()).append(u.getScheme()).append("://")
          .append(info, 0, info.indexOf(':')).append(":xxxxx@")
          .append(authority, authority.lastIndexOf('@') + 1, authority.length());
      if (u.getRawPath() != null) {
        sb.append(u.getRawPath());
      }
      if (u.getRawQuery() != null) {
        sb.append('?').append(u.getRawQuery());
      }
      if (u.getRawFragment() != null) {
        sb.append('#').append(u.getRawFragment());
      }
      return sb.toString();
    } catch (URISyntaxException e) {
      return url; // already reported when read
    }
  }
}
