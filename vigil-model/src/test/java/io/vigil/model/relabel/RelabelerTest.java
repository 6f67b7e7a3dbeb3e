package io.vigil.model.relabel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.model.Labels;
import io.vigil.model.Matcher;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every relabel action and the edge cases Prometheus documents and tests. */
class RelabelerTest {

  private static RelabelConfig rule(UnaryOperator<RelabelConfig.Builder> f) {
    return f.apply(RelabelConfig.builder()).build();
  }

  private static Arguments c(String name, Labels in, Labels want, RelabelConfig... rules) {
    return Arguments.of(name, in, List.of(rules), want);
  }

  static Stream<Arguments> cases() {
    Labels abc = Labels.of("a", "foo", "b", "bar", "c", "baz");
    return Stream.of(
        c("replace with groups and ${1}", Labels.of("a", "foo"), Labels.of("a", "foo", "d", "choo-choo"),
            rule(r -> r.sourceLabels("a").regex("f(.*)").targetLabel("d").replacement("ch${1}-ch${1}"))),
        c("replace joins several sources with the separator", abc, abc.toBuilder().set("d", "foo|baz").build(),
            rule(r -> r.sourceLabels("a", "c").separator("|").targetLabel("d"))),
        c("missing source labels read as empty strings", Labels.of("a", "foo"), Labels.of("a", "foo", "d", "foo;;;x"),
            rule(r -> r.sourceLabels("a", "nope", "gone").regex("(.*)").targetLabel("d").replacement("${1};x"))),
        c("regex that does not match changes nothing", Labels.of("a", "boo"), Labels.of("a", "boo"),
            rule(r -> r.sourceLabels("a").regex("f").targetLabel("b").replacement("bar"))),
        c("regex is anchored at both ends", Labels.of("a", "foobar"), Labels.of("a", "foobar"),
            rule(r -> r.sourceLabels("a").regex("foo").targetLabel("b").replacement("x"))),
        c("'.' matches a newline", Labels.of("a", "foo\nbar"), Labels.of("a", "foo\nbar", "b", "bar"),
            rule(r -> r.sourceLabels("a").regex("foo.(.*)").targetLabel("b"))),
        c("replacement expanding to empty deletes the target", Labels.of("a", "foo", "f", "baz"), Labels.of("a", "foo"),
            rule(r -> r.sourceLabels("a").regex("(f).*").targetLabel("$1").replacement("$2"))),
        c("empty source value with default regex deletes the target", Labels.of("a", "foo", "t", "old"), Labels.of("a", "foo"),
            rule(r -> r.sourceLabels("missing").targetLabel("t"))),
        c("empty source value sets a literal replacement", Labels.of("a", "foo"), Labels.of("a", "foo", "t", "fixed"),
            rule(r -> r.sourceLabels("missing").targetLabel("t").replacement("fixed"))),
        c("no source labels: a constant label", Labels.of("a", "foo"), Labels.of("a", "foo", "env", "prod"),
            rule(r -> r.targetLabel("env").replacement("prod"))),
        c("templated target label", Labels.of("a", "some-name_value"), Labels.of("a", "some-name_value", "name_value", "some"),
            rule(r -> r.sourceLabels("a").regex("(.*)-(.*)").targetLabel("${2}").replacement("$1"))),
        c("invalid label name from a template is ignored", Labels.of("a", "1bad"), Labels.of("a", "1bad"),
            rule(r -> r.sourceLabels("a").regex("(.*)").targetLabel("$1").replacement("x"))),
        c("$1x names group '1x', which does not exist", Labels.of("a", "foo", "t", "old"), Labels.of("a", "foo"),
            rule(r -> r.sourceLabels("a").regex("(.*)").targetLabel("t").replacement("$1x"))),
        c("${1}x appends x", Labels.of("a", "foo"), Labels.of("a", "foo", "t", "foox"),
            rule(r -> r.sourceLabels("a").regex("(.*)").targetLabel("t").replacement("${1}x"))),
        c("$$ is a literal dollar and a lone $ stays", Labels.of("a", "foo"), Labels.of("a", "foo", "t", "$foo$"),
            rule(r -> r.sourceLabels("a").regex("(.*)").targetLabel("t").replacement("$$$1$"))),
        c("named groups", Labels.of("__address__", "host:9100"), Labels.of("__address__", "host:9100", "host", "host", "port", "9100"),
            rule(r -> r.sourceLabels("__address__").regex("(?P<h>[^:]+):(?P<p>\\d+)").targetLabel("host").replacement("${h}")),
            rule(r -> r.sourceLabels("__address__").regex("(?P<h>[^:]+):(?P<p>\\d+)").targetLabel("port").replacement("$p"))),
        c("keep when the regex matches", abc, abc, rule(r -> r.sourceLabels("a").regex("f.*").action(RelabelAction.KEEP))),
        c("keep drops when it does not", abc, null, rule(r -> r.sourceLabels("a").regex("x.*").action(RelabelAction.KEEP))),
        c("keep with empty regex keeps only empty values", Labels.of("a", "foo"), Labels.of("a", "foo"),
            rule(r -> r.sourceLabels("missing").regex("").action(RelabelAction.KEEP))),
        c("drop when the regex matches", abc, null, rule(r -> r.sourceLabels("a", "b").regex("foo;bar").action(RelabelAction.DROP))),
        c("drop keeps otherwise", abc, abc, rule(r -> r.sourceLabels("a").regex("bar").action(RelabelAction.DROP))),
        c("a drop stops later rules", abc, null,
            rule(r -> r.sourceLabels("a").regex("foo").action(RelabelAction.DROP)),
            rule(r -> r.targetLabel("x").replacement("y"))),
        c("keepequal keeps equal values", Labels.of("__tmp_port", "1234", "__port1", "1234"), Labels.of("__tmp_port", "1234", "__port1", "1234"),
            rule(r -> r.sourceLabels("__tmp_port").targetLabel("__port1").action(RelabelAction.KEEP_EQUAL))),
        c("keepequal drops different values", Labels.of("__tmp_port", "1234", "__port1", "5678"), null,
            rule(r -> r.sourceLabels("__tmp_port").targetLabel("__port1").action(RelabelAction.KEEP_EQUAL))),
        c("dropequal drops equal values", Labels.of("__tmp_port", "1234", "__port1", "1234"), null,
            rule(r -> r.sourceLabels("__tmp_port").targetLabel("__port1").action(RelabelAction.DROP_EQUAL))),
        c("dropequal: missing target equals empty source", Labels.of("a", "x"), null,
            rule(r -> r.sourceLabels("missing").targetLabel("also_missing").action(RelabelAction.DROP_EQUAL))),
        c("hashmod (Prometheus's own expected value)", abc, abc.toBuilder().set("d", "976").build(),
            rule(r -> r.sourceLabels("c").targetLabel("d").modulus(1000).action(RelabelAction.HASHMOD))),
        c("hashmod over a value with a newline", Labels.of("a", "foo\nbar"), Labels.of("a", "foo\nbar", "b", "734"),
            rule(r -> r.sourceLabels("a").targetLabel("b").modulus(1000).action(RelabelAction.HASHMOD))),
        c("labelmap copies matching labels", Labels.of("a", "foo", "b1", "bar", "b2", "baz"),
            Labels.of("a", "foo", "b1", "bar", "b2", "baz", "bar_b1", "bar", "bar_b2", "baz"),
            rule(r -> r.regex("(b.*)").replacement("bar_${1}").action(RelabelAction.LABELMAP))),
        c("labelmap of meta labels", Labels.of("a", "foo", "__meta_my_bar", "aaa", "__meta_my_baz", "bbb", "__meta_other", "ccc"),
            Labels.of("a", "foo", "__meta_my_bar", "aaa", "__meta_my_baz", "bbb", "__meta_other", "ccc", "bar", "aaa", "baz", "bbb"),
            rule(r -> r.regex("__meta_my_(.*)").replacement("${1}").action(RelabelAction.LABELMAP))),
        c("labelmap skips results that are not label names", Labels.of("__meta_9x", "v"), Labels.of("__meta_9x", "v"),
            rule(r -> r.regex("__meta_(.*)").replacement("$1").action(RelabelAction.LABELMAP))),
        c("labeldrop", Labels.of("a", "foo", "b1", "bar", "b2", "baz"), Labels.of("a", "foo"),
            rule(r -> r.regex("b.*").action(RelabelAction.LABELDROP))),
        c("labelkeep", Labels.of("a", "foo", "b1", "bar", "b2", "baz"), Labels.of("b1", "bar", "b2", "baz"),
            rule(r -> r.regex("b.*").action(RelabelAction.LABELKEEP))),
        c("lowercase", Labels.of("foo", "bAr123Foo"), Labels.of("foo", "bAr123Foo", "foo_lower", "bar123foo"),
            rule(r -> r.sourceLabels("foo").targetLabel("foo_lower").action(RelabelAction.LOWERCASE))),
        c("uppercase joins sources", Labels.of("foo", "bAr", "baz", "Qux"), Labels.of("foo", "bAr", "baz", "Qux", "up", "BAR;QUX"),
            rule(r -> r.sourceLabels("foo", "baz").targetLabel("up").action(RelabelAction.UPPERCASE))),
        c("lowercase of an empty value deletes the target", Labels.of("t", "X"), Labels.EMPTY,
            rule(r -> r.sourceLabels("missing").targetLabel("t").action(RelabelAction.LOWERCASE))),
        c("rules see earlier rules' output", Labels.of("__address__", "h:1"), Labels.of("__address__", "h:1", "instance", "h"),
            rule(r -> r.sourceLabels("__address__").regex("([^:]+):.*").targetLabel("__tmp_host")),
            rule(r -> r.sourceLabels("__tmp_host").targetLabel("instance")),
            rule(r -> r.regex("__tmp_.*").action(RelabelAction.LABELDROP))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void relabels(String name, Labels in, List<RelabelConfig> rules, Labels want) {
    assertThat(Relabeler.process(in, rules)).isEqualTo(want);
    // The builder variant agrees.
    Labels.Builder b = new Labels.Builder(in);
    boolean kept = Relabeler.process(b, rules);
    assertThat(kept).isEqualTo(want != null);
    if (kept) {
      assertThat(b.build()).isEqualTo(want);
    }
  }

  @Test
  void noRulesReturnsTheInputItself() {
    Labels in = Labels.of("a", "b");
    assertThat(Relabeler.process(in, List.of())).isSameAs(in);
    assertThat(Relabeler.process(in, List.of(rule(r -> r.sourceLabels("a").regex("b").action(RelabelAction.KEEP)))))
        .isSameAs(in);
  }

  @Test
  void hashModUsesTheLastEightBytesOfMd5() throws Exception {
    // md5("baz") = 73feffa4b7f6bb68e44cf984c85f6e88; the last 8 bytes are e44cf984c85f6e88.
    assertThat(Relabeler.hashMod("baz", Long.MAX_VALUE))
        .isEqualTo(Long.remainderUnsigned(Long.parseUnsignedLong("e44cf984c85f6e88", 16), Long.MAX_VALUE));
    assertThat(Relabeler.hashMod("baz", 1000)).isEqualTo(976);
  }

  static Stream<Arguments> invalidRules() {
    return Stream.of(
        Arguments.of(RelabelConfig.builder().action(RelabelAction.HASHMOD).targetLabel("x"),
            "relabel configuration for hashmod requires non-zero modulus"),
        Arguments.of(RelabelConfig.builder(), "relabel configuration for replace action requires 'target_label' value"),
        Arguments.of(RelabelConfig.builder().action(RelabelAction.LOWERCASE),
            "relabel configuration for lowercase action requires 'target_label' value"),
        Arguments.of(RelabelConfig.builder().action(RelabelAction.KEEP_EQUAL).sourceLabels("a"),
            "relabel configuration for keepequal action requires 'target_label' value"),
        Arguments.of(RelabelConfig.builder().targetLabel("a-b"), "\"a-b\" is invalid 'target_label' for replace action"),
        Arguments.of(RelabelConfig.builder().targetLabel("$"), "\"$\" is invalid 'target_label' for replace action"),
        Arguments.of(RelabelConfig.builder().targetLabel("${1"), "\"${1\" is invalid 'target_label' for replace action"),
        Arguments.of(RelabelConfig.builder().targetLabel("1$a"), "\"1$a\" is invalid 'target_label' for replace action"),
        Arguments.of(RelabelConfig.builder().action(RelabelAction.UPPERCASE).targetLabel("${1}"),
            "\"${1}\" is invalid 'target_label' for uppercase action"),
        Arguments.of(RelabelConfig.builder().action(RelabelAction.LOWERCASE).targetLabel("x").replacement("y"),
            "'replacement' can not be set for lowercase action"),
        Arguments.of(RelabelConfig.builder().action(RelabelAction.LABELMAP).replacement("a-$1"),
            "\"a-$1\" is invalid 'replacement' for labelmap action"),
        Arguments.of(RelabelConfig.builder().action(RelabelAction.HASHMOD).modulus(2).targetLabel("$1"),
            "\"$1\" is invalid 'target_label' for hashmod action"),
        Arguments.of(RelabelConfig.builder().action(RelabelAction.DROP_EQUAL).targetLabel("x").regex("a"),
            "dropequal action requires only 'source_labels' and `target_label`, and no other fields"),
        Arguments.of(RelabelConfig.builder().action(RelabelAction.KEEP_EQUAL).targetLabel("x").separator(","),
            "keepequal action requires only 'source_labels' and `target_label`, and no other fields"),
        Arguments.of(RelabelConfig.builder().action(RelabelAction.LABELDROP).sourceLabels("a"),
            "labeldrop action requires only 'regex', and no other fields"),
        Arguments.of(RelabelConfig.builder().action(RelabelAction.LABELKEEP).targetLabel("a"),
            "labelkeep action requires only 'regex', and no other fields"),
        Arguments.of(RelabelConfig.builder().sourceLabels("a.b").targetLabel("x"), "\"a.b\" is not a valid label name"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("invalidRules")
  void rejectsWhatPrometheusRejects(RelabelConfig.Builder b, String message) {
    assertThatThrownBy(b::build).isInstanceOf(InvalidRelabelConfigException.class).hasMessage(message);
  }

  @Test
  void validTemplatedTargetsAndReplacements() {
    for (String t : List.of("$1", "${1}", "a$1", "${foo}_bar", "_x9", "$1_$2", "${1}${2}x")) {
      assertThat(RelabelConfig.isValidLabelNameTemplate(t)).as(t).isTrue();
    }
    for (String t : List.of("", "9a", "a-b", "a$", "${}", "$-", "a.b")) {
      assertThat(RelabelConfig.isValidLabelNameTemplate(t)).as(t).isFalse();
    }
  }

  @Test
  void badRegexReadsLikeGo() {
    assertThatThrownBy(() -> RelabelRegex.compile("(a"))
        .isInstanceOf(Matcher.InvalidRegexException.class)
        .hasMessage("error parsing regexp: missing closing ): `(a`");
  }

  @Test
  void actionsParseCaseInsensitively() {
    assertThat(RelabelAction.parse("KeepEqual")).isEqualTo(RelabelAction.KEEP_EQUAL);
    assertThatThrownBy(() -> RelabelAction.parse("explode")).hasMessage("unknown relabel action \"explode\"");
  }
}
