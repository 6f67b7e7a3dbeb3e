package io.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Labels;
import io.vigil.testkit.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The configuration the peer Prometheus ran with loads, and renders the way that Prometheus did. */
class PeerFixtureTest {
  private static final String FIXTURE = "prometheus-api/prometheus.yml";

  @Test
  void loadsThePeersConfigurationWithPrometheusDefaults() throws Exception {
    Path file = Fixtures.fixture(FIXTURE);
    Config c = new ConfigLoader().load(file);

    assertThat(c.warnings()).isEmpty();
    assertThat(c.global().scrapeInterval()).isEqualTo(PromDuration.ofSeconds(5));
    assertThat(c.global().scrapeTimeout()).isEqualTo(PromDuration.ofSeconds(5)); // min(10s, 5s)
    assertThat(c.global().evaluationInterval()).isEqualTo(PromDuration.ofSeconds(5));
    assertThat(c.global().externalLabels()).isEqualTo(Labels.of("monitor", "vigil-peer-test"));
    // Relative rule files are resolved against the configuration file's directory.
    assertThat(c.ruleFiles()).containsExactly(file.getParent().resolve("rules.yml").toString());
    assertThat(c.scrapeConfigs()).extracting(ScrapeConfig::jobName).containsExactly("prometheus", "node", "pushgateway");
    ScrapeConfig pg = c.scrapeConfig("pushgateway").orElseThrow();
    assertThat(pg.honorLabels()).isTrue();
    assertThat(pg.staticConfigs()).containsExactly(new StaticConfig(List.of("127.0.0.1:39091"), Labels.EMPTY));
    assertThat(c.scrapeConfig("node").orElseThrow().honorLabels()).isFalse();
    AlertmanagerConfig am = c.alerting().alertmanagers().getFirst();
    assertThat(am.apiVersion()).isEqualTo("v2");
    assertThat(am.timeout()).isEqualTo(PromDuration.ofSeconds(10));
    assertThat(am.staticConfigs().getFirst().targets()).containsExactly("127.0.0.1:39093");
  }

  /**
   * Every field the peer (Prometheus 2.42) rendered appears in Vigil's rendering with the same value
   * and in the same relative order. Vigil renders Prometheus 3's additional fields too
   * (scrape_protocols, enable_compression, track_timestamps_staleness), which 2.42 did not have.
   */
  @Test
  void rendersLikeThePeersStatusConfig() throws Exception {
    JsonNode json = JsonMapper.builder().build().readTree(Fixtures.fixtureText("prometheus-api/status-config.json"));
    String peerYaml = json.get("data").get("yaml").asString();
    Config c = new ConfigLoader().parse(Fixtures.fixtureText(FIXTURE), "prometheus.yml");
    String ours = c.toYaml();

    Object peer = plain(YamlTree.read(peerYaml, new Problems("peer")));
    Object mine = plain(YamlTree.read(ours, new Problems("vigil")));
    assertContains(mine, peer, "");
    // And our own rendering reads back as the same configuration.
    assertThat(new ConfigLoader().parse(ours, "rendered")).isEqualTo(c);
  }

  private static void assertContains(Object mine, Object peer, String path) {
    if (peer instanceof Map<?, ?> pm) {
      assertThat(mine).as(path).isInstanceOf(Map.class);
      @SuppressWarnings("unchecked")
      Map<Object, Object> mm = (Map<Object, Object>) mine;
      List<Object> mineOrder = new ArrayList<>(mm.keySet());
      int last = -1;
      for (Map.Entry<?, ?> e : pm.entrySet()) {
        String p = path + "." + e.getKey();
        assertThat(mm).as(p).containsKey(e.getKey());
        int pos = mineOrder.indexOf(e.getKey());
        assertThat(pos).as("order of " + p).isGreaterThan(last);
        last = pos;
        assertContains(mm.get(e.getKey()), e.getValue(), p);
      }
    } else if (peer instanceof List<?> pl) {
      assertThat(mine).as(path).isInstanceOf(List.class);
      List<?> ml = (List<?>) mine;
      assertThat(ml).as(path).hasSameSizeAs(pl);
      for (int i = 0; i < pl.size(); i++) {
        assertContains(ml.get(i), pl.get(i), path + "[" + i + "]");
      }
    } else {
      assertThat(mine).as(path).isEqualTo(peer);
    }
  }

  /** A YAML tree as maps, lists and strings, for comparing documents regardless of layout. */
  static Object plain(YamlNode n) {
    return switch (n) {
      case YamlNode.Scalar s -> s.text();
      case YamlNode.Sequence s -> s.items().stream().map(PeerFixtureTest::plain).toList();
      case YamlNode.Mapping m -> {
        Map<String, Object> out = new LinkedHashMap<>();
        m.entries().forEach(e -> out.put(e.key(), plain(e.value())));
        yield out;
      }
    };
  }
}
