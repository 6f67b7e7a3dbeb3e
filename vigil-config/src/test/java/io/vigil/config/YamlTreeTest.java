package io.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class YamlTreeTest {
  @Test
  void keepsPositionsAndQuoting() {
    Problems p = new Problems("t");
    YamlNode.Mapping root = (YamlNode.Mapping) YamlTree.read("a: 1\nb:\n  - 'x'\n  - \"y\"\n  - z\nc: |\n  text\n", p);
    assertThat(p.hasErrors()).isFalse();
    assertThat(root.get("a").line()).isEqualTo(1);
    YamlNode.Sequence b = (YamlNode.Sequence) root.get("b").value();
    assertThat(b.items()).extracting(n -> ((YamlNode.Scalar) n).plain()).containsExactly(false, false, true);
    assertThat(b.items().get(1).line()).isEqualTo(4);
    assertThat(b.items().get(1).column()).isEqualTo(5);
    YamlNode.Scalar c = (YamlNode.Scalar) root.get("c").value();
    assertThat(c.text()).isEqualTo("text\n");
    assertThat(c.plain()).isFalse();
  }

  @Test
  void resolvesAliasesAndMergeKeys() throws Exception {
    Config c = new ConfigLoader().parse("""
        scrape_configs:
          - &common
            job_name: base
            scrape_interval: 5s
            metrics_path: /m
          - <<: *common
            job_name: a
            metrics_path: /own
          - <<: [*common]
            job_name: b
            static_configs: &targets
              - targets: [h:1]
          - job_name: c
            static_configs: *targets
        """, "vigil.yml");
    assertThat(c.scrapeConfig("a").orElseThrow().metricsPath()).isEqualTo("/own"); // explicit keys win
    assertThat(c.scrapeConfig("a").orElseThrow().scrapeInterval()).hasToString("5s");
    assertThat(c.scrapeConfig("b").orElseThrow().metricsPath()).isEqualTo("/m");
    assertThat(c.scrapeConfig("c").orElseThrow().staticConfigs())
        .isEqualTo(c.scrapeConfig("b").orElseThrow().staticConfigs());
  }

  @Test
  void aliasBombsAreStoppedByTheNodeLimit() {
    StringBuilder y = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i <= 9; i++) {
      y.append("a").append(i).append(": &a").append(i).append(" [");
      for (int k = 0; k < 10; k++) {
        y.append(k > 0 ? ", " : "").append("*a").append(i - 1);
      }
      y.append("]\n");
    }
    Problems p = new Problems("bomb.yml");
    long start = System.nanoTime();
    assertThat(YamlTree.read(y.toString(), p)).isNull();
    assertThat(System.nanoTime() - start).as("fails fast").isLessThan(5_000_000_000L);
    assertThat(p.errors()).singleElement().asString().startsWith("bomb.yml:")
        .contains("document too large: more than 1048576 nodes after expanding aliases");
  }

  @Test
  void oversizedDocumentsAreRejectedBeforeParsing() {
    Problems p = new Problems("big.yml");
    assertThat(YamlTree.read("a: " + "x".repeat(200), p, new YamlTree.Limits(100, 1000))).isNull();
    assertThat(p.errors()).extracting(ConfigError::toString)
        .containsExactly("big.yml:1:1: document too large: 203 characters, the limit is 100");
  }

  @Test
  void deepNestingIsAnErrorNotAStackOverflow() {
    String deep = "a: " + "[".repeat(100_000) + "]".repeat(100_000) + "\n";
    Problems p = new Problems("deep.yml");
    assertThat(YamlTree.read(deep, p)).isNull();
    assertThat(p.errors()).singleElement().asString().contains("invalid YAML");
  }

  /**
   * Any string written by YamlWriter reads back as the same string: quoting is chosen correctly.
   * Seeded; the seed is printed so that a failure can be replayed.
   */
  @Test
  void writtenScalarsReadBackUnchanged() {
    long seed = System.nanoTime();
    System.out.println("YamlTreeTest.writtenScalarsReadBackUnchanged seed=" + seed);
    Random random = new Random(seed);
    String alphabet = "ab0129 -_:#'\"[]{},&*!|>%@`?.$\\/\t\n~+eEyYnNtrufalsox";
    List<String> fixed = List.of("", "true", "yes", "No", "null", "~", "0", "012", "0x1F", "1.5", "1e3", ".inf",
        "-", "- a", ": x", "a: b", "a #b", "#x", "*x", "&x", "!x", "|", ">", "'q'", "\"d\"", "%x", "@x", "`x",
        " lead", "trail ", "a\nb", "tab\tx", "<<", "1:20", "---", "...", "$1", "<secret>", "(.*)", "[a-z]+",
        "127.0.0.1:9090", "http://x:1/y?z=1#f", "ünïcode", "a\u2028b", "\u0001");
    for (int i = 0; i < 3000; i++) {
      String s;
      if (i < fixed.size()) {
        s = fixed.get(i);
      } else {
        StringBuilder sb = new StringBuilder();
        int len = random.nextInt(8);
        for (int k = 0; k < len; k++) {
          sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        s = sb.toString();
      }
      String doc = YamlWriter.write(Map.of("k", s, "l", List.of(s), "f", new YamlWriter.Flow(List.of(s, "x"))));
      Problems p = new Problems("w");
      YamlNode.Mapping m = (YamlNode.Mapping) YamlTree.read(doc, p);
      assertThat(p.errors()).as("parsing %s", doc).isEmpty();
      assertThat(Values.string(m.get("k").value(), "k", p)).as("written as: %s", doc).isEqualTo(s.isEmpty() ? "" : s);
      YamlNode.Scalar k = (YamlNode.Scalar) m.get("k").value();
      assertThat(k.isNull()).as("written as: %s", doc).isFalse();
      assertThat(((YamlNode.Scalar) ((YamlNode.Sequence) m.get("l").value()).items().getFirst()).text())
          .as("written as: %s", doc).isEqualTo(s);
      assertThat(((YamlNode.Sequence) m.get("f").value()).items()).extracting(n -> ((YamlNode.Scalar) n).text())
          .as("written as: %s", doc).containsExactly(s, "x");
    }
  }
}
