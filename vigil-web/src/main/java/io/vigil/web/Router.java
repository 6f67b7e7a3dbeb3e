package io.vigil.web;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Maps request paths to routes. Exact paths win over parameterised ones, which win over prefixes
 * (longest prefix first). Several routes may share a pattern with different methods. Built once
 * at startup, then read concurrently.
 */
public final class Router {
  private final List<Route> routes = new ArrayList<>();

  public Router add(Route route) {
    routes.add(route);
    routes.sort(Comparator.comparingInt(Router::rank).thenComparing(r -> -r.pattern().length()));
    return this;
  }

  public Router add(Set<String> methods, String pattern, Role role, Endpoint endpoint) {
    return add(new Route(methods, pattern, pattern, role, endpoint));
  }

  public Router get(String pattern, Role role, Endpoint endpoint) {
    return add(Set.of("GET"), pattern, role, endpoint);
  }

  public Router getOrPost(String pattern, Role role, Endpoint endpoint) {
    return add(Set.of("GET", "POST"), pattern, role, endpoint);
  }

  public List<Route> routes() {
    return List.copyOf(routes);
  }

  /** The result of routing one request. */
  public sealed interface Match {}

  /** A route accepts this path and method; {@code params} holds the {name} segments. */
  public record Found(Route route, Map<String, String> params) implements Match {}

  /** Routes exist for this path, but not for this method. */
  public record MethodNotAllowed(Set<String> allowed, String handlerName) implements Match {}

  public record NotFound() implements Match {}

  public Match match(String method, String path) {
    Set<String> allowed = new TreeSet<>();
    String handlerName = null;
    for (Route r : routes) {
      Map<String, String> params = matchPattern(r.pattern(), path);
      if (params == null) {
        continue;
      }
      if (r.methods().contains(method)) {
        return new Found(r, params);
      }
      allowed.addAll(r.methods());
      if (handlerName == null) {
        handlerName = r.handlerName();
      }
    }
    return allowed.isEmpty() ? new NotFound() : new MethodNotAllowed(allowed, handlerName);
  }

  private static int rank(Route r) {
    String p = r.pattern();
    if (p.endsWith("/*")) {
      return 2;
    }
    return p.contains("{") ? 1 : 0;
  }

  /** Null if the path does not match; else the captured parameters (empty for exact/prefix). */
  static Map<String, String> matchPattern(String pattern, String path) {
    if (pattern.endsWith("/*")) {
      String prefix = pattern.substring(0, pattern.length() - 1);
      return path.startsWith(prefix) || path.equals(prefix.substring(0, prefix.length() - 1)) ? Map.of() : null;
    }
    if (!pattern.contains("{")) {
      return pattern.equals(path) ? Map.of() : null;
    }
    String[] ps = pattern.split("/", -1);
    String[] xs = path.split("/", -1);
    if (ps.length != xs.length) {
      return null;
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < ps.length; i++) {
      if (ps[i].startsWith("{") && ps[i].endsWith("}")) {
        if (xs[i].isEmpty()) {
          return null;
        }
        params.put(ps[i].substring(1, ps[i].length() - 1), xs[i]);
      } else if (!ps[i].equals(xs[i])) {
        return null;
      }
    }
    return params;
  }
}
