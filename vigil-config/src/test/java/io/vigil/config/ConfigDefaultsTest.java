package io.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Labels;
import io.vigil.model.relabel.RelabelAction;
import io.vigil.model.relabel.RelabelConfig;
import io.vigil.model.relabel.RelabelRegex;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Prometheus's defaults, field by field, and inheritance from the global section. */
class ConfigDefaultsTest {
  private static Config parse(String yaml) throws ConfigException {
    return new ConfigLoader().parse(yaml, "vigil.yml");
  }

  @Test
  void emptyDocumentIsTheDefaultConfiguration() throws Exception {
    for (String empty : List.of("", "# nothing\n", "global:\n", "global: {}\n")) {
      Config c = parse(empty);
      assertThat(c.global()).isEqualTo(GlobalConfig.DEFAULT);
      assertThat(c.alerting()).isEqualTo(AlertingConfig.NONE);
      assertThat(c.scrapeConfigs()).isEmpty();
      assertThat(c.ruleFiles()).isEmpty();
      assertThat(c.storage()).isEqualTo(StorageConfig.DEFAULT);
      assertThat(c.remoteWriteConfigs()).isEmpty();
      assertThat(c.remoteReadConfigs()).isEmpty();
      assertThat(c.warnings()).isEmpty();
    }
  }

  @Test
  void globalDefaults() {
    GlobalConfig g = GlobalConfig.DEFAULT;
    assertThat(g.scrapeInterval()).hasToString("1m");
    assertThat(g.scrapeTimeout()).hasToString("10s");
    assertThat(g.evaluationInterval()).hasToString("1m");
    assertThat(g.ruleQueryOffset()).hasToString("0s");
    assertThat(g.scrapeProtocols()).isEmpty();
    assertThat(g.queryLogFile()).isEmpty();
    assertThat(g.externalLabels()).isEqualTo(Labels.EMPTY);
    assertThat(g.bodySizeLimit()).isEqualTo(ByteSize.ZERO);
    assertThat(List.of(g.sampleLimit(), g.targetLimit(), g.labelLimit(), g.labelNameLengthLimit(),
        g.labelValueLengthLimit(), g.keepDroppedTargets())).containsOnly(0L);
  }

  @Test
  void scrapeJobDefaults() throws Exception {
    ScrapeConfig s = parse("scrape_configs:\n  - job_name: x\n").scrapeConfigs().getFirst();
    assertThat(s.jobName()).isEqualTo("x");
    assertThat(s.honorLabels()).isFalse();
    assertThat(s.honorTimestamps()).isTrue();
    assertThat(s.trackTimestampsStaleness()).isFalse();
    assertThat(s.params()).isEmpty();
    assertThat(s.scrapeInterval()).hasToString("1m");
    assertThat(s.scrapeTimeout()).hasToString("10s");
    assertThat(s.scrapeProtocols()).containsExactly(ScrapeProtocol.OPENMETRICS_TEXT_1_0_0,
        ScrapeProtocol.OPENMETRICS_TEXT_0_0_1, ScrapeProtocol.PROMETHEUS_TEXT_1_0_0, ScrapeProtocol.PROMETHEUS_TEXT_0_0_4);
    assertThat(s.fallbackScrapeProtocol()).isNull();
    assertThat(s.metricsPath()).isEqualTo("/metrics");
    assertThat(s.scheme()).isEqualTo("http");
    assertThat(s.enableCompression()).isTrue();
    assertThat(s.bodySizeLimit()).isEqualTo(ByteSize.ZERO);
    assertThat(List.of(s.sampleLimit(), s.targetLimit(), s.labelLimit(), s.labelNameLengthLimit(),
        s.labelValueLengthLimit(), s.keepDroppedTargets())).containsOnly(0L);
    assertThat(s.httpClient()).isEqualTo(HttpClientConfig.DEFAULT);
    assertThat(s.httpClient().followRedirects()).isTrue();
    assertThat(s.httpClient().enableHttp2()).isTrue();
    assertThat(s.httpClient().tlsConfig()).isEqualTo(TlsConfig.NONE);
    assertThat(s.relabelConfigs()).isEmpty();
    assertThat(s.metricRelabelConfigs()).isEmpty();
    assertThat(s.serviceDiscoveryConfigs()).isEmpty();
  }

