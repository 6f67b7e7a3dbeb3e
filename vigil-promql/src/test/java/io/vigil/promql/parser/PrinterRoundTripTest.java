package io.vigil.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.promql.parser.Expr.AggregateExpr;
import io.vigil.promql.parser.Expr.BinaryExpr;
import io.vigil.promql.parser.Expr.Call;
import io.vigil.promql.parser.Expr.DurationExpr;
import io.vigil.promql.parser.Expr.MatrixSelector;
import io.vigil.promql.parser.Expr.NumberLiteral;
import io.vigil.promql.parser.Expr.ParenExpr;
import io.vigil.promql.parser.Expr.StringLiteral;
import io.vigil.promql.parser.Expr.SubqueryExpr;
import io.vigil.promql.parser.Expr.UnaryExpr;
import io.vigil.promql.parser.Expr.VectorSelector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** parse(print(ast)) == ast, positions aside, for the one-line and the pretty form. */
class PrinterRoundTripTest {
  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {
      "1", "-1.5", "0x1F", "1e6", "+Inf", "NaN", "\"a\\\"b\"", "'x'", "`raw\\n`",
      "foo", "foo{a=\"b\",c!~\"d.*\"}", "{__name__=\"foo\",a=\"b\"}", "{\"my.metric\", a=\"b\"}",
      "foo offset 5m", "foo offset -1h30m", "foo @ 100", "foo @ start()", "foo[5m] @ end() offset 1m",
      "rate(foo[5m])", "sum by (job) (rate(foo[5m]))", "sum(foo) without (a, b)", "topk(5, foo)",
      "count_values(\"v\", foo)", "quantile without () (0.9, foo)",
      "a + b * c ^ d ^ e", "(a + b) * c", "a - -b", "-a ^ 2", "a == bool 1", "a > on (x) group_left (y) b",
      "a / ignoring (x) group_right () b", "a and on () b or c unless d", "a atan2 b",
      "rate(foo[5m])[30m:1m]", "max_over_time(foo[10m:])", "foo[5m:1m] offset 2m @ 100",
      "histogram_quantile(0.9, sum by (le) (rate(x_bucket[5m])))", "label_replace(up, \"a\", \"$1\", \"b\", \"(.*)\")",
      "round(foo, 0.1)", "vector(time())", "sum by (le) (a) / on () group_left sum(b)", "1 + 2 * 3",
      "sum(a) by (x) + avg(b)", "# comment\nfoo # more",
      "sum by (job, instance) (rate(http_requests_total{job=~\"api|web\",code!=\"500\"}[5m])) / on (job) group_left () sum by (job) (rate(http_requests_total[5m]))"})
  void roundTrips(String query) {
    Expr parsed = PromqlParser.parse(query);
    String printed = Printer.toString(parsed);
    assertThat(strip(PromqlParser.parse(printed))).as(printed).isEqualTo(strip(parsed));
    String pretty = Printer.prettify(parsed);
    assertThat(strip(PromqlParser.parse(pretty))).as(pretty).isEqualTo(strip(parsed));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"foo[5m+1m]", "foo[step()*2:1m]", "foo offset (2*1m)", "foo[5m::1m]", "foo[5m] anchored",
      "a + fill(0) b"})
  void roundTripsExperimental(String query) {
    Expr parsed = PromqlParser.parse(query, ParserOptions.ALL_EXPERIMENTAL);
    String printed = Printer.toString(parsed);
    assertThat(strip(PromqlParser.parse(printed, ParserOptions.ALL_EXPERIMENTAL))).as(printed).isEqualTo(strip(parsed));
  }

  @org.junit.jupiter.api.Test
  void prettyPrintsLongExpressionsOnSeveralLines() {
    String q = "sum by (job, instance) (rate(http_requests_total{job=~\"api|web\",code!=\"500\"}[5m])) "
        + "/ on (job) group_left () sum by (job) (rate(http_requests_total[5m]))";
    assertThat(Printer.prettify(PromqlParser.parse(q))).isEqualTo("""
          sum by (job, instance) (rate(http_requests_total{code!="500",job=~"api|web"}[5m]))
        / on (job) group_left ()
          sum by (job) (rate(http_requests_total[5m]))""");
    assertThat(Printer.toString(PromqlParser.parse("SUM BY (a) (x)"))).isEqualTo("sum by (a) (x)");
    assertThat(Printer.toString(PromqlParser.parse("1000000"))).isEqualTo("1e+06");
  }

  private static final PosRange Z = PosRange.NONE;

  /** The same tree with every position zeroed and matchers in printed order (the printer sorts them), so that trees parsed from different texts compare. */
  static Expr strip(Expr e) {
    return switch (e) {
      case NumberLiteral n -> new NumberLiteral(n.value(), false, Z);
      case StringLiteral s -> new StringLiteral(s.value(), Z);
      case VectorSelector v -> new VectorSelector(v.name(), v.matchers().stream().sorted(java.util.Comparator.comparing(Object::toString)).toList(), v.offsetMs(), (DurationExpr) stripD(v.offsetExpr()),
          v.at(), v.atMs(), v.anchored(), v.smoothed(), v.bypassEmptyMatcherCheck(), Z);
      case MatrixSelector m -> new MatrixSelector((VectorSelector) strip(m.selector()), m.rangeMs(),
          (DurationExpr) stripD(m.rangeExpr()), 0);
      case SubqueryExpr s -> new SubqueryExpr(strip(s.expr()), s.rangeMs(), (DurationExpr) stripD(s.rangeExpr()),
          s.stepMs(), (DurationExpr) stripD(s.stepExpr()), s.aligned(), s.offsetMs(), (DurationExpr) stripD(s.offsetExpr()),
          s.at(), s.atMs(), 0);
      case Call c -> new Call(c.func(), c.args().stream().map(PrinterRoundTripTest::strip).toList(), Z);
      case AggregateExpr a -> new AggregateExpr(a.op(), strip(a.expr()), a.param() == null ? null : strip(a.param()),
          a.grouping(), a.without(), Z);
      case BinaryExpr b -> new BinaryExpr(b.op(), strip(b.lhs()), strip(b.rhs()), b.matching(), b.returnBool());
      case UnaryExpr u -> new UnaryExpr(u.op(), strip(u.expr()), 0);
      case ParenExpr p -> new ParenExpr(strip(p.expr()), Z);
      case DurationExpr d -> stripD(d);
    };
  }

  private static DurationExpr stripD(Expr e) {
    if (e == null) {
      return null;
    }
    DurationExpr d = (DurationExpr) e;
    return new DurationExpr(d.op(), d.lhs() == null ? null : strip(d.lhs()), d.rhs() == null ? null : strip(d.rhs()),
        d.wrapped(), Z);
  }
}
