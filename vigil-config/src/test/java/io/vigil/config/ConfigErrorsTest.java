package io.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad configurations and the exact errors they produce: position, field path and message. */
class ConfigErrorsTest {
  private static Arguments bad(String name, String yaml, String... errors) {
    return Arguments.of(name, yaml, List.of(errors));
  }

  static Stream<Arguments> badConfigs() {
    return Stream.of(
        bad("misspelled field", """
            scrape_configs:
              - job_name: a
                scrape_intervall: 5s
            """, "vigil.yml:3:5: scrape_configs[0].scrape_intervall: unknown field"),
        bad("unknown top-level section", "scrape_config: []\n", "vigil.yml:1:1: scrape_config: unknown field"),
        bad("bad duration", """
            global:
              scrape_interval: 15x
            """, "vigil.yml:2:20: global.scrape_interval: unknown unit \"x\" in duration \"15x\""),
        bad("duration without unit", "global:\n  evaluation_interval: 15\n",
            "vigil.yml:2:24: global.evaluation_interval: not a valid duration string: \"15\""),
        bad("several errors are all reported, in document order", """
            global:
              scrape_interval: 1m1h
              foo: bar
            scrape_configs:
              - job_name: a
                honor_labels: "true"
                sample_limit: -1
                body_size_limit: 1000
            """,
            "vigil.yml:2:20: global.scrape_interval: not a valid duration string: \"1m1h\"",
            "vigil.yml:3:3: global.foo: unknown field",
            "vigil.yml:6:19: scrape_configs[0].honor_labels: expected a boolean (true or false), got the string \"true\"",
            "vigil.yml:7:19: scrape_configs[0].sample_limit: expected a non-negative integer, got \"-1\"",
            "vigil.yml:8:22: scrape_configs[0].body_size_limit: units: unknown unit  in 1000"),
        bad("wrong shapes", "global: 5\nscrape_configs: {}\nrule_files: x.yml\n",
            "vigil.yml:1:9: global: expected a mapping, got \"5\"",
            "vigil.yml:2:17: scrape_configs: expected a list, got a mapping",
            "vigil.yml:3:13: rule_files: expected a list, got \"x.yml\""),
        bad("timeout above interval", """
            scrape_configs:
              - job_name: a
                scrape_interval: 5s
                scrape_timeout: 10s
            """, "vigil.yml:4:21: scrape_configs[0].scrape_timeout: scrape timeout greater than scrape interval "
                + "for scrape config with job name \"a\""),
        bad("global timeout above global interval", "global:\n  scrape_interval: 5s\n  scrape_timeout: 6s\n",
            "vigil.yml:3:19: global.scrape_timeout: global scrape timeout greater than scrape interval"),
        bad("duplicate job names", """
            scrape_configs:
              - job_name: a
              - job_name: b
              - job_name: a
            """, "vigil.yml:4:15: scrape_configs[2].job_name: found multiple scrape configs with job name \"a\""),
        bad("duplicates are found even next to other errors", """
            scrape_configs:
              - job_name: a
                scrape_interval: soon
              - job_name: a
            """,
            "vigil.yml:3:22: scrape_configs[0].scrape_interval: not a valid duration string: \"soon\"",
            "vigil.yml:4:15: scrape_configs[1].job_name: found multiple scrape configs with job name \"a\""),
        bad("missing job name", "scrape_configs:\n  - scrape_interval: 5s\n",
            "vigil.yml:2:5: scrape_configs[0]: job_name is empty"),
        bad("null scrape config", "scrape_configs:\n  -\n",
            "vigil.yml:2:4: scrape_configs[0]: empty or null scrape config section"),
        bad("repeated key", "scrape_configs:\n  - job_name: a\n    job_name: b\n",
            "vigil.yml:3:5: scrape_configs[0].job_name: field already set (first at line 2)"),
        bad("bad regex", """
            scrape_configs:
              - job_name: a
                metric_relabel_configs:
                  - source_labels: [__name__]
                    regex: "go_(.*"
                    action: drop
            """, "vigil.yml:5:16: scrape_configs[0].metric_relabel_configs[0].regex: "
                + "error parsing regexp: missing closing ): `go_(.*`"),
        bad("relabel rule rules", """
            scrape_configs:
              - job_name: a
                relabel_configs:
                  - action: hashmod
                    target_label: x
                  - action: explode
                  - source_labels: [a-b]
                    target_label: c
                  - target_label: a-b
                  - action: labeldrop
                    regex: x
                    target_label: y
                  - action: lowercase
                    target_label: y
                    replacement: z
                  -
            """,
            "vigil.yml:4:9: scrape_configs[0].relabel_configs[0]: relabel configuration for hashmod requires non-zero modulus",
            "vigil.yml:6:17: scrape_configs[0].relabel_configs[1].action: unknown relabel action \"explode\"",
            "vigil.yml:7:25: scrape_configs[0].relabel_configs[2].source_labels[0]: \"a-b\" is not a valid label name",
            "vigil.yml:9:9: scrape_configs[0].relabel_configs[3]: \"a-b\" is invalid 'target_label' for replace action",
            "vigil.yml:10:9: scrape_configs[0].relabel_configs[4]: labeldrop action requires only 'regex', and no other fields",
            "vigil.yml:13:9: scrape_configs[0].relabel_configs[5]: 'replacement' can not be set for lowercase action",
            "vigil.yml:16:8: scrape_configs[0].relabel_configs[6]: empty or null target relabeling rule in scrape config"),
        bad("URL as a static target", """
            scrape_configs:
              - job_name: a
                static_configs:
                  - targets: ['http://host:9100/metrics']
                  -
            """,
            "vigil.yml:4:19: scrape_configs[0].static_configs[0].targets[0]: \"http://host:9100/metrics\" is not a valid hostname",
            "vigil.yml:5:8: scrape_configs[0].static_configs[1]: empty or null section in static_configs"),
        bad("static target labels", """
            scrape_configs:
              - job_name: a
                static_configs:
                  - targets: [h:1]
                    labels: {ok: v, 9bad: v}
                    extra: 1
            """,
            "vigil.yml:5:17: scrape_configs[0].static_configs[0].labels.9bad: \"9bad\" is not a valid label name",
            "vigil.yml:6:9: scrape_configs[0].static_configs[0].extra: unknown field"),
        bad("file discovery names", """
            scrape_configs:
              - job_name: a
                file_sd_configs:
                  - files: [targets.txt]
                  - refresh_interval: 1m
            """,
            "vigil.yml:4:17: scrape_configs[0].file_sd_configs[0].files[0]: path name \"targets.txt\" is not valid for file discovery",
            "vigil.yml:5:9: scrape_configs[0].file_sd_configs[1]: file service discovery config must contain at least one path name"),
        bad("scheme and protocols", """
            scrape_configs:
              - job_name: a
                scheme: ftp
                scrape_protocols: [PrometheusText0.0.4, prometheustext0.0.4]
                fallback_scrape_protocol: Nope
            """,
            "vigil.yml:3:13: scrape_configs[0].scheme: scheme must be \"http\" or \"https\", got \"ftp\"",
            "vigil.yml:4:23: scrape_configs[0].scrape_protocols: duplicated protocol in scrape_protocols, "
                + "got [PrometheusText0.0.4 prometheustext0.0.4]",
            "vigil.yml:5:31: scrape_configs[0].fallback_scrape_protocol: invalid fallback_scrape_protocol for scrape "
                + "config with job name \"a\": unknown scrape protocol Nope, supported: [OpenMetricsText0.0.1 "
                + "OpenMetricsText1.0.0 PrometheusProto PrometheusText0.0.4 PrometheusText1.0.0]"),
        bad("empty scrape_protocols", "global:\n  scrape_protocols: []\n",
            "vigil.yml:2:21: global.scrape_protocols: scrape_protocols cannot be empty"),
        bad("authentication exclusions", """
            scrape_configs:
              - job_name: a
                basic_auth: {username: u, password: p, password_file: f}
                bearer_token: t
              - job_name: b
                bearer_token: t
                bearer_token_file: f
              - job_name: c
                authorization: {type: Basic, credentials: x, credentials_file: f}
              - job_name: d
                authorization: {credentials: x}
                basic_auth: {username: u}
              - job_name: e
                basic_auth: {username: u, username_file: f}
            """,
            "vigil.yml:3:59: scrape_configs[0].basic_auth.password_file: at most one of basic_auth password, "
                + "password_file & password_ref must be configured",
            "vigil.yml:4:19: scrape_configs[0].bearer_token: at most one of basic_auth, oauth2, bearer_token & "
                + "bearer_token_file must be configured",
            "vigil.yml:7:24: scrape_configs[1].bearer_token_file: at most one of bearer_token & bearer_token_file "
                + "must be configured",
            "vigil.yml:9:27: scrape_configs[2].authorization.type: authorization type cannot be set to \"basic\", "
                + "use \"basic_auth\" instead",
            "vigil.yml:9:68: scrape_configs[2].authorization.credentials_file: at most one of authorization "
                + "credentials & credentials_file must be configured",
            "vigil.yml:11:20: scrape_configs[3].authorization: at most one of basic_auth, oauth2 & authorization "
                + "must be configured",
            "vigil.yml:14:46: scrape_configs[4].basic_auth.username_file: at most one of basic_auth username, "
                + "username_file & username_ref must be configured"),
        bad("TLS settings", """
            scrape_configs:
              - job_name: a
                tls_config: {cert_file: c.pem, min_version: TLS14}
              - job_name: b
                tls_config: {ca: x, ca_file: y, key_file: k, min_version: TLS13, max_version: TLS12}
            """,
            "vigil.yml:3:17: scrape_configs[0].tls_config: exactly one of key or key_file must be configured when "
                + "a client certificate is configured",
            "vigil.yml:3:49: scrape_configs[0].tls_config.min_version: unknown TLS version: TLS14",
            "vigil.yml:5:17: scrape_configs[1].tls_config: exactly one of cert or cert_file must be configured when "
                + "a client key is configured",
            "vigil.yml:5:34: scrape_configs[1].tls_config.ca_file: at most one of ca, ca_file & ca_ref must be configured",
            "vigil.yml:5:83: scrape_configs[1].tls_config.max_version: tls_config.max_version must be greater than "
                + "or equal to tls_config.min_version if both are specified"),
        bad("proxy settings", """
            scrape_configs:
              - {job_name: a, no_proxy: localhost}
              - {job_name: b, proxy_url: 'http://p:3128', proxy_from_environment: true}
              - {job_name: c, no_proxy: localhost, proxy_from_environment: true}
            """,
            "vigil.yml:2:29: scrape_configs[0].no_proxy: if no_proxy is configured, proxy_url must also be configured",
            "vigil.yml:3:30: scrape_configs[1].proxy_url: if proxy_from_environment is configured, proxy_url must "
                + "not be configured",
            "vigil.yml:4:29: scrape_configs[2].no_proxy: if proxy_from_environment is configured, no_proxy must "
                + "not be configured"),
        bad("rule file glob in a directory", "rule_files: ['rules/*/x.yml']\n",
            "vigil.yml:1:14: rule_files[0]: invalid rule file path \"rules/*/x.yml\""),
        bad("external label name", "global:\n  external_labels:\n    a-b: x\n",
            "vigil.yml:3:10: global.external_labels.a-b: \"a-b\" is not a valid label name"),
        bad("Alertmanager API v1 is gone", "alerting:\n  alertmanagers:\n    - api_version: v1\n",
            "vigil.yml:3:20: alerting.alertmanagers[0].api_version: expected Alertmanager api version to be one of "
                + "[v2] but got v1"),
        bad("alert relabeling", "alerting:\n  alert_relabel_configs:\n    -\n  alertmanagers:\n    - relabel_configs: [~]\n",
            "vigil.yml:3:6: alerting.alert_relabel_configs[0]: empty or null alert relabeling rule",
            "vigil.yml:5:25: alerting.alertmanagers[0].relabel_configs[0]: empty or null Alertmanager target relabeling rule"),
        bad("remote write", """
            remote_write:
              - name: x
              - url: ftp://x
              - url: http://a/w
                name: dup
                headers: {Authorization: x, Content-Type: y}
                protobuf_message: foo
              - url: http://b/w
                name: dup
            """,
            "vigil.yml:2:5: remote_write[0]: url for remote_write is empty",
            "vigil.yml:3:10: remote_write[1].url: url for remote_write must be an absolute http or https URL, got \"ftp://x\"",
            "vigil.yml:6:14: remote_write[2].headers: authorization header must be changed via the basic_auth, "
                + "authorization, oauth2, sigv4, azuread or google_iam parameter",
            "vigil.yml:6:14: remote_write[2].headers: Content-Type is a reserved header. It must not be changed",
            "vigil.yml:7:23: remote_write[2].protobuf_message: invalid protobuf_message value: unknown remote write "
                + "protobuf message foo, supported: prometheus.WriteRequest, io.prometheus.write.v2.Request",
            "vigil.yml:9:11: remote_write[3].name: found multiple remote write configs with job name \"dup\""),
        bad("remote write auth methods", """
            remote_write:
              - url: http://a/w
                basic_auth: {username: u}
                sigv4: {region: eu}
            """,
            "vigil.yml:2:5: remote_write[0]: at most one of basic_auth, authorization, oauth2, sigv4, azuread or "
                + "google_iam must be configured. Currently configured: [basic_auth sigv4]"),
        bad("remote read", "remote_read:\n  - read_recent: yes\n  -\n",
            "vigil.yml:2:5: remote_read[0]: url for remote_read is empty",
            "vigil.yml:3:4: remote_read[1]: empty or null remote read config section"),
        bad("null discovery entry", "scrape_configs:\n  - job_name: k\n    kubernetes_sd_configs: [~]\n",
            "vigil.yml:3:29: scrape_configs[0].kubernetes_sd_configs[0]: empty or null section in kubernetes_sd_configs"),
        bad("YAML syntax", "scrape_configs:\n  - job_name: a\n   foo: [\n",
            "vigil.yml:3:4: invalid YAML: while parsing a block collection: expected <block end>, but found '<block mapping start>'"),
        bad("unknown alias", "global:\n  scrape_interval: *nope\n",
            "vigil.yml:2:20: unknown anchor \"nope\" referenced"),
        bad("tab indentation", "global:\n\tscrape_interval: 5s\n",
            "vigil.yml:2:1: invalid YAML: while scanning for the next token: found character '\\t(TAB)' that cannot "
                + "start any token. (Do not use \\t(TAB) for indentation)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badConfigs")
  void reportsEveryErrorWithPositionAndPath(String name, String yaml, List<String> expected) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> new ConfigLoader().parse(yaml, "vigil.yml"));
    assertThat(e).as("no error for: " + name).isNotNull();
    assertThat(e.errors()).extracting(ConfigError::toString).containsExactlyElementsOf(expected);
    assertThat(e.getMessage()).isEqualTo(String.join("\n", expected));
  }