  @Test
  void jobsInheritGlobalsAndTimeoutIsCappedByTheInterval() throws Exception {
    Config c = parse("""
        global:
          scrape_interval: 30s
          scrape_timeout: 20s
          body_size_limit: 10MB
          sample_limit: 100
          target_limit: 5
          label_limit: 30
          label_name_length_limit: 40
          label_value_length_limit: 50
          keep_dropped_targets: 7
          scrape_protocols: [PrometheusProto]
        scrape_configs:
          - job_name: inherits
          - job_name: short
            scrape_interval: 5s
          - job_name: own
            scrape_interval: 0s
            scrape_timeout: 15s
            sample_limit: 1
            body_size_limit: 1KB
            scrape_protocols: [PrometheusText0.0.4]
        """);
    ScrapeConfig inherits = c.scrapeConfig("inherits").orElseThrow();
    assertThat(inherits.scrapeInterval()).hasToString("30s");
    assertThat(inherits.scrapeTimeout()).hasToString("20s");
    assertThat(inherits.bodySizeLimit()).hasToString("10MiB");
    assertThat(List.of(inherits.sampleLimit(), inherits.targetLimit(), inherits.labelLimit(),
        inherits.labelNameLengthLimit(), inherits.labelValueLengthLimit(), inherits.keepDroppedTargets()))
        .containsExactly(100L, 5L, 30L, 40L, 50L, 7L);
    assertThat(inherits.scrapeProtocols()).containsExactly(ScrapeProtocol.PROMETHEUS_PROTO);
    ScrapeConfig shortJob = c.scrapeConfig("short").orElseThrow();
    assertThat(shortJob.scrapeInterval()).hasToString("5s");
    assertThat(shortJob.scrapeTimeout()).hasToString("5s"); // min(global 20s, interval 5s)
    ScrapeConfig own = c.scrapeConfig("own").orElseThrow();
    assertThat(own.scrapeInterval()).hasToString("30s"); // 0 means "use the global value"
    assertThat(own.scrapeTimeout()).hasToString("15s");
    assertThat(own.sampleLimit()).isEqualTo(1);
    assertThat(own.bodySizeLimit().bytes()).isEqualTo(1024);
    assertThat(own.scrapeProtocols()).containsExactly(ScrapeProtocol.PROMETHEUS_TEXT_0_0_4);
    // The global timeout alone is capped by a short global interval.
    assertThat(parse("global:\n  scrape_interval: 5s\n").global().scrapeTimeout()).hasToString("5s");
  }

  @Test
  void otherSectionDefaults() throws Exception {
    Config c = parse("""
        alerting:
          alertmanagers:
            - static_configs: [{targets: ['am:9093']}]
        remote_write:
          - url: http://w.example/api/v1/write
        remote_read:
          - url: http://r.example/api/v1/read
        scrape_configs:
          - job_name: f
            file_sd_configs: [{files: [t.json]}]
            relabel_configs: [{target_label: x}]
        """);
    AlertmanagerConfig am = c.alerting().alertmanagers().getFirst();
    assertThat(am.scheme()).isEqualTo("http");
    assertThat(am.pathPrefix()).isEmpty();
    assertThat(am.timeout()).hasToString("10s");
    assertThat(am.apiVersion()).isEqualTo("v2");
    assertThat(am.httpClient()).isEqualTo(HttpClientConfig.DEFAULT);
    assertThat(am.relabelConfigs()).isEmpty();

    RemoteWriteConfig w = c.remoteWriteConfigs().getFirst();
    assertThat(w.remoteTimeout()).hasToString("30s");
    assertThat(w.name()).isEmpty();
    assertThat(w.headers()).isEmpty();
    assertThat(w.protobufMessage()).isEqualTo("prometheus.WriteRequest");
    assertThat(w.httpClient().enableHttp2()).isFalse(); // Prometheus's remote write default
    assertThat(w.httpClient().followRedirects()).isTrue();
    assertThat(w.queueConfig()).isEqualTo(QueueConfig.DEFAULT);
    assertThat(w.queueConfig().capacity()).isEqualTo(10000);
    assertThat(w.queueConfig().maxShards()).isEqualTo(50);
    assertThat(w.queueConfig().minShards()).isEqualTo(1);
    assertThat(w.queueConfig().maxSamplesPerSend()).isEqualTo(2000);
    assertThat(w.queueConfig().batchSendDeadline()).hasToString("5s");
    assertThat(w.queueConfig().minBackoff()).hasToString("30ms");
    assertThat(w.queueConfig().maxBackoff()).hasToString("5s");
    assertThat(w.queueConfig().retryOnRateLimit()).isFalse();
    assertThat(w.queueConfig().sampleAgeLimit()).hasToString("0s");
    assertThat(w.metadataConfig()).isEqualTo(new MetadataConfig(true, PromDuration.ofMinutes(1), 2000));

    RemoteReadConfig r = c.remoteReadConfigs().getFirst();
    assertThat(r.remoteTimeout()).hasToString("1m");
    assertThat(r.chunkedReadLimit()).isEqualTo(50_000_000L);
    assertThat(r.readRecent()).isFalse();
    assertThat(r.filterExternalLabels()).isTrue();
    assertThat(r.requiredMatchers()).isEqualTo(Labels.EMPTY);
    assertThat(r.httpClient().enableHttp2()).isTrue();

    ScrapeConfig f = c.scrapeConfigs().getFirst();
    assertThat(f.fileSdConfigs()).containsExactly(new FileSdConfig(List.of("t.json"), PromDuration.ofMinutes(5)));
    RelabelConfig rule = f.relabelConfigs().getFirst();
    assertThat(rule.action()).isEqualTo(RelabelAction.REPLACE);
    assertThat(rule.separator()).isEqualTo(";");
    assertThat(rule.regex()).isEqualTo(RelabelRegex.DEFAULT);
    assertThat(rule.replacement()).isEqualTo("$1");
    assertThat(rule.modulus()).isZero();
    assertThat(rule.sourceLabels()).isEmpty();
  }

