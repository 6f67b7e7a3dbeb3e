package io.vigil.web;

import java.util.Set;

/**
 * One routing entry.
 *
 * @param methods allowed HTTP methods; any other gets 405
 * @param pattern an exact path ("/api/v1/query"), a prefix ending in "/*" ("/metrics/job/*"), or a
 *     path with one-segment parameters in braces ("/api/v1/label/{name}/values")
 * @param handlerName the value of the {@code handler} label in HTTP metrics (the pattern, as
 *     Prometheus labels its handlers)
 * @param role what the caller must be allowed to do
 */
public record Route(Set<String> methods, String pattern, String handlerName, Role role, Endpoint endpoint) {
  public Route {
    methods = Set.copyOf(methods);
  }
}
