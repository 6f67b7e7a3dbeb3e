package io.vigil.promql.engine;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.vigil.model.LabelNames;
import io.vigil.model.Labels;
import io.vigil.model.MatchType;
import io.vigil.model.Matcher;
import io.vigil.promql.QueryException;
import io.vigil.promql.engine.Evaluator.MatrixVal;
import io.vigil.promql.engine.Evaluator.ScalarVal;
import io.vigil.promql.engine.Evaluator.StringVal;
import io.vigil.promql.engine.Evaluator.Val;
import io.vigil.promql.engine.Evaluator.VectorVal;
import io.vigil.promql.parser.Expr;
import io.vigil.promql.parser.Expr.Call;
import io.vigil.promql.parser.Expr.MatrixSelector;
import io.vigil.promql.parser.Expr.ParenExpr;
import io.vigil.promql.parser.Expr.SubqueryExpr;
import io.vigil.promql.parser.Expr.VectorSelector;
import io.vigil.promql.parser.GoQuote;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;

/** Evaluates function calls: dispatches to the implementation tables by name. */
final class FunctionCalls {
  /** Elementwise functions on instant vectors; all drop the metric name. */
  private static final Map<String, DoubleUnaryOperator> ELEMENTWISE = new HashMap<>();

  static {
    ELEMENTWISE.put("abs", Math::abs);
    ELEMENTWISE.put("ceil", Math::ceil);
    ELEMENTWISE.put("floor", Math::floor);
    ELEMENTWISE.put("exp", Math::exp);
    ELEMENTWISE.put("sqrt", Math::sqrt);
    ELEMENTWISE.put("ln", Math::log);
    ELEMENTWISE.put("log2", v -> Math.log(v) / Math.log(2));
    ELEMENTWISE.put("log10", Math::log10);
    ELEMENTWISE.put("sin", Math::sin);
    ELEMENTWISE.put("cos", Math::cos);
    ELEMENTWISE.put("tan", Math::tan);
    ELEMENTWISE.put("asin", Math::asin);
    ELEMENTWISE.put("acos", Math::acos);
    ELEMENTWISE.put("atan", Math::atan);
    ELEMENTWISE.put("sinh", Math::sinh);
    ELEMENTWISE.put("cosh", Math::cosh);
    ELEMENTWISE.put("tanh", Math::tanh);
    ELEMENTWISE.put("asinh", v -> Double.isInfinite(v) ? v : Math.log(v + Math.sqrt(v * v + 1)));
    ELEMENTWISE.put("acosh", v -> v < 1 ? Double.NaN : Math.log(v + Math.sqrt(v * v - 1)));
    ELEMENTWISE.put("atanh", v -> v < -1 || v > 1 ? Double.NaN : 0.5 * Math.log((1 + v) / (1 - v)));
    ELEMENTWISE.put("deg", v -> v * 180 / Math.PI);
    ELEMENTWISE.put("rad", v -> v * Math.PI / 180);
    ELEMENTWISE.put("sgn", v -> v < 0 ? -1 : v > 0 ? 1 : v);
  }

  private FunctionCalls() {}

