package io.vigil.exposition;

import static io.vigil.exposition.ExpositionFormat.PROMETHEUS_TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.model.Labels;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromTextParserTest {

  private static List<String> parse(String s) throws ExpositionException {
    return ParseHelper.entries(PROMETHEUS_TEXT, s);
  }

  private static String error(String s) {
    return ParseHelper.error(PROMETHEUS_TEXT, s);
  }

  @Test
  void readsMetadataSeriesAndComments() throws Exception {
    assertThat(parse("""
        # HELP http_requests_total The total number of HTTP requests.
        # TYPE http_requests_total counter
        http_requests_total{method="post",code="200"} 1027 1395066363000
        http_requests_total{method="post",code="400"}    3 1395066363000

        # A normal comment.
        metric_without_timestamp_and_labels 12.47
        something_weird{problem="division by zero"} +Inf -3982045
        """)).isEqualTo(List.of(
        "HELP http_requests_total The total number of HTTP requests.",
        "TYPE http_requests_total counter",
        "SERIES {__name__=\"http_requests_total\", code=\"200\", method=\"post\"} 1027.0 @1395066363000",
        "SERIES {__name__=\"http_requests_total\", code=\"400\", method=\"post\"} 3.0 @1395066363000",
        "COMMENT A normal comment.",
        "SERIES {__name__=\"metric_without_timestamp_and_labels\"} 12.47",
        "SERIES {__name__=\"something_weird\", problem=\"division by zero\"} Infinity @-3982045",
        "EOF"));
  }

  @Test
  void timestampMustBeAnInteger() {
    assertThat(error("m 1 -\n"))
        .isEqualTo("line 1, column 6: expected a timestamp (integer milliseconds) or the end of the line, found end of line");
    assertThat(error("m 1 +5\n"))
        .isEqualTo("line 1, column 5: expected a timestamp (integer milliseconds) or the end of the line, found '+'");
    assertThat(error("m 1 1e3\n"))
        .isEqualTo("line 1, column 6: expected the end of the line after the timestamp (integer milliseconds), found 'e'");
  }

  @Test
  void acceptsWhatPrometheusAccepts() throws Exception {
    assertThat(parse("  m{} 1\n\t\n"
        + "m2 {a = \"1\" , } 2 \t\n"
        + "m3{a=\"1\" b=\"2\"} 3\n"
        + "m4{a=\"1\"}4\n"
        + "#HELP not_help x\n"
        + "# HELP\n"
        + "#\tTYPE  m5\tgauge  \n"
        + "# HELP m5   two leading blanks kept\n"
        + "# HELP m6\n"
        + "m5 5")).isEqualTo(List.of(
        "SERIES {__name__=\"m\"} 1.0",
        "SERIES {__name__=\"m2\", a=\"1\"} 2.0",
        "SERIES {__name__=\"m3\", a=\"1\", b=\"2\"} 3.0",
        "SERIES {__name__=\"m4\", a=\"1\"} 4.0",
        "COMMENT HELP not_help x",
        "COMMENT HELP",
        "TYPE m5 gauge",
        "HELP m5   two leading blanks kept",
        "HELP m6 ",
        "SERIES {__name__=\"m5\"} 5.0",
        "EOF"));
  }

  @Test
  void seriesBytesAreTheInputBytes() throws Exception {
    byte[] in = "a_b:c {x=\"1\",y=\"\\\"\"} 1\nplain 2\n".getBytes(StandardCharsets.UTF_8);
    ExpositionParser p = ExpositionParser.create(PROMETHEUS_TEXT, in, 0, in.length, ParserOptions.DEFAULTS);
    assertThat(p.next()).isEqualTo(Entry.SERIES);
    assertThat(p.series().toString()).isEqualTo("a_b:c {x=\"1\",y=\"\\\"\"}");
    assertThat(p.series().array()).isSameAs(in);
    assertThat(p.metricName().toString()).isEqualTo("a_b:c");
    assertThat(p.line()).isEqualTo(1);
    assertThat(p.next()).isEqualTo(Entry.SERIES);
    assertThat(p.series().toString()).isEqualTo("plain");
    assertThat(p.line()).isEqualTo(2);
    assertThat(p.next()).isEqualTo(Entry.EOF);
    assertThat(p.next()).isEqualTo(Entry.EOF);
  }

  @Test
  void escapesInLabelValuesAndHelp() throws Exception {
    assertThat(parse("# HELP m a \\\\ b \\n c \\\" d \\t\n"
        + "m{p=\"C:\\\\dir\\n\\\"q\\\"\",t=\"\\t\"} 1\n")).isEqualTo(List.of(
        "HELP m a \\ b \n c \\\" d \\t",
        "SERIES {__name__=\"m\", p=\"C:\\\\dir\\n\\\"q\\\"\", t=\"\\\\t\"} 1.0",
        "EOF"));
  }

  @Test
  void strictEscapesRejectUnknownOnes() {
    ParserOptions strict = ParserOptions.DEFAULTS.withStrictEscapes(true);
    assertThat(ParseHelper.error(PROMETHEUS_TEXT, "m{a=\"x\\ty\"} 1\n".getBytes(StandardCharsets.UTF_8), strict))
        .isEqualTo("line 1, column 7: invalid escape sequence '\\t' in label value (only \\\\, \\\" and \\n)");
    assertThat(ParseHelper.error(PROMETHEUS_TEXT, "# HELP m a \\\" b\n".getBytes(StandardCharsets.UTF_8), strict))
        .isEqualTo("line 1, column 12: invalid escape sequence '\\\"' in HELP text");
  }

  @Test
  void utf8InLabelValuesAndColumnsCountCharacters() throws Exception {
    assertThat(parse("m{h=\"höst ✓\"} 1\n")).containsExactly("SERIES {__name__=\"m\", h=\"höst ✓\"} 1.0", "EOF");
    assertThat(error("m{h=\"höst\" x} 1\n"))
        .isEqualTo("line 1, column 13: expected '=' after label name \"x\", found '}'");
    byte[] bad = "m{h=\"a\u0000\"} 1\nm{h=\"\u00ff\"} 1\n".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(ParseHelper.error(PROMETHEUS_TEXT, bad, ParserOptions.DEFAULTS))
        .isEqualTo("line 2, column 6: invalid UTF-8 in the value of label \"h\"");
  }

  @Test
  void syntaxErrorsSayWhereAndWhat() {
    assertThat(error("# TYPE m counter\nm{job=\"a\",instance} 1\n"))
        .isEqualTo("line 2, column 19: expected '=' after label name \"instance\", found '}'");
    assertThat(error("m{job=\"a\"\n"))
        .isEqualTo("line 1, column 10: expected ',' or '}' after label value, found end of line");
    assertThat(error("m{job=\"a"))
        .isEqualTo("line 1, column 9: expected '\"' to end the value of label \"job\", found end of input");
    assertThat(error("m{job=\"a\n\"} 1"))
        .isEqualTo("line 1, column 9: expected '\"' to end the value of label \"job\", found end of line");
    assertThat(error("m{job=a} 1\n"))
        .isEqualTo("line 1, column 7: expected '\"' to start the value of label \"job\", found 'a'");
    assertThat(error("m{,a=\"1\"} 1\n"))
        .isEqualTo("line 1, column 3: expected label name or '}', found ','");
    assertThat(error("m{a=\"1\",,} 1\n"))
        .isEqualTo("line 1, column 9: expected label name or '}', found ','");
    assertThat(error("m\n"))
        .isEqualTo("line 1, column 2: expected a sample value after the metric, found end of line");
    assertThat(error("m{a=\"1\"}"))
        .isEqualTo("line 1, column 9: expected a sample value after the metric and labels, found end of input");
    assertThat(error("ok 1\nm 1 2 3\n"))
        .isEqualTo("line 2, column 7: expected the end of the line after the timestamp (integer milliseconds), found '3'");
    assertThat(error("m 1 1.5\n"))
        .isEqualTo("line 1, column 6: expected the end of the line after the timestamp (integer milliseconds), found '.'");
    assertThat(error("m 1 99999999999999999999\n"))
        .isEqualTo("line 1, column 5: timestamp \"99999999999999999999\" is out of the int64 range");
    assertThat(error("m{a=\"1\\"))
        .isEqualTo("line 1, column 7: expected a character after '\\' in label value, found end of input");
  }

  @Test
  void invalidNames() {
    assertThat(error("0m 1\n"))
        .isEqualTo("line 1, column 1: expected a metric name or '#' at the start of a line, found '0'");
    assertThat(error("m-x 1\n"))
        .isEqualTo("line 1, column 2: expected a number, NaN, +Inf or -Inf as sample value, found \"-x\"");
    assertThat(error("m{0a=\"1\"} 1\n"))
        .isEqualTo("line 1, column 3: expected label name or '}', found '0'");
    assertThat(error("m{a:b=\"1\"} 1\n"))
        .isEqualTo("line 1, column 4: expected '=' after label name \"a\", found ':'");
    assertThat(error("m{\"quoted.name\"=\"1\"} 1\n"))
        .isEqualTo("line 1, column 3: expected label name or '}', found '\"'");
    assertThat(error("{a=\"1\"} 1\n"))
        .isEqualTo("line 1, column 1: expected a metric name or '#' at the start of a line, found '{'");
    assertThat(error("# TYPE 9m counter\n"))
        .isEqualTo("line 1, column 8: expected a metric name after TYPE, found '9'");
    assertThat(error("# HELP m.x help\n"))
        .isEqualTo("line 1, column 9: expected a blank after the metric name in HELP, found '.'");
    assertThat(error("m{a=\"1\",a=\"2\"} 1\n"))
        .isEqualTo("line 1, column 9: duplicate label name \"a\"");
    assertThat(error("m{__name__=\"x\"} 1\n"))
        .isEqualTo("line 1, column 3: duplicate label name \"__name__\": the metric name is already given before '{'");
  }

  @Test
  void typeWords() throws Exception {
    assertThat(parse("# TYPE a counter\n# TYPE b gauge\n# TYPE c histogram\n# TYPE d summary\n# TYPE e untyped\n"))
        .containsExactly("TYPE a counter", "TYPE b gauge", "TYPE c histogram", "TYPE d summary", "TYPE e unknown", "EOF");
    assertThat(error("# TYPE a Counter\n"))
        .isEqualTo("line 1, column 10: expected counter, gauge, histogram, summary or untyped after the metric name in TYPE, found \"Counter\"");
    assertThat(error("# TYPE a info\n"))
        .isEqualTo("line 1, column 10: expected counter, gauge, histogram, summary or untyped after the metric name in TYPE, found \"info\"");
    assertThat(error("# TYPE a\n"))
        .isEqualTo("line 1, column 9: expected counter, gauge, histogram, summary or untyped after the metric name in TYPE, found end of line");
  }

  @Test
  void duplicateMetadataAndTypeAfterSamplesAreLeftToTheCollectorAsInPrometheus() throws Exception {
    assertThat(parse("# TYPE a counter\n# TYPE a counter\na 1\n# TYPE a gauge\n# HELP a x\n# HELP a y\n"))
        .containsExactly("TYPE a counter", "TYPE a counter", "SERIES {__name__=\"a\"} 1.0", "TYPE a gauge",
            "HELP a x", "HELP a y", "EOF");
  }

  @Test
  void valueSpellings() throws Exception {
    String in = "a NaN\nb nan\nc +Inf\nd -Inf\ne Inf\nf inf\ng +infinity\nh -INF\ni 1e+06\nj -0\nk .5\nl 5.\n"
        + "m 1E-3\nn +7\no 0.1\np 1e-400\n";
    assertThat(parse(in)).containsExactly("SERIES {__name__=\"a\"} NaN", "SERIES {__name__=\"b\"} NaN",
        "SERIES {__name__=\"c\"} Infinity", "SERIES {__name__=\"d\"} -Infinity", "SERIES {__name__=\"e\"} Infinity",
        "SERIES {__name__=\"f\"} Infinity", "SERIES {__name__=\"g\"} Infinity", "SERIES {__name__=\"h\"} -Infinity",
        "SERIES {__name__=\"i\"} 1000000.0", "SERIES {__name__=\"j\"} -0.0", "SERIES {__name__=\"k\"} 0.5",
        "SERIES {__name__=\"l\"} 5.0", "SERIES {__name__=\"m\"} 0.001", "SERIES {__name__=\"n\"} 7.0",
        "SERIES {__name__=\"o\"} 0.1", "SERIES {__name__=\"p\"} 0.0", "EOF");
    for (String bad : new String[] {"+NaN", "-nan", "NaNa", "Infinit", "1e", "1e+", "0x1p3", "0x10", "1_000",
        "--1", "+", ".", "1.2.3", "1d", "1f", "one", "∞"}) {
      assertThat(error("m " + bad + "\n")).as(bad)
          .isEqualTo("line 1, column 3: expected a number, NaN, +Inf or -Inf as sample value, found \"" + bad + "\"");
    }
    assertThat(error("m 1e400\n")).isEqualTo("line 1, column 3: sample value \"1e400\" is out of the float64 range");
    assertThat(error("m 1\r\n")).isEqualTo("line 1, column 3: expected a number, NaN, +Inf or -Inf as sample value, found \"1\\r\"");
  }

  @Test
  void nanIsNeverTheStalenessMarker() throws Exception {
    byte[] in = "m NaN\n".getBytes(StandardCharsets.UTF_8);
    ExpositionParser p = ExpositionParser.create(PROMETHEUS_TEXT, in, 0, in.length, ParserOptions.DEFAULTS);
    p.next();
    assertThat(Double.doubleToRawLongBits(p.value())).isEqualTo(Double.doubleToRawLongBits(Double.NaN));
  }

  @Test
  void errorsAreStickyAndAccessorsCheckTheEntry() throws Exception {
    byte[] in = "# TYPE m gauge\nm{ 1\n".getBytes(StandardCharsets.UTF_8);
    ExpositionParser p = ExpositionParser.create(PROMETHEUS_TEXT, in, 0, in.length, ParserOptions.DEFAULTS);
    assertThat(p.next()).isEqualTo(Entry.TYPE);
    assertThatThrownBy(p::value).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(p::series).isInstanceOf(IllegalStateException.class);
    ExpositionException first = null;
    try {
      p.next();
    } catch (ExpositionException e) {
      first = e;
    }
    assertThat(first).isNotNull();
    assertThat(first.line()).isEqualTo(2);
    assertThat(first.column()).isEqualTo(4);
    assertThat(first.byteOffset()).isEqualTo(18);
    assertThat(first.detail()).isEqualTo("expected label name or '}', found '1'");
    ExpositionException again = null;
    try {
      p.next();
    } catch (ExpositionException e) {
      again = e;
    }
    assertThat(again).isSameAs(first);
  }

  @Test
  void labelsFillsABuilderWithNameFirstAndUnescapedValues() throws Exception {
    byte[] in = "m{b=\"2\",a=\"x\\\"y\",e=\"\"} 1\n".getBytes(StandardCharsets.UTF_8);
    ExpositionParser p = ExpositionParser.create(PROMETHEUS_TEXT, in, 0, in.length, ParserOptions.DEFAULTS);
    p.next();
    Labels.Builder b = new Labels.Builder().add("stale", "x");
    p.labels(b);
    assertThat(b.size()).isEqualTo(4); // reset first; the empty value is added, build drops it
    assertThat(b.build()).isEqualTo(Labels.of("__name__", "m", "a", "x\"y", "b", "2"));
  }

  @Test
  void resetReusesTheParser() throws Exception {
    byte[] a = "a 1\n".getBytes(StandardCharsets.UTF_8);
    byte[] b = "bb{x=\"y\"} 2\n".getBytes(StandardCharsets.UTF_8);
    ExpositionParser p = ExpositionParser.create(PROMETHEUS_TEXT, a, 0, a.length, ParserOptions.DEFAULTS);
    assertThat(p.next()).isEqualTo(Entry.SERIES);
    p.reset(b, 0, b.length);
    assertThat(p.next()).isEqualTo(Entry.SERIES);
    assertThat(p.series().toString()).isEqualTo("bb{x=\"y\"}");
    assertThat(p.value()).isEqualTo(2.0);
  }
}
