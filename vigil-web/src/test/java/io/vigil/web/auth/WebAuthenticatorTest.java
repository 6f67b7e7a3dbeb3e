package io.vigil.web.auth;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.config.WebConfig;
import io.vigil.config.WebConfigLoader;
import io.vigil.web.ListenAddress;
import io.vigil.web.Role;
import io.vigil.web.Router;
import io.vigil.web.Tenant;
import io.vigil.web.WebOptions;
import io.vigil.web.WebServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebAuthenticatorTest {
  private static final String BCRYPT = new String(BCrypt.withDefaults().hash(4, "s3cret".toCharArray()),
      StandardCharsets.US_ASCII);

  private final HttpClient http = HttpClient.newHttpClient();
  private WebServer server;

  @BeforeAll
  void start() throws Exception {
    WebConfig config = new WebConfigLoader().parse("""
        basic_auth_users:
          alice: '%s'
        tokens:
          - {name: grafana, sha256: %s, roles: [read]}
          - {name: backup, sha256: %s, roles: [write], tenant: {label: team, value: ops}}
          - {name: root, sha256: %s, roles: [read, write, admin]}
        """.formatted(BCRYPT, WebConfig.sha256Hex("read-token"), WebConfig.sha256Hex("write-token"),
        WebConfig.sha256Hex("admin-token")), "web.yml");
    Router router = new Router();
    for (Role role : Role.values()) {
      router.getOrPost("/" + role.name().toLowerCase(), role, ex -> {
        Tenant t = ex.attribute(Tenant.class);
        ex.respond(200, "text/plain", t == null ? "ok" : "tenant " + t.label() + "=" + t.value());
      });
    }
    server = new WebServer(WebOptions.defaults(ListenAddress.parse("127.0.0.1:0")), router, new PrometheusRegistry());
    server.setAuthenticator(new WebAuthenticator(config));
    server.start();
  }

  @AfterAll
  void stop() throws Exception {
    server.close();
  }

  private HttpResponse<String> get(String path, String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    if (!authorization.isEmpty()) {
      b.header("Authorization", authorization);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest(name = "{0} with [{1}] -> {2}")
  @CsvSource(delimiter = '|', value = {
      "/open   |                     | 200",
      "/read   |                     | 401",
      "/read   | Bearer nope         | 401",
      "/read   | Bearer read-token   | 200",
      "/write  | Bearer read-token   | 403",
      "/admin  | Bearer read-token   | 403",
      "/write  | Bearer write-token  | 200",
      "/read   | Bearer write-token  | 403",
      "/admin  | Bearer write-token  | 403",
      "/read   | Bearer admin-token  | 200",
      "/write  | Bearer admin-token  | 200",
      "/admin  | Bearer admin-token  | 200",
      "/admin  | bearer admin-token  | 200",
      "/read   | Token admin-token   | 401",
      "/read   | BASIC:alice:s3cret  | 200",
      "/admin  | BASIC:alice:s3cret  | 200",
      "/read   | BASIC:alice:wrong   | 401",
      "/read   | BASIC:mallory:s3cret| 401",
      "/read   | Basic !!notbase64   | 401",
  })
  void rolesAndCredentials(String path, String auth, int status) throws Exception {
    String header = auth == null ? "" : auth.startsWith("BASIC:") ? basic(auth.split(":")[1], auth.split(":")[2]) : auth;
    HttpResponse<String> r = get(path, header);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    if (status == 401) {
      assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"vigil\", Bearer realm=\"vigil\"");
    }
  }

  @ParameterizedTest
  @CsvSource({"write-token, tenant team=ops", "admin-token, ok"})
  void tokensCarryTheirTenant(String token, String body) throws Exception {
    assertThat(get("/write", "Bearer " + token).body()).isEqualTo(body);
  }
}