  static Val call(Evaluator ev, Call c, StepGrid grid) {
    String name = c.func().name();
    List<Expr> args = c.args();
    WindowFunction wf = RangeFunctions.TABLE.get(name);
    if (wf != null) {
      return rangeFunction(ev, c, wf, grid);
    }
    DoubleUnaryOperator op = ELEMENTWISE.get(name);
    if (op != null) {
      VectorVal v = (VectorVal) ev.eval(args.get(0), grid);
      for (Row r : v.rows()) {
        for (int i = 0; i < r.values.length; i++) {
          if (r.has(i)) {
            r.values[i] = op.applyAsDouble(r.values[i]);
          }
        }
        ev.dropName(r);
      }
      return new VectorVal(ev.dedupe(v.rows()));
    }
    return switch (name) {
      case "time" -> {
        double[] a = new double[grid.steps()];
        for (int i = 0; i < a.length; i++) {
          a[i] = grid.time(i) / 1000.0;
        }
        yield new ScalarVal(a);
      }
      case "pi" -> Evaluator.constant(Math.PI, grid);
      case "vector" -> {
        ScalarVal s = (ScalarVal) ev.eval(args.get(0), grid);
        Row r = new Row(Labels.EMPTY, s.v().clone(), allPresent(grid.steps()));
        yield new VectorVal(new ArrayList<>(List.of(r)));
      }
      case "scalar" -> scalar(ev, args.get(0), grid);
      case "absent" -> absent(ev, args.get(0), grid);
      case "absent_over_time" -> absentOverTime(ev, args.get(0), grid);
      case "timestamp" -> timestamp(ev, args.get(0), grid);
      case "clamp", "clamp_min", "clamp_max" -> clamp(ev, name, args, grid);
      case "round" -> round(ev, args, grid);
      case "sort", "sort_desc" -> sort(ev, args.get(0), grid, name.equals("sort_desc"));
      case "sort_by_label", "sort_by_label_desc" -> sortByLabel(ev, args, grid, name.endsWith("_desc"));
      case "label_replace" -> labelReplace(ev, args, grid);
      case "label_join" -> labelJoin(ev, args, grid);
      case "info" -> InfoFunction.eval(ev, args, grid);
      case "histogram_quantile" -> HistogramFunctions.quantile(ev, args, grid);
      case "histogram_fraction" -> HistogramFunctions.fraction(ev, args, grid);
      case "histogram_count", "histogram_sum", "histogram_avg", "histogram_stddev", "histogram_stdvar" -> {
        ev.eval(args.get(0), grid);
        yield new VectorVal(new ArrayList<>()); // float samples are not native histograms
      }
      case "minute", "hour", "day_of_week", "day_of_month", "day_of_year", "days_in_month", "month", "year" ->
          dateFunction(ev, name, args, grid);
      default -> throw new QueryException(QueryException.Kind.EXECUTION, "function " + GoQuote.quote(name)
          + " is not implemented");
    };
  }

  static long[] allPresent(int steps) {
    long[] p = new long[(steps + 63) >>> 6];
    for (int i = 0; i < steps; i++) {
      p[i >>> 6] |= 1L << i;
    }
    return p;
  }

  /** Functions whose result keeps the metric name. */
  private static boolean keepsName(String name) {
    return name.equals("last_over_time") || name.equals("first_over_time");
  }

  private static Val rangeFunction(Evaluator ev, Call c, WindowFunction wf, StepGrid grid) {
    String name = c.func().name();
    List<Expr> args = c.args();
    int matrixArg = 0;
    ScalarVal p0 = null;
    ScalarVal p1 = null;
    switch (name) {
      case "quantile_over_time" -> {
        p0 = (ScalarVal) ev.eval(args.get(0), grid);
        matrixArg = 1;
      }
      case "predict_linear" -> p0 = (ScalarVal) ev.eval(args.get(1), grid);
      case "double_exponential_smoothing" -> {
        p0 = (ScalarVal) ev.eval(args.get(1), grid);
        p1 = (ScalarVal) ev.eval(args.get(2), grid);
      }
      default -> { }
    }
    int steps = grid.steps();
    List<Row> out = new ArrayList<>();
    Window w = new Window();
    boolean counterCheck = name.equals("rate") || name.equals("increase");
    boolean keepName = keepsName(name);
    ScalarVal a0 = p0;
    ScalarVal a1 = p1;
    java.util.function.BiConsumer<RangeSeries, long[]> perSeries = (s, ends) -> {
      Row row = windowRow(ev, wf, w, s, ends, grid, a0, a1);
      if (row == null) {
        return;
      }
      if (counterCheck) {
        String metric = s.labels.metricName();
        if (!metric.isEmpty() && !metric.endsWith("_total") && !metric.endsWith("_sum") && !metric.endsWith("_count")
            && !metric.endsWith("_bucket")) {
          ev.ctx.annotations.info("metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "
              + GoQuote.quote(metric));
        }
      }
      if (!keepName) {
        ev.dropName(row);
      }
      ev.ctx.addSamples(row.count());
      out.add(row);
    };
    Expr arg = unwrap(args.get(matrixArg));
    if (arg instanceof MatrixSelector ms) {
      // Stream: each series is loaded into a reused buffer, turned into its row of results, and dropped.
      VectorSelector vs = ms.selector();
      long range = ev.durationMs(ms.rangeMs(), ms.rangeExpr());
      long[] ends = ev.windowEnds(vs, grid);
      w.rangeMs = range;
      ev.scan(vs, ends[0] - range + 1, ends[ends.length - 1], true, name, range, grid, s -> {
        ev.ctx.addSamples(s.n);
        perSeries.accept(s, ends);
        ev.ctx.releaseSamples(s.n);
      });
    } else {
      MatrixVal m = ev.evalRange(arg, grid);
      w.rangeMs = m.rangeMs();
      for (RangeSeries s : m.series()) {
        perSeries.accept(s, m.windowEnds());
      }
    }
    return new VectorVal(ev.dedupe(out));
  }

