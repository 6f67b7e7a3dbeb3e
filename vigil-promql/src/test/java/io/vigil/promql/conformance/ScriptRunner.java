package io.vigil.promql.conformance;

import io.vigil.model.Labels;
import io.vigil.model.StaleNaN;
import io.vigil.promql.Engine;
import io.vigil.promql.Matrix;
import io.vigil.promql.Query;
import io.vigil.promql.QueryException;
import io.vigil.promql.Result;
import io.vigil.promql.Scalar;
import io.vigil.promql.StringValue;
import io.vigil.promql.Value;
import io.vigil.promql.Vector;
import io.vigil.promql.parser.Durations;
import io.vigil.promql.parser.GoFloat;
import io.vigil.promql.parser.GoQuote;
import io.vigil.promql.parser.ParseException;
import io.vigil.storage.Appender;
import io.vigil.storage.Storage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs one promqltest script (the format of shared/conformance/promql/FORMAT.md) against an engine
 * and a storage, counting each eval as passed or failed. The storage comes from a factory so that
 * {@code clear} starts afresh and any Storage implementation (memory, TSDB head) can be checked.
 */
public final class ScriptRunner {
  /** The outcome of one eval statement. */
  public record EvalResult(int line, String command, boolean passed, String failure) {}

  private final Engine engine;
  private final Supplier<Storage> storageFactory;
  private final boolean extraChecks;
  private Storage storage;
  private final List<EvalResult> results = new ArrayList<>();
  private boolean usesNativeHistograms;

  public ScriptRunner(Engine engine, Supplier<Storage> storageFactory, boolean extraChecks) {
    this.engine = engine;
    this.storageFactory = storageFactory;
    this.extraChecks = extraChecks;
  }

  public List<EvalResult> results() {
    return results;
  }

  /** Whether the script loads or expects native histograms ({{...}} or load_with_nhcb). */
  public boolean usesNativeHistograms() {
    return usesNativeHistograms;
  }

  public void run(String script) {
    String[] raw = script.split("\n", -1);
    String[] lines = new String[raw.length];
    for (int i = 0; i < raw.length; i++) {
      String t = raw[i].strip();
      lines[i] = t.startsWith("#") ? "" : t;
    }
    storage = storageFactory.get();
    try {
      int i = 0;
      while (i < lines.length) {
        String line = lines[i];
        if (line.isEmpty()) {
          i++;
          continue;
        }
        String word = line.split("[ \t]+")[0].toLowerCase();
        int end = blockEnd(lines, i + 1);
        if (word.equals("clear")) {
          storage.close();
          storage = storageFactory.get();
          i++;
        } else if (word.startsWith("load")) {
          load(line, lines, i + 1, end);
          i = end;
        } else if (word.startsWith("eval")) {
          int bodyEnd = evalBodyEnd(lines, i + 1);
          EvalResult r;
          try {
            r = eval(i + 1, line, lines, i + 1, bodyEnd);
          } catch (RuntimeException e) {
            r = new EvalResult(i + 1, line, false, "runner error: " + e);
          }
          results.add(r);
          i = bodyEnd;
        } else {
          throw new IllegalArgumentException("line " + (i + 1) + ": unknown command: " + line);
        }
      }
    } finally {
      storage.close();
    }
  }

  private static int blockEnd(String[] lines, int from) {
    int i = from;
    while (i < lines.length && !lines[i].isEmpty()) {
      i++;
    }
    return i;
  }

  /** An eval body also ends after a number line or an expected_fail_* line. */
  private static int evalBodyEnd(String[] lines, int from) {
    int i = from;
    while (i < lines.length && !lines[i].isEmpty()) {
      String l = lines[i];
      i++;
      if (l.startsWith("expected_fail_") || isNumber(l)) {
        break;
      }
    }
    return i;
  }

