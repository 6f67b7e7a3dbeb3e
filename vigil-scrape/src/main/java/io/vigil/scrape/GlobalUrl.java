package io.vigil.scrape;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * The externally reachable form of a scrape URL (Prometheus's {@code getGlobalURL}): a loopback host
 * cannot be reached from elsewhere, so it is replaced by the external URL's host; when the port is
 * this server's own, the target is this server and scheme, host and port all become the external
 * URL's.
 */
final class GlobalUrl {
  private GlobalUrl() {}

  static String of(String scheme, String address, String pathAndQuery, URI externalUrl, int ownPort) {
    String host;
    String port;
    int colon = address.lastIndexOf(':');
    if (colon < 0 || address.endsWith("]")) {
      return scheme + "://" + address + pathAndQuery;
    }
    host = address.substring(0, colon);
    port = address.substring(colon + 1);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (!host.equals("127.0.0.1") && !host.equals("localhost") && !host.equals("::1")) {
      return scheme + "://" + address + pathAndQuery;
    }
    String extHost = externalUrl.getHost() == null ? "localhost" : externalUrl.getHost();
    if (port.equals(Integer.toString(ownPort))) {
      int extPort = externalUrl.getPort();
      String hostPort = extPort < 0 ? extHost : extHost + ":" + extPort;
      return externalUrl.getScheme() + "://" + hostPort + pathAndQuery;
    }
    return scheme + "://" + extHost + ":" + port + pathAndQuery;
  }

  /** The machine's host name, as Prometheus's default external URL uses it; "localhost" if unknown. */
  static String localHostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
