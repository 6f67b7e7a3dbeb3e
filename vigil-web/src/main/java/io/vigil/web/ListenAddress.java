package io.vigil.web;

/**
 * A listen address in Go's form, as Prometheus flags take it: {@code host:port}, {@code :port}
 * (all interfaces) or {@code [v6addr]:port}. Port 0 asks the OS for a free port (tests).
 *
 * @param host null for all interfaces
 */
public record ListenAddress(String host, int port) {
  public static ListenAddress parse(String s) {
    int colon = s.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("address " + s + ": missing port in address");
    }
    String host = s.substring(0, colon);
    String portText = s.substring(colon + 1);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw new IllegalArgumentException("address " + s + ": too many colons in address");
    }
    int port;
    try {
      port = Integer.parseInt(portText);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("address " + s + ": invalid port \"" + portText + "\"");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("address " + s + ": invalid port " + port);
    }
    return new ListenAddress(host.isEmpty() ? null : host, port);
  }

  @Override
  public String toString() {
    if (host == null) {
      return ":" + port;
    }
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
