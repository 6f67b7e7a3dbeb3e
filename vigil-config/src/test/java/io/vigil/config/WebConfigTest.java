package io.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WebConfigTest {
  // bcrypt of "test" (cost 10), as produced by htpasswd -nbBC 10.
  private static final String BCRYPT = "$2y$10$WJi1LFoCmoyPoFRDSYPWHOFgTNi9fu5QgeSRMxWqKVsKGxqUVKtbm";
  private static final String GRAFANA_TOKEN = "grafana-token-123";
  private static final String BACKUP_TOKEN = "backup-token-456";

  @Test
  void fullFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("web.yml");
    Files.writeString(file, """
        tls_server_config:
          cert_file: server.crt
          key_file: /etc/vigil/server.key
          client_auth_type: RequireAndVerifyClientCert
          client_ca_file: ca.crt
          min_version: TLS13
          cipher_suites: [TLS_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384]
          prefer_server_cipher_suites: false
          curve_preferences: [X25519, CurveP256]
        http_server_config:
          http2: false
          headers:
            X-Frame-Options: deny
            Strict-Transport-Security: max-age=31536000
        basic_auth_users:
          alice: %s
        tokens:
          - name: grafana
            sha256: %s
            roles: [read]
          - name: backup-jobs
            sha256: %s
            roles: [write, read]
            tenant: {label: tenant, value: team-a}
        """.formatted(BCRYPT, WebConfig.sha256Hex(GRAFANA_TOKEN), WebConfig.sha256Hex(BACKUP_TOKEN).toUpperCase()));
    WebConfig w = new WebConfigLoader().load(file);

    TlsServerConfig tls = w.tlsServerConfig();
    assertThat(tls.certFile()).isEqualTo(dir.resolve("server.crt").toString());
    assertThat(tls.keyFile()).isEqualTo("/etc/vigil/server.key");
    assertThat(tls.clientAuthType()).isEqualTo(ClientAuthType.REQUIRE_AND_VERIFY_CLIENT_CERT);
    assertThat(tls.clientAuthType().verifies()).isTrue();
    assertThat(tls.clientCaFile()).isEqualTo(dir.resolve("ca.crt").toString());
    assertThat(tls.minVersion()).isEqualTo(TlsVersion.TLS13);
    assertThat(tls.maxVersion()).isEqualTo(TlsVersion.TLS13);
    assertThat(tls.cipherSuites()).containsExactly("TLS_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
    assertThat(tls.preferServerCipherSuites()).isFalse();
    assertThat(tls.curvePreferences()).extracting(TlsCurve::jsseName).containsExactly("x25519", "secp256r1");
    assertThat(w.httpServerConfig()).isEqualTo(new HttpServerConfig(false,
        Map.of("X-Frame-Options", "deny", "Strict-Transport-Security", "max-age=31536000")));
    assertThat(w.basicAuthUsers()).isEqualTo(Map.of("alice", BCRYPT));
    assertThat(w.requiresAuthentication()).isTrue();

    assertThat(w.findToken(GRAFANA_TOKEN)).get().satisfies(t -> {
      assertThat(t.name()).isEqualTo("grafana");
      assertThat(t.roles()).containsExactly(TokenEntry.Role.READ);
      assertThat(t.tenant()).isNull();
    });
    TokenEntry backup = w.findToken(BACKUP_TOKEN).orElseThrow();
    assertThat(backup.sha256()).isEqualTo(WebConfig.sha256Hex(BACKUP_TOKEN)); // normalised to lowercase
    assertThat(backup.roles()).isEqualTo(Set.of(TokenEntry.Role.READ, TokenEntry.Role.WRITE));
    assertThat(backup.hasRole(TokenEntry.Role.ADMIN)).isFalse();
    assertThat(backup.tenant()).isEqualTo(new TokenEntry.Tenant("tenant", "team-a"));
    assertThat(w.findToken("wrong")).isEmpty();
    assertThat(w.findToken("")).isEmpty();
  }

  @Test
  void defaultsAndEmptyFile() throws Exception {
    WebConfig empty = new WebConfigLoader().parse("", "web.yml");
    assertThat(empty).isEqualTo(WebConfig.NONE);
    assertThat(empty.requiresAuthentication()).isFalse();
    WebConfig tls = new WebConfigLoader().parse("tls_server_config: {cert_file: c, key_file: k}\n", "web.yml");
    assertThat(tls.tlsServerConfig()).isEqualTo(new TlsServerConfig("c", "k", ClientAuthType.NO_CLIENT_CERT, "",
        TlsVersion.TLS12, TlsVersion.TLS13, List.of(), true, List.of()));
    assertThat(tls.httpServerConfig()).isEqualTo(HttpServerConfig.DEFAULT);
    // A section that sets nothing leaves TLS off, as exporter-toolkit does.
    assertThat(new WebConfigLoader().parse("tls_server_config: {min_version: TLS13}\n", "w").tlsServerConfig()).isNull();
    // exporter-toolkit keeps RequireClientCert as a synonym.
    assertThat(new WebConfigLoader().parse("tls_server_config: {cert_file: c, key_file: k, client_auth_type: "
        + "RequireClientCert}\n", "w").tlsServerConfig().clientAuthType()).isEqualTo(ClientAuthType.REQUIRE_ANY_CLIENT_CERT);
  }

  static Stream<Arguments> badFiles() {
    String hash = WebConfig.sha256Hex("t");
    return Stream.of(
        Arguments.of("tls_server_config:\n  cert_file: c\n  client_auth_type: Sometimes\n", List.of(
            "web.yml:2:3: tls_server_config: missing one of key or key_file",
            "web.yml:3:21: tls_server_config.client_auth_type: invalid ClientAuth: Sometimes")),
        Arguments.of("tls_server_config:\n  key_file: k\n  client_ca_file: ca\n  max_version: TLS11\n", List.of(
            "web.yml:2:3: tls_server_config: missing one of cert or cert_file",
            "web.yml:3:19: tls_server_config.client_ca_file: client CA's have been configured without a Client Auth Policy",
            "web.yml:4:16: tls_server_config.max_version: min_version TLS12 is greater than max_version TLS11")),
        Arguments.of("tls_server_config:\n  cert_file: c\n  key_file: k\n  cipher_suites: [TLS_RSA_WITH_RC4_128_SHA]\n"
            + "  curve_preferences: [CurveP224]\n  cert: inline\n", List.of(
            "web.yml:4:19: tls_server_config.cipher_suites[0]: unknown cipher: TLS_RSA_WITH_RC4_128_SHA",
            "web.yml:5:23: tls_server_config.curve_preferences[0]: unknown curve: CurveP224",
            "web.yml:6:9: tls_server_config.cert: inline certificates and keys are not supported by Vigil; use cert_file")),
        Arguments.of("http_server_config:\n  http2: maybe\n  headers: {X-Frame-Options: allow, Server: vigil}\n", List.of(
            "web.yml:2:10: http_server_config.http2: expected a boolean (true or false), got \"maybe\"",
            "web.yml:3:12: http_server_config.headers: invalid value for X-Frame-Options. Expected one of: "
                + "[\"deny\" \"sameorigin\"], but got: \"allow\"",
            "web.yml:3:12: http_server_config.headers: HTTP header \"Server\" can not be configured")),
        Arguments.of("basic_auth_users:\n  bob: plaintext\n  eve: $2y$03$" + "a".repeat(53) + "\n", List.of(
            "web.yml:2:8: basic_auth_users.bob: not a bcrypt hash: expected $2a$, $2b$ or $2y$, a two-digit cost "
                + "from 04 to 31, '$' and 53 characters of salt and hash",
            "web.yml:3:8: basic_auth_users.eve: not a bcrypt hash: expected $2a$, $2b$ or $2y$, a two-digit cost "
                + "from 04 to 31, '$' and 53 characters of salt and hash")),
        Arguments.of("""
            tokens:
              - name: a
                sha256: abc
                roles: [read, superuser]
              - sha256: %1$s
              - name: c
                sha256: %1$s
                roles: [admin]
                tenant: {label: __tenant, value: ""}
              - name: d
                sha256: %1$s
                roles: [read]
              - name: d
                sha256: %1$s
                roles: [read]
                scopes: [x]
            """.formatted(hash), List.of(
            "web.yml:3:13: tokens[0].sha256: sha256 must be 64 hexadecimal characters (the SHA-256 of the token), "
                + "got 3 characters",
            "web.yml:4:12: tokens[0].roles: unknown role \"superuser\", expected read, write or admin",
            "web.yml:5:5: tokens[1]: name is required",
            "web.yml:5:5: tokens[1]: roles is required: at least one of read, write, admin",
            "web.yml:7:13: tokens[2].sha256: same token hash as tokens[1]",
            "web.yml:9:21: tokens[2].tenant.label: tenant label must be a valid label name not starting with "
                + "\"__\", got \"__tenant\"",
            "web.yml:9:38: tokens[2].tenant.value: tenant value must not be empty",
            "web.yml:11:13: tokens[3].sha256: same token hash as tokens[1]",
            "web.yml:13:11: tokens[4].name: token name \"d\" already used by tokens[3]",
            "web.yml:14:13: tokens[4].sha256: same token hash as tokens[1]",
            "web.yml:16:5: tokens[4].scopes: unknown field")),
        Arguments.of("""
            tokens:
              - {name: d, sha256: %1$s, roles: [read]}
              - {name: d, sha256: %1$s, roles: [write]}
            """.formatted(hash), List.of(
            "web.yml:3:12: tokens[1].name: token name \"d\" already used by tokens[0]",
            "web.yml:3:23: tokens[1].sha256: same token hash as tokens[0]")),
        Arguments.of("tls_config: {}\n", List.of("web.yml:1:1: tls_config: unknown field")));
  }

  @ParameterizedTest
  @MethodSource("badFiles")
  void rejectsBadFilesWithPositions(String yaml, List<String> errors) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> new WebConfigLoader().parse(yaml, "web.yml"));
    assertThat(e).as("accepted: %s", yaml).isNotNull();
    assertThat(e.errors()).extracting(ConfigError::toString).containsExactlyElementsOf(errors);
  }

  @Test
  void bcryptFormat() {
    assertThat(WebConfig.isBcryptHash(BCRYPT)).isTrue();
    assertThat(WebConfig.isBcryptHash(BCRYPT.replace("$2y$", "$2a$"))).isTrue();
    assertThat(WebConfig.isBcryptHash(BCRYPT.replace("$2y$", "$2b$"))).isTrue();
    assertThat(WebConfig.isBcryptHash(BCRYPT.replace("$10$", "$32$"))).isFalse();
    assertThat(WebConfig.isBcryptHash(BCRYPT.replace("$2y$", "$2x$"))).isFalse();
    assertThat(WebConfig.isBcryptHash(BCRYPT.substring(1))).isFalse();
    assertThat(WebConfig.isBcryptHash(BCRYPT.substring(0, 59) + "!")).isFalse();
  }

  @Test
  void sha256HexIsTheStandardDigest() {
    assertThat(WebConfig.sha256Hex("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }
}
