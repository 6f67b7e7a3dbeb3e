package io.vigil.exposition;

import static io.vigil.exposition.ExpositionFormat.OPENMETRICS_TEXT;
import static io.vigil.exposition.ExpositionFormat.PROMETHEUS_TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.model.Labels;
import io.vigil.model.MetricType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class FamilyCollectorTest {

  static List<MetricFamily> collect(ExpositionFormat format, String body) throws ExpositionException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    return FamilyCollector.collect(ExpositionParser.create(format, b, 0, b.length, ParserOptions.DEFAULTS));
  }

  static String error(ExpositionFormat format, String body) {
    return errorBytes(format, body.getBytes(StandardCharsets.UTF_8));
  }

  static String errorBytes(ExpositionFormat format, byte[] body) {
    try {
      throw new AssertionError("parsed: " + FamilyCollector.collect(
          ExpositionParser.create(format, body, 0, body.length, ParserOptions.DEFAULTS)));
    } catch (ExpositionException e) {
      return e.getMessage();
    }
  }

  @Test
  void histogramSummaryCounterAndUntyped() throws Exception {
    List<MetricFamily> fs = collect(PROMETHEUS_TEXT, """
        # HELP h Hist.
        # TYPE h histogram
        h_bucket{p="a",le="1"} 2
        h_bucket{p="a",le="+Inf"} 3
        h_sum{p="a"} 4.5
        h_count{p="a"} 3
        # TYPE s summary
        s{quantile="0.9"} 7
        s{quantile="0.5"} 5
        s_sum 12
        s_count 2
        # TYPE c_total counter
        c_total{x="1"} 10
        u 1
        """);
    assertThat(fs).containsExactly(
        new MetricFamily("h", MetricType.HISTOGRAM, "Hist.", "", List.of(MetricPoint.of(Labels.of("p", "a"),
            new PointValue.Histogram(3, 4.5, List.of(new PointValue.Bucket(1, 2), new PointValue.Bucket(Double.POSITIVE_INFINITY, 3)))))),
        new MetricFamily("s", MetricType.SUMMARY, null, "", List.of(MetricPoint.of(Labels.EMPTY,
            new PointValue.Summary(2, 12, List.of(new PointValue.Quantile(0.5, 5), new PointValue.Quantile(0.9, 7)))))),
        new MetricFamily("c_total", MetricType.COUNTER, null, "", List.of(MetricPoint.of(Labels.of("x", "1"), new PointValue.Scalar(10)))),
        new MetricFamily("u", MetricType.UNKNOWN, null, "", List.of(MetricPoint.of(Labels.EMPTY, new PointValue.Scalar(1)))));
  }

  @Test
  void theSameNameInTwoPlacesIsMergedAsThePushgatewayDoes() throws Exception {
    List<MetricFamily> fs = collect(PROMETHEUS_TEXT, "# TYPE a gauge\na{x=\"1\"} 1\nb 2\na{x=\"2\"} 3\n");
    assertThat(fs).extracting(MetricFamily::name).containsExactly("a", "b");
    assertThat(fs.get(0).points()).extracting(p -> p.labels().get("x")).containsExactly("1", "2");
  }

  @Test
  void histogramWithoutInfBucketGetsOneEqualToCount() throws Exception {
    PointValue.Histogram h = (PointValue.Histogram) collect(PROMETHEUS_TEXT,
        "# TYPE h histogram\nh_bucket{le=\"60\"} 2\nh_bucket{le=\"300\"} 5\nh_sum 1234.5\nh_count 6\n")
        .get(0).points().get(0).value();
    assertThat(h.buckets()).containsExactly(new PointValue.Bucket(60, 2), new PointValue.Bucket(300, 5),
        new PointValue.Bucket(Double.POSITIVE_INFINITY, 6));
    PointValue.Histogram noCount = (PointValue.Histogram) collect(PROMETHEUS_TEXT,
        "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 4\n").get(0).points().get(0).value();
    assertThat(noCount.count()).isEqualTo(4);
    assertThat(noCount.sum()).isEqualTo(0);
  }

  @Test
  void pushgatewayErrors() {
    assertThat(error(PROMETHEUS_TEXT, "# TYPE a gauge\na 1\n# TYPE a gauge\n"))
        .isEqualTo("line 3, column 1: TYPE line for metric family \"a\" after its samples");
    assertThat(error(PROMETHEUS_TEXT, "a 1\n# TYPE a gauge\n"))
        .isEqualTo("line 2, column 1: TYPE line for metric family \"a\" after its samples");
    assertThat(error(PROMETHEUS_TEXT, "# TYPE a gauge\n# TYPE a counter\n"))
        .isEqualTo("line 2, column 1: second TYPE line for metric family \"a\"");
    assertThat(error(PROMETHEUS_TEXT, "# HELP a x\na 1\n# HELP a y\n"))
        .isEqualTo("line 3, column 1: second HELP line for metric family \"a\"");
    assertThat(error(PROMETHEUS_TEXT, "a{x=\"1\",y=\"2\"} 1\na{y=\"2\",x=\"1\"} 2\n"))
        .isEqualTo("line 2, column 1: duplicate sample a{x=\"1\", y=\"2\"}: the same series appeared earlier in the body");
    assertThat(error(PROMETHEUS_TEXT, "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"1.0\"} 1\n"))
        .isEqualTo("line 3, column 1: duplicate sample h_bucket with le=\"1.0\": the same series appeared earlier in the body");
    assertThat(error(PROMETHEUS_TEXT, "# TYPE h histogram\nh_sum 1\nh_sum 2\n"))
        .isEqualTo("line 3, column 1: duplicate sample h_sum: the same series appeared earlier in the body");
    assertThat(error(PROMETHEUS_TEXT, "# TYPE h histogram\nh_bucket 1\n"))
        .isEqualTo("line 2, column 1: histogram bucket \"h_bucket\" has no le label");
    assertThat(error(PROMETHEUS_TEXT, "# TYPE h histogram\nh_bucket{le=\"x\"} 1\n"))
        .isEqualTo("line 2, column 1: invalid le label value \"x\" on \"h_bucket\": expected a number or +Inf");
    assertThat(error(PROMETHEUS_TEXT, "# TYPE h histogram\nh 1\n"))
        .isEqualTo("line 2, column 1: sample \"h\" does not fit the histogram family \"h\" (expected h_bucket, _sum or _count)");
    assertThat(error(PROMETHEUS_TEXT, "# TYPE s summary\ns 1\n"))
        .isEqualTo("line 2, column 1: summary sample \"s\" has no quantile label");
    assertThat(error(PROMETHEUS_TEXT, "# TYPE h histogram\nh_sum{le=\"1\"} 1\n"))
        .isEqualTo("line 2, column 1: label \"le\" on \"h_sum\": in a histogram family only buckets carry it");
    assertThat(error(PROMETHEUS_TEXT, "# TYPE h histogram\nh_bucket{le=\"1\"} 1 100\nh_sum 1 200\n"))
        .isEqualTo("line 3, column 1: samples of one histogram point of \"h\" {} have different timestamps");
  }

  @Test
  void familiesWithoutSamplesAreDroppedAndHelpIsNeverInvented() throws Exception {
    List<MetricFamily> fs = collect(PROMETHEUS_TEXT, "# HELP a x\n# TYPE a gauge\n# HELP b with help\nb 1\nc 2\n");
    assertThat(fs).extracting(MetricFamily::name).containsExactly("b", "c");
    assertThat(fs.get(0).help()).isEqualTo("with help");
    assertThat(fs.get(1).help()).isNull();
  }

  @Test
  void openMetricsFamiliesBecomeTheClientGolangModel() throws Exception {
    List<MetricFamily> fs = collect(OPENMETRICS_TEXT, """
        # TYPE runs counter
        # UNIT runs\s
        runs_total{r="ok"} 41 1.5 # {trace="a"} 1
        runs_created{r="ok"} 1700000000.5 1.5
        # TYPE build info
        build_info{v="1"} 1
        # TYPE st stateset
        st{st="a"} 1
        st{st="b"} 0
        # TYPE gh gaugehistogram
        gh_bucket{le="1.0"} 1 # {t="x"} 0.5 2
        gh_gcount 3
        gh_gsum 2
        # TYPE q summary
        q_count 2
        q_sum 4
        q_created 1.0
        # EOF
        """);
    assertThat(fs).extracting(MetricFamily::name).containsExactly("runs_total", "build_info", "st", "gh", "q");
    MetricPoint runs = fs.get(0).points().get(0);
    assertThat(runs).isEqualTo(new MetricPoint(Labels.of("r", "ok"),
        new PointValue.Scalar(41, new Exemplar(Labels.of("trace", "a"), 1, false, 0)), true, 1500, 1700000000.5));
    assertThat(fs.get(1).type()).isEqualTo(MetricType.INFO);
    assertThat(fs.get(2).points()).hasSize(2);
    assertThat(fs.get(3).points().get(0).value()).isEqualTo(new PointValue.Histogram(3, 2, List.of(
        new PointValue.Bucket(1, 1, new Exemplar(Labels.of("t", "x"), 0.5, true, 2000)))));
    assertThat(fs.get(4).points().get(0)).isEqualTo(new MetricPoint(Labels.EMPTY,
        new PointValue.Summary(2, 4, List.of()), false, 0, 1.0));
  }

  @Test
  void openMetricsErrorsTheParserCannotSee() {
    assertThat(error(OPENMETRICS_TEXT, "# TYPE x counter\nx_total 1\n# TYPE x_total gauge\nx_total 2\n# EOF\n"))
        .isEqualTo("line 3, column 1: metric family \"x_total\" is \"x_total\" in the 0.0.4 model, as is the family at line 1");
    assertThat(error(OPENMETRICS_TEXT, "# TYPE x counter\nx_created 1\n# EOF\n"))
        .isEqualTo("line 1, column 1: counter \"x\" {} has a _created sample but no other sample");
  }

  @Test
  void modelRejectsValuesThatDoNotFitTheType() {
    assertThatThrownBy(() -> new MetricFamily("h", MetricType.HISTOGRAM, null, "",
        List.of(MetricPoint.of(Labels.EMPTY, new PointValue.Scalar(1)))))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("a Scalar point in histogram family h");
    assertThatThrownBy(() -> new MetricFamily("9x", MetricType.GAUGE, null, "", List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PointValue.Histogram(1, 1, List.of(new PointValue.Bucket(1, 1), new PointValue.Bucket(1, 2))))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