  static boolean isNumber(String s) {
    try {
      parseExpectedNumber(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static double parseExpectedNumber(String s) {
    try {
      return Long.decode(s);
    } catch (NumberFormatException e) {
      return GoFloat.parseFloat(s);
    }
  }

  // ---- load ----

  private void load(String command, String[] lines, int from, int to) {
    String[] parts = command.split("[ \t]+");
    if (parts[0].equals("load_with_nhcb")) {
      usesNativeHistograms = true;
    }
    long interval = Durations.parseMs(parts[1]);
    Map<Labels, List<double[]>> series = new LinkedHashMap<>();
    for (int i = from; i < to; i++) {
      String line = lines[i];
      if (line.startsWith("@st") || line.matches("^[^ ]*@st .*")) {
        continue; // start timestamps are not stored by Vigil's storage yet
      }
      SeriesLine s = parseSeriesLine(line);
      if (s.histogram) {
        usesNativeHistograms = true;
        continue;
      }
      series.put(s.labels, s.values);
    }
    Appender app = storage.appender();
    for (var e : series.entrySet()) {
      List<double[]> vals = e.getValue();
      for (int k = 0; k < vals.size(); k++) {
        double[] v = vals.get(k);
        if (v != null) {
          app.append(e.getKey(), k * interval, v[0]);
        }
      }
    }
    app.commit();
  }

  /** A parsed series line: labels and one entry per position (null = gap). */
  record SeriesLine(Labels labels, List<double[]> values, boolean histogram) {}

  static SeriesLine parseSeriesLine(String line) {
    int brace = line.indexOf('{');
    int space = indexOfSpace(line);
    String metric;
    String rest;
    if (brace >= 0 && (space < 0 || brace < space)) {
      int close = closingBrace(line, brace);
      metric = line.substring(0, close + 1);
      rest = line.substring(close + 1).strip();
    } else {
      metric = space < 0 ? line : line.substring(0, space);
      rest = space < 0 ? "" : line.substring(space).strip();
    }
    Labels labels = parseMetric(metric);
    if (rest.contains("{{")) {
      return new SeriesLine(labels, List.of(), true);
    }
    List<double[]> values = new ArrayList<>();
    for (String item : rest.isEmpty() ? new String[0] : rest.split("[ \t]+")) {
      expandItem(item, values);
    }
    return new SeriesLine(labels, values, false);
  }

  private static int indexOfSpace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == ' ' || s.charAt(i) == '\t') {
        return i;
      }
    }
    return -1;
  }

  private static int closingBrace(String s, int open) {
    char quote = 0;
    for (int i = open + 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quote != 0) {
        if (c == '\\' && quote != '`') {
          i++;
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'' || c == '`') {
        quote = c;
      } else if (c == '}') {
        return i;
      }
    }
    throw new IllegalArgumentException("unclosed brace in " + s);
  }