  @Test
  void theBuiltInConfigurationScrapesVigilItself() {
    Config c = ConfigLoader.defaultConfig();
    assertThat(c.global().scrapeInterval()).hasToString("15s");
    assertThat(c.global().scrapeTimeout()).hasToString("10s");
    assertThat(c.global().evaluationInterval()).hasToString("15s");
    assertThat(c.scrapeConfigs()).hasSize(1);
    ScrapeConfig vigil = c.scrapeConfig("vigil").orElseThrow();
    assertThat(vigil.scrapeInterval()).hasToString("15s");
    assertThat(vigil.metricsPath()).isEqualTo("/metrics");
    assertThat(vigil.staticConfigs()).containsExactly(new StaticConfig(List.of("localhost:9090"), Labels.EMPTY));
    assertThat(c.warnings()).isEmpty();
  }

  @Test
  void everySectionWithNonDefaultValues() throws Exception {
    Path file = Path.of("src/test/resources/configs/full.yml");
    Config c = new ConfigLoader(new ConfigLoader.Options(YamlTree.Limits.DEFAULT, name -> null)).load(file);
    Path dir = file.getParent();

    GlobalConfig g = c.global();
    assertThat(g.evaluationInterval()).hasToString("1m30s");
    assertThat(g.ruleQueryOffset()).hasToString("10s");
    assertThat(g.queryLogFile()).isEqualTo(dir.resolve("query.log").toString());
    assertThat(g.externalLabels()).isEqualTo(Labels.of("region", "eu-west-1", "env", "prod"));
    assertThat(c.ruleFiles()).containsExactly(dir.resolve("rules/*.yml").toString(), "/etc/vigil/backup.rules.yml");

    ScrapeConfig node = c.scrapeConfig("node").orElseThrow();
    assertThat(node.params()).isEqualTo(Map.of("module", List.of("http_2xx")));
    assertThat(node.honorTimestamps()).isFalse();
    assertThat(node.trackTimestampsStaleness()).isTrue();
    assertThat(node.enableCompression()).isFalse();
    assertThat(node.bodySizeLimit().bytes()).isEqualTo(1024 * 1024 + 512 * 1024);
    assertThat(node.fallbackScrapeProtocol()).isEqualTo(ScrapeProtocol.PROMETHEUS_TEXT_0_0_4);
    assertThat(node.httpClient().authorization()).isEqualTo(new Authorization("Bearer", null, "/run/secrets/token"));
    TlsConfig tls = node.httpClient().tlsConfig();
    assertThat(tls.certFile()).isEqualTo(dir.resolve("client.crt").toString());
    assertThat(tls.keyFile()).isEqualTo(dir.resolve("client.key").toString());
    assertThat(tls.serverName()).isEqualTo("node.internal");
    assertThat(tls.minVersion()).isEqualTo(TlsVersion.TLS12);
    assertThat(node.httpClient().followRedirects()).isFalse();
    assertThat(node.staticConfigs()).containsExactly(
        new StaticConfig(List.of("10.0.0.1:9100", "10.0.0.2:9100"), Labels.of("rack", "r1")));
    assertThat(node.fileSdConfigs().getFirst().files())
        .containsExactly(dir.resolve("targets/*.yaml").toString(), dir.resolve("more.json").toString());
    assertThat(node.fileSdConfigs().getFirst().refreshInterval()).hasToString("1m");
    assertThat(node.relabelConfigs()).extracting(RelabelConfig::action)
        .containsExactly(RelabelAction.REPLACE, RelabelAction.HASHMOD, RelabelAction.KEEP);
    assertThat(node.relabelConfigs().get(1).modulus()).isEqualTo(4);
    assertThat(node.metricRelabelConfigs().getFirst().regex().source()).isEqualTo("go_.*");

    // The legacy bearer_token becomes an Authorization header of type Bearer.
    Authorization bearer = c.scrapeConfig("legacy-bearer").orElseThrow().httpClient().authorization();
    assertThat(bearer.type()).isEqualTo("Bearer");
    assertThat(bearer.credentials().value()).isEqualTo("abc123");
    assertThat(bearer.credentials()).hasToString("<secret>");

    ScrapeConfig kube = c.scrapeConfig("kube").orElseThrow();
    assertThat(kube.serviceDiscoveryConfigs()).singleElement().isInstanceOfSatisfying(UnsupportedDiscovery.class,
        u -> assertThat(u.mechanism()).isEqualTo("kubernetes"));
    assertThat(c.warnings()).extracting(ConfigError::toString).containsExactly(file
        + ":93:5: scrape_configs[2].kubernetes_sd_configs: kubernetes_sd_configs is not supported by Vigil yet; "
        + "its targets are not discovered");

    AlertmanagerConfig am = c.alerting().alertmanagers().getFirst();
    assertThat(am.scheme()).isEqualTo("https");
    assertThat(am.pathPrefix()).isEqualTo("/am");
    assertThat(am.timeout()).hasToString("5s");
    assertThat(am.httpClient().basicAuth()).isEqualTo(new BasicAuth("vigil", "", new Secret("s3cret"), ""));
    assertThat(am.staticConfigs().getFirst().targets()).containsExactly("am1:9093", "am2:9093");
    assertThat(c.alerting().alertRelabelConfigs().getFirst().action()).isEqualTo(RelabelAction.LABELDROP);

    assertThat(c.storage()).isEqualTo(new StorageConfig(PromDuration.ofMinutes(10), 5000));

    RemoteWriteConfig w = c.remoteWriteConfigs().getFirst();
    assertThat(w.name()).isEqualTo("central");
    assertThat(w.headers()).isEqualTo(Map.of("X-Scope-OrgID", "team-a"));
    assertThat(w.queueConfig().maxShards()).isEqualTo(10);
    assertThat(w.queueConfig().capacity()).isEqualTo(2500);
    assertThat(w.queueConfig().minShards()).isEqualTo(1);
    assertThat(w.metadataConfig().send()).isFalse();

    RemoteReadConfig r = c.remoteReadConfigs().getFirst();
    assertThat(r.readRecent()).isTrue();
    assertThat(r.requiredMatchers()).isEqualTo(Labels.of("job", "node"));
    assertThat(r.filterExternalLabels()).isFalse();
  }

