package io.vigil.promql.engine;

import io.vigil.model.Labels;
import io.vigil.model.MatchType;
import io.vigil.model.Matcher;
import io.vigil.promql.QueryException;
import io.vigil.promql.engine.Evaluator.Val;
import io.vigil.promql.engine.Evaluator.VectorVal;
import io.vigil.promql.parser.Expr;
import io.vigil.promql.parser.Expr.AggregateExpr;
import io.vigil.promql.parser.Expr.AtModifier;
import io.vigil.promql.parser.Expr.BinaryExpr;
import io.vigil.promql.parser.Expr.Call;
import io.vigil.promql.parser.Expr.MatrixSelector;
import io.vigil.promql.parser.Expr.ParenExpr;
import io.vigil.promql.parser.Expr.SubqueryExpr;
import io.vigil.promql.parser.Expr.UnaryExpr;
import io.vigil.promql.parser.Expr.VectorSelector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code info(v, [selector])}, Prometheus 3's experimental function: adds to each series of v the
 * data labels of the info series that describe the same target.
 *
 * <ul>
 *   <li>An info series describes a series when both carry the same values of the identifying labels
 *       {@code instance} and {@code job} (a label missing on one must be missing on the other).
 *   <li>Which info metrics count: the {@code __name__} matchers of the selector, all of them (AND);
 *       none means {@code target_info}; only negated ones are applied to the {@code *_info} metrics.
 *   <li>Which data labels: every label of the info series but {@code __name__}; when the selector has
 *       matchers on other labels, only the labels they name, and the info series must satisfy them.
 *       Labels the series already has win. Two info metrics giving one label different values fail
 *       the query ("conflicting label").
 *   <li>Per step, of several info series of one metric for the same target the one with the newest
 *       sample wins; two with samples at the same time fail the query.
 *   <li>A series with no matching info series is kept as it is, unless a data-label matcher rejects
 *       the empty value; a series that is itself one of the selected info metrics is kept as it is.
 * </ul>
 *
 * Info series are selected with the @ and offset of the first selector in v, and only for the
 * identifying-label values that occur in v (pushed down to storage as matchers).
 */
final class InfoFunction {
  static final String TARGET_INFO = "target_info";
  /** Hard-coded as in Prometheus, so that no knowledge of individual info metrics is needed. */
  private static final List<String> IDENTIFYING = List.of("instance", "job");
  /** With only negated name matchers, they filter this broad set instead of every metric. */
  private static final String ANY_INFO_METRIC = ".+_info";

  private InfoFunction() {}

  static Val eval(Evaluator ev, List<Expr> args, StepGrid grid) {
    List<Row> base = ((VectorVal) ev.eval(args.get(0), grid)).rows();
    List<Matcher> selector = args.size() > 1 ? ((VectorSelector) args.get(1)).matchers() : List.of();
    List<Matcher> nameMatchers = new ArrayList<>();
    Map<String, List<Matcher>> dataMatchers = new LinkedHashMap<>();
    boolean positiveName = false;
    for (Matcher m : selector) {
      if (m.name().equals(Labels.METRIC_NAME)) {
        nameMatchers.add(m);
        positiveName |= m.type() == MatchType.EQUAL || m.type() == MatchType.REGEX;
      } else {
        dataMatchers.computeIfAbsent(m.name(), k -> new ArrayList<>()).add(m);
      }
    }
    if (nameMatchers.isEmpty()) {
      nameMatchers.add(Matcher.equal(Labels.METRIC_NAME, TARGET_INFO));
    } else if (!positiveName) {
      nameMatchers.add(0, Matcher.regex(Labels.METRIC_NAME, ANY_INFO_METRIC));
    }
    boolean emptyRejected = dataMatchers.values().stream().flatMap(List::stream).anyMatch(m -> !m.matchesEmpty());

    boolean[] ignored = new boolean[base.size()];
    Map<String, Set<String>> idValues = new LinkedHashMap<>();
    for (int r = 0; r < base.size(); r++) {
      Labels l = base.get(r).labels;
      ignored[r] = allMatch(nameMatchers, l.metricName());
      if (ignored[r]) {
        continue;
      }
      for (String id : IDENTIFYING) {
        String v = l.get(id);
        if (!v.isEmpty()) {
          idValues.computeIfAbsent(id, k -> new TreeSet<>()).add(v);
        }
      }
    }
    // Info rows by metric name, then by their identifying labels; values are sample timestamps.
    Map<String, Map<Labels, List<Row>>> infoByName = new LinkedHashMap<>();
    if (!idValues.isEmpty()) {
      List<Matcher> matchers = new ArrayList<>(nameMatchers);
      idValues.forEach((id, values) -> matchers.add(values.size() == 1 ? Matcher.equal(id, values.iterator().next())
          : Matcher.regex(id, String.join("|", values.stream().map(com.google.re2j.Pattern::quote).toList()))));
      dataMatchers.values().forEach(matchers::addAll);
      for (Row info : ev.selectRows(infoSelector(args, matchers), grid, true)) {
        infoByName.computeIfAbsent(info.labels.metricName(), k -> new HashMap<>())
            .computeIfAbsent(info.labels.keep(IDENTIFYING), k -> new ArrayList<>()).add(info);
      }
    }

    Map<Labels, Row> out = new LinkedHashMap<>();
    int steps = grid.steps();
    for (int r = 0; r < base.size(); r++) {
      ev.ctx.check();
      Row row = base.get(r);
      if (ignored[r]) {
        for (int i = 0; i < steps; i++) {
          if (row.has(i)) {
            put(out, row.labels, row, i, steps);
          }
        }
        continue;
      }
      Labels target = row.labels.keep(IDENTIFYING);
      List<List<Row>> candidates = new ArrayList<>();
      for (Map<Labels, List<Row>> bySig : infoByName.values()) {
        List<Row> c = bySig.get(target);
        if (c != null) {
          candidates.add(c);
        }
      }
      Map<List<Row>, Labels> enriched = new HashMap<>();
      for (int i = 0; i < steps; i++) {
        if (!row.has(i)) {
          continue;
        }
        List<Row> chosen = new ArrayList<>(candidates.size());
        for (List<Row> c : candidates) {
          Row newest = newest(c, i);
          if (newest != null) {
            chosen.add(newest);
          }
        }
        if (chosen.isEmpty() && emptyRejected) {
          continue;
        }
        Labels l = enriched.computeIfAbsent(chosen, ch -> withDataLabels(row.labels, ch, dataMatchers));
        put(out, l, row, i, steps);
      }
    }
    return new VectorVal(new ArrayList<>(out.values()));
  }

