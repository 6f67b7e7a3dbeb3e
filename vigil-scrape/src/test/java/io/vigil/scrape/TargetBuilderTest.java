package io.vigil.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.config.ScrapeConfig;
import io.vigil.model.Labels;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Target relabeling in context: the job's defaults, relabel_configs and the checks after them turn
 * discovered labels into the target's labels and URL, a dropped target, or a failure.
 */
class TargetBuilderTest {
  private static final String DEFAULTS = "{__address__=\"h:9100\", __metrics_path__=\"/metrics\", __scheme__=\"http\", "
      + "__scrape_interval__=\"15s\", __scrape_timeout__=\"10s\", job=\"j\"}";

  /** @param expected "labels | url | interval/timeout", "dropped", or "failed: message" */
  record Case(String name, String jobYaml, Labels discovered, String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        c("defaults and instance from the address", "", Labels.of("__address__", "h:9100"),
            "{instance=\"h:9100\", job=\"j\"} | http://h:9100/metrics | 15s/10s"),
        c("group labels and meta labels; meta labels vanish after relabeling",
            "relabel_configs: [{action: labelmap, regex: '__meta_(.+)', replacement: 'm_$1'}]",
            Labels.of("__address__", "h:9100", "__meta_zone", "eu", "team", "a"),
            "{instance=\"h:9100\", job=\"j\", m_zone=\"eu\", team=\"a\"} | http://h:9100/metrics | 15s/10s"),
        c("an explicit instance is kept", "", Labels.of("__address__", "h:9100", "instance", "nice-name"),
            "{instance=\"nice-name\", job=\"j\"} | http://h:9100/metrics | 15s/10s"),
        c("scheme, path and params from the job",
            "scheme: https\nmetrics_path: /probe\nparams: {module: [http_2xx, x], b: ['a b']}",
            Labels.of("__address__", "h:9100"),
            "{instance=\"h:9100\", job=\"j\"} | https://h:9100/probe?b=a+b&module=http_2xx&module=x | 15s/10s"),
        c("blackbox pattern: address becomes a parameter, the exporter the address, __tmp_ carries state",
            """
            relabel_configs:
              - {source_labels: [__address__], target_label: __param_target}
              - {source_labels: [__param_target], target_label: instance}
              - {source_labels: [__address__], target_label: __tmp_orig}
              - {target_label: __address__, replacement: 'exporter:9115'}
            """,
            Labels.of("__address__", "https://site.example/x?y"),
            "{instance=\"https://site.example/x?y\", job=\"j\"} | "
                + "http://exporter:9115/metrics?target=https%3A%2F%2Fsite.example%2Fx%3Fy | 15s/10s"),
        c("a __param_ label replaces the configured first value",
            "params: {module: [a, b]}\nrelabel_configs: [{target_label: __param_module, replacement: c}]",
            Labels.of("__address__", "h:1"), "{instance=\"h:1\", job=\"j\"} | http://h:1/metrics?module=c&module=b | 15s/10s"),
        c("per-target interval and timeout through relabeling",
            "relabel_configs: [{target_label: __scrape_interval__, replacement: 1m}, {target_label: __scrape_timeout__, replacement: 30s}]",
            Labels.of("__address__", "h:1"), "{instance=\"h:1\", job=\"j\"} | http://h:1/metrics | 1m/30s"),
        c("discovered interval label wins over the job's", "", Labels.of("__address__", "h:1", "__scrape_interval__", "30s"),
            "{instance=\"h:1\", job=\"j\"} | http://h:1/metrics | 30s/10s"),
        c("drop action", "relabel_configs: [{source_labels: [team], regex: b, action: drop}]",
            Labels.of("__address__", "h:1", "team", "b"), "dropped"),
        c("keep on a missing label drops (a missing label is the empty string)",
            "relabel_configs: [{source_labels: [team], regex: '.+', action: keep}]", Labels.of("__address__", "h:1"), "dropped"),
        c("keep on an empty-matching regex keeps a target without the label",
            "relabel_configs: [{source_labels: [team], regex: '', action: keep}]", Labels.of("__address__", "h:1"),
            "{instance=\"h:1\", job=\"j\"} | http://h:1/metrics | 15s/10s"),
        c("hashmod sharding keeps shard 0 only",
            "relabel_configs: [{source_labels: [__address__], modulus: 2, target_label: __tmp_shard, action: hashmod},"
                + " {source_labels: [__tmp_shard], regex: '1', action: drop}]",
            Labels.of("__address__", "h:1"), shard("h:1", 2) == 0 ? "{instance=\"h:1\", job=\"j\"} | http://h:1/metrics | 15s/10s" : "dropped"),
        c("a regex that does not match leaves labels alone",
            "relabel_configs: [{source_labels: [team], regex: 'x(.*)', target_label: team2}]",
            Labels.of("__address__", "h:1", "team", "abc"), "{instance=\"h:1\", job=\"j\", team=\"abc\"} | http://h:1/metrics | 15s/10s"),
        c("replacing with an empty value deletes the label, job included",
            "relabel_configs: [{target_label: job, replacement: ''}]", Labels.of("__address__", "h:1"),
            "{instance=\"h:1\"} | http://h:1/metrics | 15s/10s"),
        c("labeldrop cannot remove the address check",
            "relabel_configs: [{regex: __address__, action: labeldrop}]", Labels.of("__address__", "h:1"), "failed: no address"),
        c("an address with a path is not a hostname", "", Labels.of("__address__", "h:1/x"),
            "failed: \"h:1/x\" is not a valid hostname"),
        c("a bad interval label", "relabel_configs: [{target_label: __scrape_interval__, replacement: soon}]",
            Labels.of("__address__", "h:1"), "failed: error parsing scrape interval: not a valid duration string: \"soon\""),
        c("timeout above interval", "relabel_configs: [{target_label: __scrape_timeout__, replacement: 1m}]",
            Labels.of("__address__", "h:1"), "failed: scrape timeout cannot be greater than scrape interval (\"1m\" > \"15s\")"),
        c("zero timeout", "relabel_configs: [{target_label: __scrape_timeout__, replacement: 0s}]",
            Labels.of("__address__", "h:1"), "failed: scrape timeout cannot be 0"),
        c("lowercase and uppercase", "relabel_configs: [{source_labels: [team], target_label: lc, action: lowercase},"
                + " {source_labels: [team], target_label: uc, action: uppercase}]",
            Labels.of("__address__", "h:1", "team", "MiXed"),
            "{instance=\"h:1\", job=\"j\", lc=\"mixed\", team=\"MiXed\", uc=\"MIXED\"} | http://h:1/metrics | 15s/10s"),
        c("keepequal / dropequal compare two labels",
            "relabel_configs: [{source_labels: [a], target_label: b, action: keepequal}, {source_labels: [a], target_label: c, action: dropequal}]",
            Labels.of("__address__", "h:1", "a", "1", "b", "1", "c", "2"),
            "{a=\"1\", b=\"1\", c=\"2\", instance=\"h:1\", job=\"j\"} | http://h:1/metrics | 15s/10s"),
        c("labelkeep keeps the reserved labels it matches only",
            "relabel_configs: [{regex: '__.*|job', action: labelkeep}]", Labels.of("__address__", "h:1", "team", "a"),
            "{instance=\"h:1\", job=\"j\"} | http://h:1/metrics | 15s/10s"),
        c("${name} expansion of a named group into the target label",
            "relabel_configs: [{source_labels: [__address__], regex: '(?P<host>[^:]+):.*', target_label: '${host}_x', replacement: '${host}'}]",
            Labels.of("__address__", "web:1"), "{instance=\"web:1\", job=\"j\", web_x=\"web\"} | http://web:1/metrics | 15s/10s"));
  }

  private static long shard(String address, int mod) {
    return io.vigil.model.relabel.Relabeler.process(Labels.of("a", address), java.util.List.of(
        io.vigil.model.relabel.RelabelConfig.builder().sourceLabels(java.util.List.of("a")).modulus(mod).targetLabel("s")
            .action(io.vigil.model.relabel.RelabelAction.HASHMOD).build())).get("s").equals("0") ? 0 : 1;
  }

  private static Arguments c(String name, String yaml, Labels discovered, String expected) {
    return Arguments.of(new Case(name, yaml, discovered, expected));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void relabelsInContext(Case c) {
    String yaml = "scrape_configs:\n  - job_name: j\n    scrape_interval: 15s\n    scrape_timeout: 10s\n"
        + c.jobYaml().lines().map(l -> "    " + l + "\n").reduce("", String::concat)
        + "    static_configs: [{targets: ['placeholder:1']}]\n";
    ScrapeConfig cfg = ScrapeTestSupport.config(yaml).scrapeConfigs().getFirst();
    TargetBuilder.Result r = TargetBuilder.build(c.discovered(), cfg);
    String actual = switch (r) {
      case TargetBuilder.Active a -> a.labels() + " | " + a.url() + " | " + a.interval() + "/" + a.timeout();
      case TargetBuilder.Dropped d -> "dropped";
      case TargetBuilder.Failed f -> "failed: " + f.error();
    };
    assertThat(actual).isEqualTo(c.expected());
    if (c.jobYaml().isEmpty() && c.discovered().size() == 1 && c.discovered().get("__address__").equals("h:9100")) {
      assertThat(r.discoveredLabels().toString()).isEqualTo(DEFAULTS);
    }
    // discovered labels keep every input label, meta labels included, plus the defaults
    Map<String, String> discovered = r.discoveredLabels().toMap();
    c.discovered().forEach((k, v) -> assertThat(discovered).containsEntry(k, v));
    assertThat(discovered).containsKeys("job", "__scheme__", "__metrics_path__", "__scrape_interval__", "__scrape_timeout__");
  }
}