  @Test
  void renderingHidesSecretsAndReadsBackAsTheSameConfiguration() throws Exception {
    Config c = new ConfigLoader().parse(java.nio.file.Files.readString(Path.of("src/test/resources/configs/full.yml")),
        "full.yml");
    String yaml = c.toYaml();
    assertThat(yaml).doesNotContain("s3cret", "abc123", ":pw@", "hidden")
        .contains("password: <secret>", "credentials: <secret>", "https://user:xxxxx@remote.example/api/v1/write",
            "bearer_token: <secret>", "source_labels: [__address__]");
    // Secrets aside, the rendering is a configuration that loads to the same records.
    Config back = new ConfigLoader().parse(yaml.replace("<secret>", "s3cret").replace("xxxxx", "pw"), "rendered");
    assertThat(back.scrapeConfigs()).hasSameSizeAs(c.scrapeConfigs());
    assertThat(back.global()).isEqualTo(c.global());
    assertThat(back.scrapeConfig("node")).isEqualTo(c.scrapeConfig("node"));
    assertThat(back.remoteWriteConfigs()).isEqualTo(c.remoteWriteConfigs());
    assertThat(back.remoteReadConfigs()).isEqualTo(c.remoteReadConfigs());
    assertThat(back.alerting()).isEqualTo(c.alerting());
    assertThat(back.storage()).isEqualTo(c.storage());
    assertThat(back.toYaml()).isEqualTo(yaml);
  }

  @Test
  void externalLabelsExpandEnvironmentVariables() throws Exception {
    Map<String, String> env = Map.of("REGION", "eu-1", "HOST", "h7");
    Config c = new ConfigLoader(new ConfigLoader.Options(YamlTree.Limits.DEFAULT, env::get)).parse("""
        global:
          external_labels:
            region: $REGION
            host: prefix-${HOST}-suffix
            price: $$5
            missing: a${NOPE}b
            literal: 100%
        """, "vigil.yml");
    assertThat(c.global().externalLabels()).isEqualTo(
        Labels.of("region", "eu-1", "host", "prefix-h7-suffix", "price", "$5", "missing", "ab", "literal", "100%"));
    assertThat(c.warnings()).extracting(ConfigError::toString)
        .containsExactly("vigil.yml:6:14: global.external_labels.missing: empty environment variable NOPE");
  }
}