  private static boolean allMatch(List<Matcher> matchers, String value) {
    for (Matcher m : matchers) {
      if (!m.matches(value)) {
        return false;
      }
    }
    return true;
  }

  /** The info series of one metric for one target with the newest sample at step i; null if none. */
  private static Row newest(List<Row> infos, int i) {
    Row best = null;
    for (Row info : infos) {
      if (!info.has(i)) {
        continue;
      }
      if (best != null && best.values[i] == info.values[i]) {
        throw new QueryException(QueryException.Kind.EXECUTION, "found duplicate series for info metric: existing "
            + best.labels + " @ " + (long) (best.values[i] * 1000) + ", new " + info.labels + " @ "
            + (long) (info.values[i] * 1000));
      }
      if (best == null || info.values[i] > best.values[i]) {
        best = info;
      }
    }
    return best;
  }

  private static Labels withDataLabels(Labels series, List<Row> infos, Map<String, List<Matcher>> dataMatchers) {
    if (infos.isEmpty()) {
      return series;
    }
    Labels.Builder added = new Labels.Builder();
    for (Row info : infos) {
      Labels l = info.labels;
      for (int k = 0; k < l.size(); k++) {
        String name = l.name(k);
        if (name.equals(Labels.METRIC_NAME) || (!dataMatchers.isEmpty() && !dataMatchers.containsKey(name))) {
          continue;
        }
        String prev = added.get(name);
        if (!prev.isEmpty() && !prev.equals(l.value(k))) {
          throw new QueryException(QueryException.Kind.EXECUTION, "conflicting label: " + name);
        }
        if (!series.has(name)) {
          added.set(name, l.value(k));
        }
      }
    }
    Labels.Builder b = series.toBuilder();
    added.build().forEach(b::set);
    return b.build();
  }

  private static void put(Map<Labels, Row> out, Labels labels, Row from, int i, int steps) {
    Row o = out.computeIfAbsent(labels, l -> {
      Row n = new Row(l, steps);
      n.dropName = from.dropName;
      return n;
    });
    if (o.has(i)) {
      throw new QueryException(QueryException.Kind.EXECUTION, "vector cannot contain metrics with the same labelset");
    }
    o.set(i, from.values[i]);
  }

  /** A selector of the info series evaluated at the times of the first selector in v (its @ and offset). */
  private static VectorSelector infoSelector(List<Expr> args, List<Matcher> matchers) {
    VectorSelector first = firstSelector(args.get(0));
    if (first == null) {
      return new VectorSelector("", matchers, 0, null, AtModifier.NONE, 0, false, false, true, args.get(0).pos());
    }
    return new VectorSelector("", matchers, first.offsetMs(), first.offsetExpr(), first.at(), first.atMs(), false,
        false, true, first.pos());
  }

  /** The first vector selector in evaluation order (an aggregation's parameter comes first). */
  private static VectorSelector firstSelector(Expr e) {
    return switch (e) {
      case VectorSelector vs -> vs;
      case MatrixSelector m -> m.selector();
      case SubqueryExpr sq -> firstSelector(sq.expr());
      case ParenExpr p -> firstSelector(p.expr());
      case UnaryExpr u -> firstSelector(u.expr());
      case BinaryExpr b -> {
        VectorSelector l = firstSelector(b.lhs());
        yield l != null ? l : firstSelector(b.rhs());
      }
      case AggregateExpr a -> {
        VectorSelector p = a.param() == null ? null : firstSelector(a.param());
        yield p != null ? p : firstSelector(a.expr());
      }
      case Call c -> {
        for (Expr arg : c.args()) {
          VectorSelector vs = firstSelector(arg);
          if (vs != null) {
            yield vs;
          }
        }
        yield null;
      }
      default -> null;
    };
  }
}