  /** Slides the window over one series across all steps; null when no step has a value. */
  private static Row windowRow(Evaluator ev, WindowFunction wf, Window w, RangeSeries s, long[] ends, StepGrid grid,
      ScalarVal p0, ScalarVal p1) {
    ev.ctx.check();
    int steps = ends.length;
    w.t = s.t;
    w.v = s.v;
    int lo = 0;
    int hi = 0;
    Row row = null;
    for (int i = 0; i < steps; i++) {
      long end = ends[i];
      long start = end - w.rangeMs;
      if (i > 0 && end < ends[i - 1]) {
        lo = 0;
        hi = 0;
      }
      while (lo < s.n && s.t[lo] <= start) {
        lo++;
      }
      if (hi < lo) {
        hi = lo;
      }
      while (hi < s.n && s.t[hi] <= end) {
        hi++;
      }
      if (hi == lo) {
        continue;
      }
      w.from = lo;
      w.to = hi;
      w.rangeStartMs = start;
      w.rangeEndMs = end;
      w.evalTimeMs = grid.time(i);
      if (p0 != null) {
        w.arg0 = p0.v()[i];
      }
      if (p1 != null) {
        w.arg1 = p1.v()[i];
      }
      if (wf.apply(w, ev.ctx)) {
        if (row == null) {
          row = new Row(s.labels, steps);
          row.dropName = s.dropName;
        }
        row.set(i, w.out);
      }
    }
    return row;
  }

  private static Val scalar(Evaluator ev, Expr arg, StepGrid grid) {
    VectorVal v = (VectorVal) ev.eval(arg, grid);
    double[] out = new double[grid.steps()];
    for (int i = 0; i < out.length; i++) {
      int count = 0;
      double val = Double.NaN;
      for (Row r : v.rows()) {
        if (r.has(i)) {
          count++;
          val = r.values[i];
        }
      }
      out[i] = count == 1 ? val : Double.NaN;
    }
    return new ScalarVal(out);
  }

  /** Labels of absent()'s output: the equality matchers of the selector, minus repeated names. */
  static Labels absentLabels(Expr arg) {
    VectorSelector vs = switch (arg) {
      case VectorSelector v -> v;
      case MatrixSelector m -> m.selector();
      default -> null;
    };
    if (vs == null) {
      return Labels.EMPTY;
    }
    Map<String, String> m = new HashMap<>();
    Set<String> repeated = new HashSet<>();
    for (Matcher mt : vs.matchers()) {
      if (mt.name().equals(Labels.METRIC_NAME)) {
        continue;
      }
      if (mt.type() == MatchType.EQUAL) {
        if (m.containsKey(mt.name())) {
          repeated.add(mt.name());
        }
        m.put(mt.name(), mt.value());
      }
    }
    // A label matched for equality more than once, or also by another matcher type, is not inferred.
    for (Matcher mt : vs.matchers()) {
      if (mt.type() != MatchType.EQUAL && m.containsKey(mt.name())) {
        repeated.add(mt.name());
      }
    }
    Labels.Builder b = new Labels.Builder();
    m.forEach((k, v) -> {
      if (!repeated.contains(k)) {
        b.set(k, v);
      }
    });
    return b.build();
  }

