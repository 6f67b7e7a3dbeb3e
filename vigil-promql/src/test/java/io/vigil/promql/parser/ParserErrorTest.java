package io.vigil.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Malformed queries and the positioned, Prometheus-worded messages they must produce. */
class ParserErrorTest {
  static Stream<Arguments> badQueries() {
    return Stream.of(
        Arguments.of("", "1:1: parse error: no expression found in input"),
        Arguments.of("# just a comment\n\n", "1:1: parse error: no expression found in input"),
        Arguments.of("1+", "1:3: parse error: unexpected end of input"),
        Arguments.of(".", "1:1: parse error: unexpected character: '.'"),
        Arguments.of("2.5.", "1:1: parse error: bad number or duration syntax: \"2.5.\""),
        Arguments.of("100..4", "1:1: parse error: bad number or duration syntax: \"100..\""),
        Arguments.of("0deadbeef", "1:1: parse error: bad number or duration syntax: \"0de\""),
        Arguments.of("1 /", "1:4: parse error: unexpected end of input"),
        Arguments.of("*1", "1:1: parse error: unexpected <op:*>"),
        Arguments.of("(1))", "1:5: parse error: unexpected right parenthesis ')'"),
        Arguments.of("((1)", "1:5: parse error: unclosed left parenthesis"),
        Arguments.of("(", "1:2: parse error: unclosed left parenthesis"),
        Arguments.of("1 and 1", "1:1: parse error: set operator \"and\" not allowed in binary scalar expression"),
        Arguments.of("1 == 1", "1:3: parse error: comparisons between scalars must use BOOL modifier"),
        Arguments.of("1 or 1", "1:1: parse error: set operator \"or\" not allowed in binary scalar expression"),
        Arguments.of("1 !~ 1", "1:3: parse error: unexpected character after '!': '~'"),
        Arguments.of("1 =~ 1", "1:3: parse error: unexpected character after '=': '~'"),
        Arguments.of("-\"string\"",
            "1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got \"string\""),
        Arguments.of("-test[5m]",
            "1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got \"range vector\""),
        Arguments.of("*test", "1:1: parse error: unexpected <op:*>"),
        Arguments.of("1 offset 1d",
            "1:1: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery"),
        Arguments.of("foo offset 1s offset 2s", "1:1: parse error: offset may not be set multiple times"),
        Arguments.of("a - on(b) ignoring(c) d", "1:11: parse error: unexpected <ignoring>"),
        Arguments.of("foo and 1", "1:1: parse error: set operator \"and\" not allowed in binary scalar expression"),
        Arguments.of("foo == on(bar) 10", "1:1: parse error: vector matching only allowed between instant vectors"),
        Arguments.of("foo + bool bar", "1:5: parse error: bool modifier can only be used on comparison operators"),
        Arguments.of("foo and on(bar) group_left(baz) bar", "1:1: parse error: no grouping allowed for \"and\" operation"),
        Arguments.of("foo + on(bar) group_left(bar) baz",
            "1:5: parse error: label \"bar\" must not occur in ON and GROUP clause at once"),
        Arguments.of("foo{__name__=\"bar\"}", "1:1: parse error: metric name must not be set twice: \"foo\" or \"bar\""),
        Arguments.of("foo{__name__=\"bar\", lol=\"lol\"}x", "1:31: parse error: unexpected identifier \"x\""),
        Arguments.of("foo{__name__=\"bar\"} foo", "1:21: parse error: unexpected identifier \"foo\""),
        Arguments.of("{__name__=\"foo\"}", null),
        Arguments.of("foo{__name__=\"bar\"}[5m] foo", "1:25: parse error: unexpected identifier \"foo\""),
        Arguments.of("foo{__name__=\"bar\"}", "1:1: parse error: metric name must not be set twice: \"foo\" or \"bar\""),
        Arguments.of("{__name__=~\"bar\"} > 1", null),
        Arguments.of("baz{__name__=\"foo\"}bar", "1:20: parse error: unexpected identifier \"bar\""),
        Arguments.of("foo{__name__=\"bar\"}{x=\"y\"}", "1:20: parse error: unexpected \"{\""),
        Arguments.of("{\"abc.def\"}", null),
        Arguments.of("{\"x.y\", a=\"b\"}", null),
        Arguments.of("foo_bar{__name__=\"baz\"}",
            "1:1: parse error: metric name must not be set twice: \"foo_bar\" or \"baz\""),
        Arguments.of("{}", "1:1: parse error: vector selector must contain at least one non-empty matcher"),
        Arguments.of("{x=\"\"}", "1:1: parse error: vector selector must contain at least one non-empty matcher"),
        Arguments.of("{x=~\".*\"}", "1:1: parse error: vector selector must contain at least one non-empty matcher"),
        Arguments.of("{x!~\".+\"}", "1:1: parse error: vector selector must contain at least one non-empty matcher"),
        Arguments.of("{x!=\"a\"}", "1:1: parse error: vector selector must contain at least one non-empty matcher"),
        Arguments.of("foo{gibberish}", "1:14: parse error: unexpected \"}\" in label matching, expected label matching operator"),
        Arguments.of("foo{1}", "1:5: parse error: unexpected character inside braces: '1'"),
        Arguments.of("{", "1:2: parse error: unexpected end of input inside braces"),
        Arguments.of("}", "1:1: parse error: unexpected right brace '}'"),
        Arguments.of("some{", "1:6: parse error: unexpected end of input inside braces"),
        Arguments.of("some}", "1:5: parse error: unexpected right brace '}'"),
        Arguments.of("some_metric{a=b}", "1:15: parse error: unexpected identifier \"b\" in label matching, expected string"),
        Arguments.of("some_metric{a:b=\"b\"}", "1:14: parse error: unexpected character inside braces: ':'"),
        Arguments.of("foo{a*\"b\"}", "1:6: parse error: unexpected character inside braces: '*'"),
        Arguments.of("foo{a>=\"b\"}", "1:6: parse error: unexpected character inside braces: '>'"),
        Arguments.of("some_metric{a=\"\u00ff\"}", null),
        Arguments.of("foo{gibberish=\"x\"} [ 5m]", null),
        Arguments.of("foo{a=~\"(\"}",
            "1:5: parse error: error parsing regexp: missing closing ): `(`"),
        Arguments.of("foo[5mm]", "1:5: parse error: bad number or duration syntax: \"5mm\""),
        Arguments.of("foo[5m1]", "1:5: parse error: bad number or duration syntax: \"5m1\""),
        Arguments.of("foo[5m:1m1]", "1:8: parse error: bad number or duration syntax: \"1m1\""),
        Arguments.of("foo[5y1hs]", "1:5: parse error: not a valid duration string: \"5y1hs\""),
        Arguments.of("foo[5m1h]", "1:5: parse error: not a valid duration string: \"5m1h\""),
        Arguments.of("foo[\"5m\"]", "1:5: parse error: unexpected character in duration expression: '\"'"),
        Arguments.of("foo[]", "1:5: parse error: unexpected \"]\" in subquery selector, expected number or duration"),
        Arguments.of("foo[-1]", "1:5: parse error: unexpected <op:-> in subquery selector, expected number or duration"),
        Arguments.of("some_metric[5m] OFFSET 1mm", "1:24: parse error: bad number or duration syntax: \"1mm\""),
        Arguments.of("some_metric[5m] OFFSET", "1:23: parse error: unexpected end of input in offset, expected number or duration"),
        Arguments.of("some_metric OFFSET 1m[5m]", "1:22: parse error: no offset modifiers allowed before range"),
        Arguments.of("some_metric @ 123 [5m]", "1:19: parse error: no @ modifiers allowed before range"),
        Arguments.of("(foo + bar)[5m]", "1:12: parse error: ranges only allowed for vector selectors"),
        Arguments.of("sum without(and, by, avg, count, alert, annotations)", "1:53: parse error: unexpected end of input in aggregation"),
        Arguments.of("sum without(==)", "1:13: parse error: unexpected <op:==> in grouping opts, expected label"),
        Arguments.of("sum without(,)", "1:13: parse error: unexpected \",\" in grouping opts, expected label"),
        Arguments.of("sum without(foo,,)", "1:17: parse error: unexpected \",\" in grouping opts, expected label"),
        Arguments.of("sum some_metric by (test)", "1:5: parse error: unexpected identifier \"some_metric\""),
        Arguments.of("sum (some_metric) by test", "1:22: parse error: unexpected identifier \"test\" in grouping opts, expected \"(\""),
        Arguments.of("sum () by (test)", "1:1: parse error: no arguments for aggregate expression provided"),
        Arguments.of("MIN keep_common (some_metric)", "1:5: parse error: unexpected identifier \"keep_common\""),
        Arguments.of("sum (some_metric) without (test) by (test)", "1:34: parse error: unexpected <by>"),
        Arguments.of("sum without (test) (some_metric) by (test)", "1:34: parse error: unexpected <by>"),
        Arguments.of("topk(some_metric)", "1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 1"),
        Arguments.of("topk(some_metric,)", "1:17: parse error: trailing commas not allowed in function call args"),
        Arguments.of("topk(some_metric, other_metric)", "1:6: parse error: expected type scalar in aggregation parameter, got instant vector"),
        Arguments.of("count_values(5, other_metric)", "1:14: parse error: expected type string in aggregation parameter, got scalar"),
        Arguments.of("rate(some_metric[5m]) @ 1234", "1:1: parse error: @ modifier must be preceded by an instant vector selector or range vector selector or a subquery"),
        Arguments.of("floor()", "1:1: parse error: expected 1 argument(s) in call to \"floor\", got 0"),
        Arguments.of("floor(some_metric, other_metric)", "1:1: parse error: expected 1 argument(s) in call to \"floor\", got 2"),
        Arguments.of("floor(some_metric, 1)", "1:1: parse error: expected 1 argument(s) in call to \"floor\", got 2"),
        Arguments.of("floor(1)", "1:7: parse error: expected type instant vector in call to function \"floor\", got scalar"),
        Arguments.of("hour(some_metric, some_metric, some_metric)", "1:1: parse error: expected at most 1 argument(s) in call to \"hour\", got 3"),
        Arguments.of("time(some_metric)", "1:1: parse error: expected 0 argument(s) in call to \"time\", got 1"),
        Arguments.of("non_existent_function_far_bar()", "1:1: parse error: unknown function with name \"non_existent_function_far_bar\""),
        Arguments.of("rate(some_metric)", "1:6: parse error: expected type range vector in call to function \"rate\", got instant vector"),
        Arguments.of("label_replace(a, `b`, `c\\xff`, `d`, `.*`)", null),
        Arguments.of("-=", "1:2: parse error: unexpected \"=\""),
        Arguments.of("++-++-+-+-<", "1:11: parse error: unexpected <op:<>"),
        Arguments.of("e-+=/(0)", "1:4: parse error: unexpected \"=\""),
        Arguments.of("a>b()", "1:3: parse error: unknown function with name \"b\""),
        Arguments.of("rate(avg)", "1:6: parse error: expected type range vector in call to function \"rate\", got instant vector"),
        Arguments.of("sum(sum)", null),
        Arguments.of("a + sum", null),
        Arguments.of("\"double-quoted string \\\" with escaped quote\"", null),
        Arguments.of("'single-quoted string \\' with escaped quote'", null),
        Arguments.of("`backtick-quoted string`", null),
        Arguments.of("\"\\c\"", "1:1: parse error: unknown escape sequence U+0063 'c'"),
        Arguments.of("\"\\x.\"", "1:1: parse error: illegal character U+002E '.' in escape sequence"),
        Arguments.of("foo[5m:1m]", null),
        Arguments.of("foo[5m]", null),
        Arguments.of("test[5d] OFFSET 10s [10m:5s]", "1:1: parse error: subquery is only allowed on instant vector, got matrix instead"),
        Arguments.of("(foo + bar{nm=\"val\"})[5m:][10m:5s]", "1:1: parse error: subquery is only allowed on instant vector, got matrix instead"),
        Arguments.of("rate(food[1m])[1h] offset 1h", "1:15: parse error: ranges only allowed for vector selectors"),
        Arguments.of("rate(food[1m])[1h] @ 100", "1:15: parse error: ranges only allowed for vector selectors"),
        Arguments.of("foo @ +Inf", "1:1: parse error: timestamp out of bounds for @ modifier: +Inf"),
        Arguments.of("foo @ start()", null),
        Arguments.of("foo @ 100 @ 200", "1:1: parse error: @ <timestamp> may not be set multiple times"),
        Arguments.of("sum by (\"foo\") (bar)", null),
        Arguments.of("limitk(1, foo)", "1:1: parse error: limitk() is experimental and must be enabled with --enable-feature=promql-experimental-functions"),
        Arguments.of("sort_by_label(foo, \"a\")", "1:1: parse error: function \"sort_by_label\" is not enabled"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("badQueries")
  void rejectsWithPrometheusMessage(String query, String expected) {
    if (expected == null) {
      PromqlParser.parse(query);
      return;
    }
    if (expected.endsWith(" ... ")) {
      String prefix = expected.substring(0, expected.length() - 5);
      assertThatThrownBy(() -> PromqlParser.parse(query)).isInstanceOf(ParseException.class).hasMessageStartingWith(prefix);
      return;
    }
    assertThatThrownBy(() -> PromqlParser.parse(query)).isInstanceOf(ParseException.class).hasMessage(expected);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("badQueries")
  void exceptionCarriesPosition(String query, String expected) {
    if (expected == null) {
      return;
    }
    try {
      PromqlParser.parse(query);
    } catch (ParseException e) {
      assertThat(expected).startsWith(e.line() + ":" + e.column() + ": parse error: ");
    }
  }
}
