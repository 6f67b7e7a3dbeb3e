package io.vigil.exposition;

import static io.vigil.exposition.ExpositionFormat.OPENMETRICS_TEXT;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OpenMetricsParserTest {

  private static List<String> parse(String s) throws ExpositionException {
    return ParseHelper.entries(OPENMETRICS_TEXT, s);
  }

  private static String error(String s) {
    return ParseHelper.error(OPENMETRICS_TEXT, s);
  }

  @Test
  void readsAllFamilyTypesUnitsAndExemplars() throws Exception {
    assertThat(parse("""
        # TYPE acme_http_router_request_seconds summary
        # UNIT acme_http_router_request_seconds seconds
        # HELP acme_http_router_request_seconds Latency though all of ACME's HTTP request router.
        acme_http_router_request_seconds_sum{path="/api/v1",method="GET"} 9036.32
        acme_http_router_request_seconds_count{path="/api/v1",method="GET"} 807283.0
        acme_http_router_request_seconds_created{path="/api/v1",method="GET"} 1605281325.0
        # TYPE foo counter
        foo_total 17.0 1520879607.789 # {id="counter-test"} 5
        foo_created 1520872607.123
        # TYPE hist histogram
        hist_bucket{le="1.0"} 2 # {trace_id="a"} 0.5 1520879607.7079527
        hist_bucket{le="+Inf"} 3
        hist_count 3
        hist_sum 4.5
        # TYPE gh gaugehistogram
        gh_bucket{le="+Inf"} 1
        gh_gcount 1
        gh_gsum 2
        # TYPE build info
        build_info{version="1"} 1
        # TYPE state stateset
        state{state="a"} 1
        # TYPE u unknown
        u{} -Inf
        # HELP h help with \\" and \\\\ and \\n
        h 1
        # EOF
        """)).containsExactly(
        "TYPE acme_http_router_request_seconds summary",
        "UNIT acme_http_router_request_seconds seconds",
        "HELP acme_http_router_request_seconds Latency though all of ACME's HTTP request router.",
        "SERIES {__name__=\"acme_http_router_request_seconds_sum\", method=\"GET\", path=\"/api/v1\"} 9036.32",
        "SERIES {__name__=\"acme_http_router_request_seconds_count\", method=\"GET\", path=\"/api/v1\"} 807283.0",
        "SERIES {__name__=\"acme_http_router_request_seconds_created\", method=\"GET\", path=\"/api/v1\"} 1.605281325E9",
        "TYPE foo counter",
        "SERIES {__name__=\"foo_total\"} 17.0 @1520879607789 # {id=\"counter-test\"} 5.0",
        "SERIES {__name__=\"foo_created\"} 1.520872607123E9",
        "TYPE hist histogram",
        "SERIES {__name__=\"hist_bucket\", le=\"1.0\"} 2.0 # {trace_id=\"a\"} 0.5 @1520879607708",
        "SERIES {__name__=\"hist_bucket\", le=\"+Inf\"} 3.0",
        "SERIES {__name__=\"hist_count\"} 3.0",
        "SERIES {__name__=\"hist_sum\"} 4.5",
        "TYPE gh gaugehistogram",
        "SERIES {__name__=\"gh_bucket\", le=\"+Inf\"} 1.0",
        "SERIES {__name__=\"gh_gcount\"} 1.0",
        "SERIES {__name__=\"gh_gsum\"} 2.0",
        "TYPE build info",
        "SERIES {__name__=\"build_info\", version=\"1\"} 1.0",
        "TYPE state stateset",
        "SERIES {__name__=\"state\", state=\"a\"} 1.0",
        "TYPE u unknown",
        "SERIES {__name__=\"u\"} -Infinity",
        "HELP h help with \" and \\ and \n",
        "SERIES {__name__=\"h\"} 1.0",
        "EOF");
  }

  @Test
  void eofRules() throws Exception {
    assertThat(parse("# EOF")).containsExactly("EOF");
    assertThat(parse("m 1\n# EOF\n")).containsExactly("SERIES {__name__=\"m\"} 1.0", "EOF");
    assertThat(error("m 1\n")).isEqualTo("line 2, column 1: expected \"# EOF\" as the last line, found end of input");
    assertThat(error("")).isEqualTo("line 1, column 1: expected \"# EOF\" as the last line, found end of input");
    assertThat(error("m 1")).isEqualTo("line 1, column 4: expected the end of the line, found end of input");
    assertThat(error("# EOF\nm 1\n")).isEqualTo("line 2, column 1: unexpected content after \"# EOF\", found 'm'");
    assertThat(error("# EOF\n\n")).isEqualTo("line 2, column 1: unexpected content after \"# EOF\", found end of line");
    assertThat(error("# EOF \n")).isEqualTo(
        "line 1, column 1: expected \"# HELP \", \"# TYPE \", \"# UNIT \" or \"# EOF\", found \"# EOF \" (OpenMetrics has no other comments)");
  }

  @Test
  void whitespaceIsStrict() {
    assertThat(error("\n# EOF\n")).isEqualTo(
        "line 1, column 1: expected a metric name or '#' at the start of a line, found end of line (OpenMetrics allows no blank lines)");
    assertThat(error(" m 1\n# EOF\n")).isEqualTo(
        "line 1, column 1: expected a metric name or '#' at the start of a line, found ' ' (OpenMetrics allows no leading blanks)");
    assertThat(error("m  1\n# EOF\n")).isEqualTo("line 1, column 3: expected a sample value, found ' '");
    assertThat(error("m 1 \n# EOF\n")).isEqualTo("line 1, column 5: expected a timestamp or an exemplar after ' ', found end of line");
    assertThat(error("m{a=\"1\", b=\"2\"} 1\n# EOF\n")).isEqualTo("line 1, column 9: expected label name or '}', found ' '");
    assertThat(error("m{a=\"1\" } 1\n# EOF\n")).isEqualTo("line 1, column 8: expected ',' or '}' after label value, found ' '");
    assertThat(error("m\t1\n# EOF\n")).isEqualTo("line 1, column 2: expected ' ' and a sample value after the metric, found '\\t'");
    assertThat(error("# comment\n# EOF\n")).isEqualTo(
        "line 1, column 1: expected \"# HELP \", \"# TYPE \", \"# UNIT \" or \"# EOF\", found \"# comme\" (OpenMetrics has no other comments)");
    assertThat(error("# HELP m\n# EOF\n")).isEqualTo("line 1, column 9: expected ' ' after the metric family name in HELP, found end of line");
  }

  @Test
  void emptyLabelSetsAndTrailingCommas() throws Exception {
    assertThat(parse("m{} 1\nn{a=\"1\",} 2\n# EOF\n"))
        .containsExactly("SERIES {__name__=\"m\"} 1.0", "SERIES {__name__=\"n\", a=\"1\"} 2.0", "EOF");
  }

  @Test
  void familyStructure() {
    assertThat(error("# TYPE a counter\n# TYPE a counter\n# EOF\n"))
        .isEqualTo("line 2, column 8: second TYPE line for metric family \"a\"");
    assertThat(error("# HELP a x\n# HELP a y\n# EOF\n"))
        .isEqualTo("line 2, column 8: second HELP line for metric family \"a\"");
    assertThat(error("# TYPE a gauge\na 1\n# TYPE a gauge\n# EOF\n"))
        .isEqualTo("line 3, column 8: TYPE line for metric family \"a\" after its samples (OpenMetrics wants metadata first)");
    assertThat(error("# TYPE a gauge\na 1\n# HELP a late\n# EOF\n"))
        .isEqualTo("line 3, column 8: HELP line for metric family \"a\" after its samples (OpenMetrics wants metadata first)");
    assertThat(error("a 1\nb 1\na 2\n# EOF\n"))
        .isEqualTo("line 3, column 1: metric family \"a\" appears again after other families (OpenMetrics keeps a family's lines together)");
    assertThat(error("# TYPE a gauge\na 1\n# TYPE b gauge\n# TYPE a gauge\n# EOF\n"))
        .isEqualTo("line 4, column 8: metric family \"a\" appears again after other families (OpenMetrics keeps a family's lines together)");
    assertThat(error("# TYPE c counter\nc 1\n# EOF\n"))
        .isEqualTo("line 2, column 1: sample name \"c\" does not fit the counter family \"c\" (expected suffix _total or _created)");
    assertThat(error("# TYPE h histogram\nh 1\n# EOF\n"))
        .isEqualTo("line 2, column 1: sample name \"h\" does not fit the histogram family \"h\" (expected suffix _bucket, _count, _sum or _created)");
    assertThat(error("# TYPE i info\ni 1\n# EOF\n"))
        .isEqualTo("line 2, column 1: sample name \"i\" does not fit the info family \"i\" (expected suffix _info)");
    assertThat(error("# TYPE x_seconds gauge\n# UNIT x_seconds bytes\n# EOF\n"))
        .isEqualTo("line 2, column 18: unit \"bytes\" is not a suffix of the metric family name \"x_seconds\" (expected the name to end in \"_bytes\")");
    assertThat(error("# TYPE seconds gauge\n# UNIT seconds seconds\n# EOF\n"))
        .isEqualTo("line 2, column 16: unit \"seconds\" is not a suffix of the metric family name \"seconds\" (expected the name to end in \"_seconds\")");
    assertThat(error("# TYPE a untyped\n# EOF\n"))
        .isEqualTo("line 1, column 10: expected counter, gauge, histogram, gaugehistogram, summary, info, stateset or unknown after the family name in TYPE, found \"untyped\"");
  }

  @Test
  void samplesWithOtherSuffixesOpenNewFamilies() throws Exception {
    assertThat(parse("# TYPE c counter\nc_total 1\nc_sum 2\n# TYPE g gauge\ng 1\ng_total 2\n# EOF\n")).containsExactly(
        "TYPE c counter", "SERIES {__name__=\"c_total\"} 1.0", "SERIES {__name__=\"c_sum\"} 2.0",
        "TYPE g gauge", "SERIES {__name__=\"g\"} 1.0", "SERIES {__name__=\"g_total\"} 2.0", "EOF");
  }

  @Test
  void timestampsAreFloatSeconds() throws Exception {
    assertThat(parse("a 1 1.001\nb 1 -1.5\nc 1 1e3\nd 1 1700000000\n# EOF\n")).containsExactly(
        "SERIES {__name__=\"a\"} 1.0 @1001", "SERIES {__name__=\"b\"} 1.0 @-1500",
        "SERIES {__name__=\"c\"} 1.0 @1000000", "SERIES {__name__=\"d\"} 1.0 @1700000000000", "EOF");
    assertThat(error("a 1 NaN\n# EOF\n")).isEqualTo("line 1, column 5: expected a timestamp in seconds (a finite number), found \"NaN\"");
    assertThat(error("a 1 +Inf\n# EOF\n")).isEqualTo("line 1, column 5: expected a timestamp in seconds (a finite number), found \"+Inf\"");
    assertThat(error("a 1 1e300\n# EOF\n")).isEqualTo("line 1, column 5: timestamp \"1e300\" is out of range");
  }

  @Test
  void exemplarErrors() {
    assertThat(error("# TYPE c counter\nc_total 1 # {a=\"b\"}\n# EOF\n"))
        .isEqualTo("line 2, column 20: expected ' ' and a value after the exemplar labels, found end of line");
    assertThat(error("# TYPE c counter\nc_total 1 #{a=\"b\"} 1\n# EOF\n"))
        .isEqualTo("line 2, column 11: expected \"# {\" to start an exemplar, found \"#{a\"");
    assertThat(error("# TYPE c counter\nc_total 1 # {a=\"b\"} x\n# EOF\n"))
        .isEqualTo("line 2, column 21: expected a number as exemplar value, found \"x\"");
    assertThat(error("# TYPE c counter\nc_total 1 1 2\n# EOF\n"))
        .isEqualTo("line 2, column 13: expected an exemplar (\"# {\") after the timestamp, found '2'");
    assertThat(error("# TYPE c counter\nc_total 1 # {a=\"b\",a=\"c\"} 1\n# EOF\n"))
        .isEqualTo("line 2, column 20: duplicate label name \"a\"");
  }

  @Test
  void contentTypeSelectsTheParser() {
    assertThat(ExpositionFormat.fromContentType("application/openmetrics-text; version=1.0.0; charset=utf-8"))
        .isEqualTo(OPENMETRICS_TEXT);
    assertThat(ExpositionFormat.fromContentType("application/openmetrics-text;version=0.0.1")).isEqualTo(OPENMETRICS_TEXT);
    assertThat(ExpositionFormat.fromContentType("text/plain; version=0.0.4; charset=utf-8"))
        .isEqualTo(ExpositionFormat.PROMETHEUS_TEXT);
    assertThat(ExpositionFormat.fromContentType(null)).isEqualTo(ExpositionFormat.PROMETHEUS_TEXT);
    assertThat(ExpositionFormat.fromContentType("application/json")).isEqualTo(ExpositionFormat.PROMETHEUS_TEXT);
    assertThat(ExpositionFormat.fromContentType(
        "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited"))
        .isEqualTo(ExpositionFormat.PROMETHEUS_PROTOBUF);
    assertThat(ExpositionFormat.fromContentType(
        "Application/Vnd.Google.Protobuf;proto=\"io.prometheus.client.MetricFamily\";encoding=delimited"))
        .isEqualTo(ExpositionFormat.PROMETHEUS_PROTOBUF);
    assertThat(ExpositionFormat.fromContentType("application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=text"))
        .isEqualTo(ExpositionFormat.PROMETHEUS_TEXT);
  }
}