  private static Val absent(Evaluator ev, Expr arg, StepGrid grid) {
    VectorVal v = (VectorVal) ev.eval(arg, grid);
    int steps = grid.steps();
    Row out = new Row(absentLabels(unwrap(arg)), steps);
    for (int i = 0; i < steps; i++) {
      boolean any = false;
      for (Row r : v.rows()) {
        if (r.has(i)) {
          any = true;
          break;
        }
      }
      if (!any) {
        out.set(i, 1);
      }
    }
    return new VectorVal(out.isEmpty() ? new ArrayList<>() : new ArrayList<>(List.of(out)));
  }

  private static Expr unwrap(Expr e) {
    while (e instanceof ParenExpr p) {
      e = p.expr();
    }
    return e;
  }

  private static Val absentOverTime(Evaluator ev, Expr arg, StepGrid grid) {
    MatrixVal m = ev.evalRange(arg, grid);
    int steps = grid.steps();
    Expr inner = unwrap(arg);
    Row out = new Row(inner instanceof SubqueryExpr ? Labels.EMPTY : absentLabels(inner), steps);
    for (int i = 0; i < steps; i++) {
      long end = m.windowEnds()[i];
      long start = end - m.rangeMs();
      boolean any = false;
      for (RangeSeries s : m.series()) {
        int k = s.firstAfter(start);
        if (k < s.n && s.t[k] <= end) {
          any = true;
          break;
        }
      }
      if (!any) {
        out.set(i, 1);
      }
    }
    return new VectorVal(out.isEmpty() ? new ArrayList<>() : new ArrayList<>(List.of(out)));
  }

  private static Val timestamp(Evaluator ev, Expr arg, StepGrid grid) {
    Expr inner = unwrap(arg);
    if (inner instanceof VectorSelector vs) {
      // The timestamp of the sample the selector picked, not the evaluation time.
      List<Row> rows = ev.selectRows(vs, grid, true);
      for (Row r : rows) {
        ev.dropName(r);
      }
      return new VectorVal(ev.dedupe(rows));
    }
    VectorVal v = (VectorVal) ev.eval(arg, grid);
    for (Row r : v.rows()) {
      for (int i = 0; i < r.values.length; i++) {
        r.values[i] = grid.time(i) / 1000.0;
      }
      ev.dropName(r);
    }
    return new VectorVal(ev.dedupe(v.rows()));
  }

  private static Val clamp(Evaluator ev, String name, List<Expr> args, StepGrid grid) {
    VectorVal v = (VectorVal) ev.eval(args.get(0), grid);
    double[] lo;
    double[] hi;
    switch (name) {
      case "clamp" -> {
        lo = ((ScalarVal) ev.eval(args.get(1), grid)).v();
        hi = ((ScalarVal) ev.eval(args.get(2), grid)).v();
      }
      case "clamp_min" -> {
        lo = ((ScalarVal) ev.eval(args.get(1), grid)).v();
        hi = null;
      }
      default -> {
        lo = null;
        hi = ((ScalarVal) ev.eval(args.get(1), grid)).v();
      }
    }
    for (Row r : v.rows()) {
      for (int i = 0; i < r.values.length; i++) {
        if (!r.has(i)) {
          continue;
        }
        if (lo != null && hi != null && hi[i] < lo[i]) {
          r.clear(i); // clamp with max < min returns nothing
          continue;
        }
        double x = r.values[i];
        if (lo != null) {
          x = Double.isNaN(lo[i]) ? Double.NaN : Math.max(lo[i], x);
        }
        if (hi != null) {
          x = Double.isNaN(hi[i]) ? Double.NaN : Math.min(hi[i], x);
        }
        r.values[i] = x;
      }
      ev.dropName(r);
    }
    return new VectorVal(ev.dedupe(removeEmpty(v.rows())));
  }