  static Labels parseMetric(String metric) {
    Labels.Builder b = new Labels.Builder();
    int brace = metric.indexOf('{');
    String name = brace < 0 ? metric : metric.substring(0, brace);
    if (!name.isEmpty()) {
      b.set(Labels.METRIC_NAME, name);
    }
    if (brace < 0) {
      return b.build();
    }
    String body = metric.substring(brace + 1, metric.length() - 1);
    int i = 0;
    while (i < body.length()) {
      while (i < body.length() && (body.charAt(i) == ' ' || body.charAt(i) == ',' || body.charAt(i) == '\t')) {
        i++;
      }
      if (i >= body.length()) {
        break;
      }
      String label;
      char c = body.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        int e = endOfQuoted(body, i);
        label = GoQuote.unquote(body.substring(i, e));
        i = e;
      } else {
        int s = i;
        while (i < body.length() && (Character.isLetterOrDigit(body.charAt(i)) || body.charAt(i) == '_')) {
          i++;
        }
        label = body.substring(s, i);
      }
      while (i < body.length() && body.charAt(i) == ' ') {
        i++;
      }
      if (i >= body.length() || body.charAt(i) != '=') {
        b.set(Labels.METRIC_NAME, label); // {"quoted.name"}
        continue;
      }
      i++;
      while (i < body.length() && body.charAt(i) == ' ') {
        i++;
      }
      int e = endOfQuoted(body, i);
      b.set(label, GoQuote.unquote(body.substring(i, e)));
      i = e;
    }
    return b.build();
  }

  private static int endOfQuoted(String s, int start) {
    char q = s.charAt(start);
    for (int i = start + 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && q != '`') {
        i++;
      } else if (c == q) {
        return i + 1;
      }
    }
    throw new IllegalArgumentException("unterminated string in " + s);
  }

  private static final Pattern REPEAT = Pattern.compile("^(.*)x(\\d+)$");

  static void expandItem(String item, List<double[]> out) {
    Matcher m = REPEAT.matcher(item);
    if (item.equals("_")) {
      out.add(null);
      return;
    }
    if (item.equals("stale")) {
      out.add(new double[] {StaleNaN.VALUE});
      return;
    }
    if (!m.matches()) {
      out.add(new double[] {parseValue(item)});
      return;
    }
    String base = m.group(1);
    int times = Integer.parseInt(m.group(2));
    if (base.equals("_")) {
      for (int k = 0; k < times; k++) {
        out.add(null);
      }
      return;
    }
    int split = -1;
    for (int k = 1; k < base.length(); k++) {
      char c = base.charAt(k);
      char p = base.charAt(k - 1);
      if ((c == '+' || c == '-') && p != 'e' && p != 'E') {
        split = k;
        break;
      }
    }
    double start = parseValue(split < 0 ? base : base.substring(0, split));
    double delta = split < 0 ? 0 : parseValue(base.substring(split));
    for (int k = 0; k <= times; k++) {
      out.add(new double[] {start + k * delta});
    }
  }

  static double parseValue(String s) {
    return GoFloat.parseFloat(s);
  }

  // ---- eval ----

  private record Expect(String kind, String msg, String regex) {}

  private EvalResult eval(int lineNo, String command, String[] lines, int from, int to) {
    String cmd = command;
    List<Expect> expects = new ArrayList<>();
    boolean ordered = false;
    String word = cmd.split("[ \t]+")[0];
    switch (word) {
      case "eval_fail" -> expects.add(new Expect("fail", null, null));
      case "eval_warn" -> expects.add(new Expect("warn_any", null, null));
      case "eval_info" -> expects.add(new Expect("info_any", null, null));
      case "eval_ordered" -> ordered = true;
      default -> { }
    }
    cmd = "eval" + cmd.substring(word.length());
    Matcher inst = Pattern.compile("^eval\\s+instant\\s+at\\s+(\\S+)\\s+(.*)$").matcher(cmd);
    Matcher range = Pattern.compile("^eval\\s+range\\s+from\\s+(\\S+)\\s+to\\s+(\\S+)\\s+step\\s+(\\S+)\\s+(.*)$")
        .matcher(cmd);
    boolean isRange;
    String query;
    long start;
    long end;
    long step = 0;
    if (inst.matches()) {
      isRange = false;
      start = Durations.parseMs(inst.group(1));
      end = start;
      query = inst.group(2);
    } else if (range.matches()) {
      isRange = true;
      start = Durations.parseMs(range.group(1));
      end = Durations.parseMs(range.group(2));
      step = Durations.parseMs(range.group(3));
      query = range.group(4);
    } else {
      throw new IllegalArgumentException("bad eval command: " + command);
    }
    List<SeriesLine> expected = new ArrayList<>();
    Double expectedScalar = null;
    String expectedString = null;
    long[] rangeVector = null;
    for (int i = from; i < to; i++) {
      String l = lines[i];
      if (l.startsWith("expected_fail_message ")) {
        expects.add(new Expect("fail", l.substring("expected_fail_message ".length()).strip(), null));
      } else if (l.startsWith("expected_fail_regexp ")) {
        expects.add(new Expect("fail", null, l.substring("expected_fail_regexp ".length()).strip()));
      } else if (l.split("[ \t]+")[0].equals("expect")) {
        String rest = l.substring(6).strip();
        if (rest.startsWith("range vector")) {
          Matcher rv = Pattern.compile("range vector from (\\S+) to (\\S+) step (\\S+)").matcher(rest);
          if (!rv.matches()) {
            throw new IllegalArgumentException("bad expect range vector: " + l);
          }
          rangeVector = new long[] {Durations.parseMs(rv.group(1)), Durations.parseMs(rv.group(2)),
              Durations.parseMs(rv.group(3))};
        } else if (rest.equals("string") || rest.startsWith("string ")) {
          String lit = rest.length() > 7 ? lines[i].strip().substring(lines[i].strip().indexOf("string") + 7) : "";
          try {
            expectedString = GoQuote.unquote(lit);
          } catch (IllegalArgumentException e) {
            expectedString = lit;
          }
        } else {
          String kind = rest.split("[ \t]+")[0];
          String after = rest.substring(kind.length()).strip();
          if (after.startsWith("msg:")) {
            expects.add(new Expect(kind, after.substring(4).strip(), null));
          } else if (after.startsWith("regex:")) {
            expects.add(new Expect(kind, null, after.substring(6).strip()));
          } else {
            if (kind.equals("ordered")) {
              ordered = true;
            }
            expects.add(new Expect(kind, null, null));
          }
        }
      } else if (isNumber(l)) {
        expectedScalar = parseExpectedNumber(l);
      } else {
        SeriesLine s = parseSeriesLine(l);
        if (s.histogram) {
          usesNativeHistograms = true;
        }
        expected.add(s);
      }
    }
    if (rangeVector != null) {
      start = rangeVector[1];
      end = start;
    }
    EvalSpec spec = new EvalSpec(query, isRange, start, end, step, expects, ordered, expected, expectedScalar,
        expectedString, rangeVector);
    String failure = check(spec, query, isRange, start, end, step);
    if (failure == null && extraChecks && !isRange && rangeVector == null && expectedString == null) {
      failure = extraChecks(spec);
    }
    return new EvalResult(lineNo, command, failure == null, failure);
  }

  record EvalSpec(String query, boolean isRange, long start, long end, long step, List<Expect> expects,
      boolean ordered, List<SeriesLine> expected, Double expectedScalar, String expectedString, long[] rangeVector) {}

  private static final Pattern TIME_DEPENDENT = Pattern.compile(
      "\\b(time|minute|hour|day_of_week|day_of_month|day_of_year|days_in_month|month|year|predict_linear|timestamp"
          + "|start|end|step|range)\\s*\\(");

  /** FORMAT.md §7: the same expectations at other times with @ pinned, and in range mode. */
  private String extraChecks(EvalSpec spec) {
    boolean failExpected = spec.expects.stream().anyMatch(e -> e.kind.equals("fail"));
    if (failExpected) {
      return null;
    }
    String pinned = TIME_DEPENDENT.matcher(spec.query).find() ? null : StepInvariance.pin(spec.query, spec.start);
    if (pinned != null) {
      long t = spec.start;
      long[] times = t == 0 ? new long[] {-1000, 0, 1000} : new long[] {-10 * t, 0, t / 5, t, 10 * t};
      for (long at : times) {
        String f = check(spec, pinned, false, at, at, 0);
        if (f != null) {
          return "step-invariance check (" + pinned + " at " + at + "ms): " + f;
        }
      }
    }
    if (!spec.ordered && !spec.query.contains("range()")) {
      Query q;
      try {
        q = engine.rangeQuery(storage, spec.query, spec.start - 60_000, spec.start + 60_000, 60_000);
      } catch (QueryException | ParseException e) {
        q = null; // range queries of string or matrix type are not possible; upstream skips them too
      }
      if (q != null) {
        String f;
        try {
          Result r = q.execute();
          f = compareRangeModePoint((Matrix) r.value(), spec);
        } catch (QueryException e) {
          f = "range-mode check failed: " + e.getMessage();
        }
        if (f != null) {
          return "range-mode check: " + f;
        }
      }
    }
    return null;
  }

  private String compareRangeModePoint(Matrix m, EvalSpec spec) {
    long t = spec.start;
    if (spec.expectedScalar != null) {
      for (Matrix.Series s : m.series()) {
        for (int i = 0; i < s.size(); i++) {
          if (s.timestamps()[i] == t) {
            return almostEqual(spec.expectedScalar, s.values()[i]) ? null
                : "scalar at t: expected " + spec.expectedScalar + " got " + s.values()[i];
          }
        }
      }
      return "scalar missing at t";
    }
    Map<Labels, Double> got = new LinkedHashMap<>();
    for (Matrix.Series s : m.series()) {
      for (int i = 0; i < s.size(); i++) {
        if (s.timestamps()[i] == t) {
          got.put(s.labels(), s.values()[i]);
        }
      }
    }
    return compareVector(got, spec.expected, false, null);
  }

  private String check(EvalSpec spec, String query, boolean isRange, long start, long end, long step) {
    Expect fail = spec.expects.stream().filter(e -> e.kind.equals("fail")).findFirst().orElse(null);
    Result result;
    try {
      Query q = isRange ? engine.rangeQuery(storage, query, start, end, step)
          : engine.instantQuery(storage, query, start);
      result = q.execute();
    } catch (ParseException | QueryException e) {
      if (fail == null) {
        return "unexpected error: " + e.getMessage();
      }
      if (fail.msg != null && !fail.msg.equals(e.getMessage())) {
        return "error message mismatch: expected <" + fail.msg + "> got <" + e.getMessage() + ">";
      }
      if (fail.regex != null && !Pattern.compile(fail.regex).matcher(e.getMessage()).find()) {
        return "error regex mismatch: expected /" + fail.regex + "/ got <" + e.getMessage() + ">";
      }
      return null;
    }
    if (fail != null) {
      return "expected failure, got success: " + describe(result.value());
    }
    String a = checkAnnotations(spec.expects, result.warnings(), "warn");
    if (a != null) {
      return a;
    }
    a = checkAnnotations(spec.expects, result.infos(), "info");
    if (a != null) {
      return a;
    }
    return compareValue(result.value(), spec, isRange, start, step);
  }

  private static String stripPos(String s) {
    return s.replaceFirst(" \\(\\d+:\\d+\\)$", "");
  }

  private String checkAnnotations(List<Expect> expects, List<String> got, String kind) {
    boolean no = expects.stream().anyMatch(e -> e.kind.equals("no_" + kind));
    boolean any = expects.stream().anyMatch(e -> e.kind.equals(kind + "_any"));
    List<Expect> ex = expects.stream().filter(e -> e.kind.equals(kind)).toList();
    if (no && !got.isEmpty()) {
      return "expected no " + kind + " annotations, got " + got;
    }
    if (any && got.isEmpty()) {
      return "expected a " + kind + " annotation, got none";
    }
    if (ex.isEmpty()) {
      return null;
    }
    if (got.isEmpty()) {
      return "expected " + kind + " annotations, got none";
    }
    for (Expect e : ex) {
      boolean matched = got.stream().anyMatch(g -> matches(e, g));
      if (!matched) {
        return "no " + kind + " annotation matches " + e + "; got " + got;
      }
    }
    for (String g : got) {
      if (ex.stream().noneMatch(e -> matches(e, g))) {
        return "unexpected " + kind + " annotation: " + g;
      }
    }
    return null;
  }

  private static boolean matches(Expect e, String got) {
    if (e.msg != null) {
      return e.msg.matches(".* \\(\\d+:\\d+\\)$") ? e.msg.equals(got) : e.msg.equals(stripPos(got));
    }
    if (e.regex != null) {
      return Pattern.compile(e.regex).matcher(got).find();
    }
    return true;
  }

  private static String describe(Value v) {
    return switch (v) {
      case Scalar s -> "scalar " + s.value();
      case StringValue s -> "string " + s.value();
      case Vector vec -> "vector of " + vec.size();
      case Matrix m -> "matrix of " + m.series().size();
    };
  }

  private String compareValue(Value v, EvalSpec spec, boolean isRange, long start, long step) {
    if (spec.expectedString != null) {
      if (v instanceof StringValue s) {
        return s.value().equals(spec.expectedString) ? null
            : "string mismatch: expected <" + spec.expectedString + "> got <" + s.value() + ">";
      }
      return "expected string, got " + describe(v);
    }
    if (spec.expectedScalar != null) {
      if (v instanceof Scalar s) {
        return almostEqual(spec.expectedScalar, s.value()) ? null
            : "scalar mismatch: expected " + spec.expectedScalar + " got " + s.value();
      }
      return "expected scalar, got " + describe(v);
    }
    return switch (v) {
      case Scalar s -> "expected series, got scalar " + s.value();
      case StringValue s -> "expected series, got string " + s.value();
      case Vector vec -> {
        if (spec.rangeVector != null) {
          yield "expected range vector, got instant vector";
        }
        Map<Labels, Double> got = new LinkedHashMap<>();
        for (int i = 0; i < vec.size(); i++) {
          if (got.put(vec.labels().get(i), vec.values()[i]) != null) {
            yield "duplicate series in result: " + vec.labels().get(i);
          }
        }
        yield compareVector(got, spec.expected, spec.ordered, vec.labels());
      }
      case Matrix m -> {
        if (spec.ordered) {
          yield "expected ordered result, got matrix";
        }
        long s0 = spec.rangeVector != null ? spec.rangeVector[0] : start;
        long st = spec.rangeVector != null ? spec.rangeVector[2] : step;
        yield compareMatrix(m, spec.expected, s0, st);
      }
    };
  }

  private String compareVector(Map<Labels, Double> got, List<SeriesLine> expected, boolean ordered,
      List<Labels> order) {
    if (got.size() != expected.size()) {
      return "expected " + expected.size() + " series, got " + got.size() + ": " + got;
    }
    for (int k = 0; k < expected.size(); k++) {
      SeriesLine e = expected.get(k);
      Double g = got.get(e.labels);
      if (g == null) {
        return "missing series " + e.labels + "; got " + got;
      }
      if (e.values.size() != 1 || e.values.get(0) == null) {
        return "bad expectation for " + e.labels;
      }
      if (!almostEqual(e.values.get(0)[0], g)) {
        return "value mismatch for " + e.labels + ": expected " + e.values.get(0)[0] + " got " + g;
      }
      if (ordered && !order.get(k).equals(e.labels)) {
        return "order mismatch at " + (k + 1) + ": expected " + e.labels + " got " + order.get(k);
      }
    }
    return null;
  }

  private String compareMatrix(Matrix m, List<SeriesLine> expected, long start, long step) {
    for (int i = 1; i < m.series().size(); i++) {
      if (m.series().get(i - 1).labels().compareTo(m.series().get(i).labels()) >= 0) {
        return "matrix not sorted by labels";
      }
    }
    Map<Labels, Matrix.Series> got = new LinkedHashMap<>();
    for (Matrix.Series s : m.series()) {
      got.put(s.labels(), s);
    }
    if (got.size() != expected.size()) {
      return "expected " + expected.size() + " series, got " + got.size() + ": " + got.keySet();
    }
    for (SeriesLine e : expected) {
      Matrix.Series s = got.get(e.labels);
      if (s == null) {
        return "missing series " + e.labels + "; got " + got.keySet();
      }
      List<long[]> ts = new ArrayList<>();
      int k = 0;
      for (int i = 0; i < e.values.size(); i++) {
        double[] ev = e.values.get(i);
        if (ev == null) {
          continue;
        }
        long t = start + i * step;
        if (k >= s.size()) {
          return "series " + e.labels + ": missing point at " + t;
        }
        if (s.timestamps()[k] != t) {
          return "series " + e.labels + ": expected point at " + t + " got at " + s.timestamps()[k];
        }
        if (!almostEqual(ev[0], s.values()[k])) {
          return "series " + e.labels + " at " + t + ": expected " + ev[0] + " got " + s.values()[k];
        }
        k++;
      }
      if (k != s.size()) {
        return "series " + e.labels + ": " + (s.size() - k) + " extra points, first at " + s.timestamps()[k];
      }
      ts.clear();
    }
    return null;
  }

  static boolean almostEqual(double expected, double actual) {
    if (Double.isNaN(expected) && Double.isNaN(actual)) {
      return true;
    }
    if (expected == actual) {
      return true;
    }
    double diff = Math.abs(expected - actual);
    double absSum = Math.abs(expected) + Math.abs(actual);
    if (expected == 0 || actual == 0 || absSum < Double.MIN_NORMAL) {
      return diff < 1e-6 * Double.MIN_NORMAL;
    }
    return diff / Math.min(absSum, Double.MAX_VALUE) < 1e-6;
  }
}
