package io.vigil.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.config.HttpServerConfig;
import io.vigil.config.TokenEntry;
import io.vigil.config.WebConfig;
import io.vigil.model.Labels;
import io.vigil.testkit.MemoryStorage;
import io.vigil.web.auth.WebAuthenticator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Roles on every push endpoint, and tenants that cannot see or overwrite each other's groups. */
class AccessTest {
  @TempDir
  Path dir;

  private static TokenEntry token(String name, TokenEntry.Tenant tenant, TokenEntry.Role... roles) {
    return new TokenEntry(name, WebConfig.sha256Hex(name + "-secret"), Set.of(roles), tenant);
  }

  private static final WebConfig CONFIG = new WebConfig(null, HttpServerConfig.DEFAULT, Map.of(), List.of(
      token("reader", null, TokenEntry.Role.READ),
      token("writer", null, TokenEntry.Role.WRITE),
      token("admin", null, TokenEntry.Role.ADMIN),
      token("teamA", new TokenEntry.Tenant("team", "a"), TokenEntry.Role.READ, TokenEntry.Role.WRITE, TokenEntry.Role.ADMIN),
      token("teamB", new TokenEntry.Tenant("team", "b"), TokenEntry.Role.READ, TokenEntry.Role.WRITE, TokenEntry.Role.ADMIN)),
      List.of());

  private record Case(String listener, String method, String path, String body, String allowed, String denied, int ok) {}

  private static Http.Response call(String base, String method, String path, String body, String token) {
    return token == null ? Http.send(method, base + path, body)
        : Http.send(method, base + path, body, "Authorization", "Bearer " + token + "-secret");
  }

  @Test
  void everyEndpointNeedsItsRole() throws Exception {
    try (PushServer s = PushServer.start(PushServer.options(dir), null, null, new WebAuthenticator(CONFIG))) {
      List<Case> cases = List.of(
          new Case("main", "PUT", "/metrics/job/j", "m 1\n", "writer", "reader", 200),
          new Case("main", "POST", "/metrics/job@base64/ag", "m 1\n", "writer", "reader", 200),
          new Case("main", "DELETE", "/metrics/job/j", null, "writer", "admin", 202),
          new Case("main", "GET", "/api/v1/metrics", null, "reader", "writer", 200),
          new Case("main", "GET", "/api/v1/status", null, "reader", "writer", 200),
          new Case("main", "PUT", "/api/v1/admin/wipe", null, "admin", "writer", 202),
          new Case("gateway", "PUT", "/metrics/job/j", "m 1\n", "writer", "reader", 200),
          new Case("gateway", "GET", "/metrics", null, "reader", "writer", 200),
          new Case("gateway", "GET", "/api/v1/metrics", null, "reader", "writer", 200),
          new Case("gateway", "PUT", "/api/v1/admin/wipe", null, "admin", "reader", 202));
      for (Case c : cases) {
        String base = c.listener().equals("main") ? s.mainUrl() : s.gatewayUrl();
        Http.Response none = call(base, c.method(), c.path(), c.body(), null);
        assertThat(none.status()).as("%s without credentials", c).isEqualTo(401);
        assertThat(none.header("WWW-Authenticate")).contains("Bearer");
        assertThat(call(base, c.method(), c.path(), c.body(), c.denied()).status()).as("%s as %s", c, c.denied())
            .isEqualTo(403);
        assertThat(call(base, c.method(), c.path(), c.body(), c.allowed()).status()).as("%s as %s", c, c.allowed())
            .isEqualTo(c.ok());
      }
      assertThat(Http.get(s.gatewayUrl() + "/-/healthy").status()).isEqualTo(200);
      assertThat(Http.get(s.gatewayUrl() + "/-/ready").body()).isEqualTo("OK");
    }
  }

  @Test
  void tenantsAreConfinedToTheirGroups() throws Exception {
    MemoryStorage storage = new MemoryStorage();
    try (PushServer s = PushServer.start(PushServer.options(dir), storage, Duration.ofHours(1), new WebAuthenticator(CONFIG))) {
      assertThat(call(s.mainUrl(), "PUT", "/metrics/job/backup", "restic_ok 1\n", "teamA").status()).isEqualTo(200);
      assertThat(call(s.mainUrl(), "PUT", "/metrics/job/backup", "restic_ok 2\n", "teamB").status()).isEqualTo(200);
      // a tenant cannot name another tenant's group: its own label wins, as grouping labels win over the body's
      assertThat(call(s.mainUrl(), "PUT", "/metrics/job/backup/team/b", "restic_ok 3\n", "teamA").status()).isEqualTo(200);
      assertThat(s.service.groupCount()).isEqualTo(2);
      JsonNode a = Json.parse(call(s.mainUrl(), "GET", "/api/v1/metrics", null, "teamA").body()).get("data");
      assertThat(a.size()).isEqualTo(1);
      assertThat(a.get(0).get("labels").toString()).isEqualTo("{\"job\":\"backup\",\"team\":\"a\"}");
      assertThat(a.get(0).get("restic_ok").get("metrics").get(0).get("value").asString()).isEqualTo("3");
      assertThat(call(s.gatewayUrl(), "GET", "/metrics", null, "teamB").body())
          .contains("restic_ok{instance=\"\",job=\"backup\",team=\"b\"} 2\n").doesNotContain("team=\"a\"");
      // the untenanted admin sees both
      assertThat(Json.parse(call(s.mainUrl(), "GET", "/api/v1/metrics", null, "reader").body()).get("data").size()).isEqualTo(2);
      // stored series carry the tenant label
      assertThat(Stored.series(storage, Labels.of("__name__", "restic_ok", "job", "backup", "team", "b")).getLast().v())
          .isEqualTo(2);
      // delete and wipe reach only the caller's groups
      assertThat(call(s.mainUrl(), "DELETE", "/metrics/job/backup", null, "teamA").status()).isEqualTo(202);
      assertThat(s.service.groups()).extracting(g -> g.groupingKey().get("team")).containsExactly("b");
      assertThat(call(s.mainUrl(), "PUT", "/metrics/job/other", "x 1\n", "teamA").status()).isEqualTo(200);
      assertThat(call(s.mainUrl(), "PUT", "/api/v1/admin/wipe", null, "teamA").status()).isEqualTo(202);
      assertThat(s.service.groups()).extracting(g -> g.groupingKey().get("team")).containsExactly("b");
    }
  }
}