  static List<Row> removeEmpty(List<Row> rows) {
    rows.removeIf(Row::isEmpty);
    return rows;
  }

  private static Val round(Evaluator ev, List<Expr> args, StepGrid grid) {
    VectorVal v = (VectorVal) ev.eval(args.get(0), grid);
    double[] toNearest = args.size() > 1 ? ((ScalarVal) ev.eval(args.get(1), grid)).v() : null;
    for (Row r : v.rows()) {
      for (int i = 0; i < r.values.length; i++) {
        if (!r.has(i)) {
          continue;
        }
        double inverse = 1.0 / (toNearest == null ? 1 : toNearest[i]);
        r.values[i] = Math.floor(r.values[i] * inverse + 0.5) / inverse;
      }
      ev.dropName(r);
    }
    return new VectorVal(ev.dedupe(v.rows()));
  }

  private static Val sort(Evaluator ev, Expr arg, StepGrid grid, boolean desc) {
    VectorVal v = (VectorVal) ev.eval(arg, grid);
    if (grid.steps() != 1) {
      return v; // order only matters for instant vectors
    }
    List<Row> rows = new ArrayList<>(v.rows());
    rows.sort((a, b) -> {
      double x = a.values[0];
      double y = b.values[0];
      // NaN sorts last in both directions.
      if (Double.isNaN(x)) {
        return Double.isNaN(y) ? 0 : 1;
      }
      if (Double.isNaN(y)) {
        return -1;
      }
      return desc ? Double.compare(y, x) : Double.compare(x, y);
    });
    return new VectorVal(rows);
  }

  private static Val sortByLabel(Evaluator ev, List<Expr> args, StepGrid grid, boolean desc) {
    VectorVal v = (VectorVal) ev.eval(args.get(0), grid);
    List<String> names = new ArrayList<>();
    for (int i = 1; i < args.size(); i++) {
      names.add(((StringVal) ev.eval(args.get(i), grid)).s());
    }
    List<Row> rows = new ArrayList<>(v.rows());
    Comparator<Row> cmp = (a, b) -> {
      for (String n : names) {
        int c = NaturalOrder.compare(a.labels.get(n), b.labels.get(n));
        if (c != 0) {
          return c;
        }
      }
      return a.labels.compareTo(b.labels);
    };
    rows.sort(desc ? cmp.reversed() : cmp);
    return new VectorVal(rows);
  }

  private static Val labelReplace(Evaluator ev, List<Expr> args, StepGrid grid) {
    VectorVal v = (VectorVal) ev.eval(args.get(0), grid);
    String dst = ((StringVal) ev.eval(args.get(1), grid)).s();
    String repl = ((StringVal) ev.eval(args.get(2), grid)).s();
    String src = ((StringVal) ev.eval(args.get(3), grid)).s();
    String regex = ((StringVal) ev.eval(args.get(4), grid)).s();
    Pattern p;
    try {
      p = Pattern.compile("^(?s:" + regex + ")$");
    } catch (PatternSyntaxException e) {
      throw new QueryException(QueryException.Kind.EXECUTION, "invalid regular expression in label_replace(): " + regex);
    }
    if (!LabelNames.isValidLabelName(dst)) {
      throw new QueryException(QueryException.Kind.EXECUTION, "invalid destination label name in label_replace(): " + dst);
    }
    for (Row r : v.rows()) {
      String value = r.labels.get(src);
      com.google.re2j.Matcher m = p.matcher(value);
      if (!m.matches()) {
        continue;
      }
      String res = expand(m, repl);
      r.labels = r.labels.toBuilder().set(dst, res).build();
      if (dst.equals(Labels.METRIC_NAME)) {
        r.dropName = false;
      }
    }
    return new VectorVal(ev.dedupe(v.rows()));
  }

