package io.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.config.WebConfig;
import io.vigil.web.Role;
import io.vigil.web.Route;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every endpoint of the main listener against the roles of the web config: 401 (with
 * WWW-Authenticate) without credentials, 403 with a token lacking the role, anything but 401/403
 * with the right one; health and readiness stay open. The expected role of every route is listed
 * here, so a new endpoint fails this test until someone decides who may use it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationTableTest {
  /** "METHODS pattern" → role each route must require (CORS preflights are checked apart: open). */
  private static final Map<String, Role> EXPECTED = expected();

  private static Map<String, Role> expected() {
    Map<String, Role> m = new TreeMap<>();
    m.put("GET /-/healthy", Role.OPEN);
    m.put("GET,HEAD /-/ready", Role.OPEN);
    m.put("POST,PUT /-/reload", Role.ADMIN);
    m.put("POST,PUT /-/quit", Role.ADMIN);
    m.put("GET /metrics", Role.READ);
    for (String p : List.of("query", "query_range", "query_exemplars", "format_query", "parse_query", "labels",
        "series")) {
      m.put("GET,POST /api/v1/" + p, Role.READ);
    }
    for (String p : List.of("label/{name}/values", "metadata", "scrape_pools", "targets", "targets/metadata",
        "alertmanagers", "alerts", "rules", "status/config", "status/flags", "status/runtimeinfo", "status/buildinfo",
        "status/tsdb", "status/walreplay", "notifications")) {
      m.put("GET /api/v1/" + p, Role.READ);
    }
    m.put("DELETE /api/v1/series", Role.ADMIN);
    for (String p : List.of("snapshot", "delete_series", "clean_tombstones")) {
      m.put("POST,PUT /api/v1/admin/tsdb/" + p, Role.ADMIN);
    }
    m.put("POST /api/v1/write", Role.WRITE);
    for (String push : List.of("/metrics/job/*", "/metrics/job@base64/*")) {
      m.put("POST,PUT " + push, Role.WRITE);
      m.put("DELETE " + push, Role.WRITE);
    }
    m.put("DELETE,POST,PUT /metrics", Role.OPEN); // 405 without a job, as the Pushgateway answers
    m.put("GET /api/v1/metrics", Role.READ);
    m.put("GET /api/v1/status", Role.READ);
    m.put("PUT /api/v1/admin/wipe", Role.ADMIN);
    m.put("GET /", Role.OPEN); // a redirect to /graph
    m.put("GET /favicon.ico", Role.OPEN);
    for (String page : List.of("/graph", "/alerts", "/targets", "/static/{file}")) {
      m.put("GET " + page, Role.READ);
    }
    return m;
  }

  static String key(Route r) {
    return String.join(",", new java.util.TreeSet<>(r.methods())) + " " + r.pattern();
  }

  private static final Map<Role, String> TOKEN_WITH = Map.of(
      Role.READ, "read-token", Role.WRITE, "write-token", Role.ADMIN, "admin-token");

  @TempDir
  static Path tmp;

  private final HttpClient http = HttpClient.newHttpClient();
  private VigilServer server;

  @BeforeAll
  void start() throws Exception {
    Path web = tmp.resolve("web.yml");
    Files.writeString(web, """
        tokens:
          - {name: reader, sha256: %s, roles: [read]}
          - {name: writer, sha256: %s, roles: [write]}
          - {name: admin, sha256: %s, roles: [admin]}
        """.formatted(WebConfig.sha256Hex("read-token"), WebConfig.sha256Hex("write-token"),
        WebConfig.sha256Hex("admin-token")));
    server = new VigilServer(TestServers.options(tmp, "--web.config.file=" + web, "--web.enable-lifecycle",
        "--web.enable-admin-api", "--web.enable-remote-write-receiver"));
    server.start();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void everyRouteRequiresTheExpectedRole() {
    Map<String, Role> actual = new TreeMap<>();
    for (Route r : server.routes()) {
      if (r.methods().equals(java.util.Set.of("OPTIONS"))) {
        assertThat(r.role()).as("CORS preflight of %s", r.pattern()).isEqualTo(Role.OPEN);
      } else {
        actual.put(key(r), r.role());
      }
    }
    assertThat(actual).isEqualTo(EXPECTED);
  }

  @Test
  void everyRouteAnswers401WithoutCredentials403WithTheWrongRoleAndServesTheRightOne() throws Exception {
    Map<String, String> problems = new LinkedHashMap<>();
    for (Route route : server.routes()) {
      String method = route.methods().contains("GET") ? "GET" : new java.util.TreeSet<>(route.methods()).first();
      String path = concretePath(route.pattern());
      if (route.role() == Role.OPEN) {
        expect(problems, route, "no credentials", send(method, path, null), List.of(200, 204, 302, 405, 503), false);
        continue;
      }
      expect(problems, route, "no credentials", send(method, path, null), List.of(401), true);
      expect(problems, route, "unknown token", send(method, path, "not-a-token"), List.of(401), true);
      for (Role other : List.of(Role.READ, Role.WRITE, Role.ADMIN)) {
        if (other != route.role()) {
          expect(problems, route, other + " token", send(method, path, TOKEN_WITH.get(other)), List.of(403), false);
        }
      }
      HttpResponse<String> ok = send(method, path, TOKEN_WITH.get(route.role()));
      if (ok.statusCode() == 401 || ok.statusCode() == 403) {
        problems.put(route.pattern() + " with the right token", "got " + ok.statusCode() + ": " + ok.body());
      }
    }
    assertThat(problems).isEmpty();
  }

  private static void expect(Map<String, String> problems, Route route, String what, HttpResponse<String> r,
      List<Integer> codes, boolean challenge) {
    if (!codes.contains(r.statusCode())) {
      problems.put(route.pattern() + " with " + what, "expected " + codes + ", got " + r.statusCode());
    } else if (challenge && r.headers().firstValue("WWW-Authenticate").isEmpty()) {
      problems.put(route.pattern() + " with " + what, "401 without WWW-Authenticate");
    }
  }

  /** A request path that the pattern matches. */
  static String concretePath(String pattern) {
    String p = pattern.replaceAll("\\{[^}]+}", "job");
    return p.endsWith("/*") ? p.substring(0, p.length() - 1) + "job/authz-test" : p;
  }

  private HttpResponse<String> send(String method, String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .method(method, method.equals("GET") || method.equals("DELETE") ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(""));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