  @Test
  void loadNamesTheFileInErrors(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path file = dir.resolve("vigil.yml");
    java.nio.file.Files.writeString(file, "global:\n  scrape_intervall: 5s\n");
    assertThatThrownBy(() -> new ConfigLoader().load(file)).isInstanceOf(ConfigException.class)
        .hasMessage(file + ":2:3: global.scrape_intervall: unknown field");
    java.nio.file.Files.write(file, new byte[] {'a', ':', ' ', (byte) 0xff, '\n'});
    assertThatThrownBy(() -> new ConfigLoader().load(file)).hasMessage(file + ":0:0: file is not valid UTF-8");
    assertThatThrownBy(() -> new ConfigLoader().load(dir.resolve("missing.yml")))
        .isInstanceOf(java.nio.file.NoSuchFileException.class);
  }

  @Test
  void unsupportedPrometheusFeaturesLoadWithWarnings() throws Exception {
    Config c = new ConfigLoader().parse("""
        global:
          metric_name_validation_scheme: legacy
        scrape_config_files: [extra/*.yml]
        scrape_configs:
          - job_name: k8s
            kubernetes_sd_configs:
              - role: pod
            consul_sd_configs:
              - server: consul:8500
            oauth2: {client_id: x, token_url: http://t}
            native_histogram_bucket_limit: 10
        """, "vigil.yml");
    assertThat(c.warnings()).extracting(ConfigError::toString).containsExactly(
        "vigil.yml:2:3: global.metric_name_validation_scheme: metric_name_validation_scheme is not supported by "
            + "Vigil and is ignored",
        "vigil.yml:3:1: scrape_config_files: scrape_config_files is not supported by Vigil and is ignored",
        "vigil.yml:6:5: scrape_configs[0].kubernetes_sd_configs: kubernetes_sd_configs is not supported by Vigil "
            + "yet; its targets are not discovered",
        "vigil.yml:8:5: scrape_configs[0].consul_sd_configs: consul_sd_configs is not supported by Vigil yet; its "
            + "targets are not discovered",
        "vigil.yml:10:5: scrape_configs[0].oauth2: oauth2 is not supported by Vigil yet; requests are sent without it",
        "vigil.yml:11:5: scrape_configs[0].native_histogram_bucket_limit: native_histogram_bucket_limit is not "
            + "supported by Vigil and is ignored");
    assertThat(c.scrapeConfigs().getFirst().serviceDiscoveryConfigs()).extracting(DiscoveryConfig::key)
        .containsExactly("consul_sd_configs", "kubernetes_sd_configs");
  }
}