  /** Go's regexp Expand: $1, ${1}, $name, ${name}; $$ is a literal $. */
  static String expand(com.google.re2j.Matcher m, String template) {
    StringBuilder sb = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      char c = template.charAt(i);
      if (c != '$' || i + 1 >= template.length()) {
        sb.append(c);
        i++;
        continue;
      }
      char n = template.charAt(i + 1);
      if (n == '$') {
        sb.append('$');
        i += 2;
        continue;
      }
      String name;
      int next;
      if (n == '{') {
        int close = template.indexOf('}', i + 2);
        if (close < 0) {
          sb.append(c);
          i++;
          continue;
        }
        name = template.substring(i + 2, close);
        next = close + 1;
      } else {
        int j = i + 1;
        while (j < template.length() && (Character.isLetterOrDigit(template.charAt(j)) || template.charAt(j) == '_')) {
          j++;
        }
        name = template.substring(i + 1, j);
        next = j;
      }
      if (name.isEmpty()) {
        sb.append(c);
        i++;
        continue;
      }
      String g = null;
      if (name.chars().allMatch(Character::isDigit)) {
        int idx = Integer.parseInt(name);
        if (idx <= m.groupCount()) {
          g = m.group(idx);
        }
      } else {
        try {
          g = m.group(name);
        } catch (IllegalArgumentException e) {
          g = null;
        }
      }
      if (g != null) {
        sb.append(g);
      }
      i = next;
    }
    return sb.toString();
  }

  private static Val labelJoin(Evaluator ev, List<Expr> args, StepGrid grid) {
    VectorVal v = (VectorVal) ev.eval(args.get(0), grid);
    String dst = ((StringVal) ev.eval(args.get(1), grid)).s();
    String sep = ((StringVal) ev.eval(args.get(2), grid)).s();
    List<String> srcs = new ArrayList<>();
    for (int i = 3; i < args.size(); i++) {
      String s = ((StringVal) ev.eval(args.get(i), grid)).s();
      if (!LabelNames.isValidLabelName(s)) {
        throw new QueryException(QueryException.Kind.EXECUTION, "invalid source label name in label_join(): " + s);
      }
      srcs.add(s);
    }
    if (!LabelNames.isValidLabelName(dst)) {
      throw new QueryException(QueryException.Kind.EXECUTION, "invalid destination label name in label_join(): " + dst);
    }
    for (Row r : v.rows()) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < srcs.size(); i++) {
        if (i > 0) {
          sb.append(sep);
        }
        sb.append(r.labels.get(srcs.get(i)));
      }
      r.labels = r.labels.toBuilder().set(dst, sb.toString()).build();
      if (dst.equals(Labels.METRIC_NAME)) {
        r.dropName = false;
      }
    }
    return new VectorVal(ev.dedupe(v.rows()));
  }

  private static Val dateFunction(Evaluator ev, String name, List<Expr> args, StepGrid grid) {
    List<Row> rows;
    if (args.isEmpty()) {
      // Without an argument the functions apply to vector(time()).
      double[] t = new double[grid.steps()];
      for (int i = 0; i < t.length; i++) {
        t[i] = grid.time(i) / 1000.0;
      }
      rows = new ArrayList<>(List.of(new Row(Labels.EMPTY, t, allPresent(t.length))));
    } else {
      rows = ((VectorVal) ev.eval(args.get(0), grid)).rows();
    }
    for (Row r : rows) {
      for (int i = 0; i < r.values.length; i++) {
        if (!r.has(i)) {
          continue;
        }
        double x = r.values[i];
        if (Double.isNaN(x) || Double.isInfinite(x)) {
          continue; // NaN/Inf timestamps give NaN-ish results as in Go: keep the value
        }
        ZonedDateTime d = Instant.ofEpochSecond((long) x).atZone(ZoneOffset.UTC);
        r.values[i] = switch (name) {
          case "minute" -> d.getMinute();
          case "hour" -> d.getHour();
          case "day_of_week" -> d.getDayOfWeek().getValue() % 7;
          case "day_of_month" -> d.getDayOfMonth();
          case "day_of_year" -> d.getDayOfYear();
          case "days_in_month" -> d.toLocalDate().lengthOfMonth();
          case "month" -> d.getMonthValue();
          default -> d.getYear();
        };
      }
      ev.dropName(r);
    }
    return new VectorVal(ev.dedupe(rows));
  }
}
