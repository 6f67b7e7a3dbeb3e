package io.vigil.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouterTest {
  private final Endpoint noop = ex -> {};
  private final Router router = new Router()
      .getOrPost("/api/v1/query", Role.READ, noop)
      .get("/api/v1/label/{name}/values", Role.READ, noop)
      .add(Set.of("PUT", "POST", "DELETE"), "/metrics/job/*", Role.WRITE, noop)
      .get("/metrics", Role.READ, noop);

  @Test
  void exactPathsAndMethods() {
    assertThat(router.match("POST", "/api/v1/query")).isInstanceOf(Router.Found.class);
    assertThat(router.match("DELETE", "/api/v1/query"))
        .isEqualTo(new Router.MethodNotAllowed(Set.of("GET", "POST"), "/api/v1/query"));
    assertThat(router.match("GET", "/api/v1/queryx")).isInstanceOf(Router.NotFound.class);
  }

  @Test
  void parametersCaptureOneSegment() {
    var m = (Router.Found) router.match("GET", "/api/v1/label/job/values");
    assertThat(m.params()).isEqualTo(Map.of("name", "job"));
    assertThat(router.match("GET", "/api/v1/label//values")).isInstanceOf(Router.NotFound.class);
    assertThat(router.match("GET", "/api/v1/label/a/b/values")).isInstanceOf(Router.NotFound.class);
  }

  @Test
  void prefixesDoNotSwallowExactPaths() {
    assertThat(((Router.Found) router.match("PUT", "/metrics/job/x/instance/y")).route().pattern())
        .isEqualTo("/metrics/job/*");
    assertThat(((Router.Found) router.match("GET", "/metrics")).route().pattern()).isEqualTo("/metrics");
    assertThat(router.match("GET", "/metrics/job/x")).isInstanceOf(Router.MethodNotAllowed.class);
  }
}
