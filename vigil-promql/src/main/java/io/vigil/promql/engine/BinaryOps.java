package io.vigil.promql.engine;

import io.vigil.model.Labels;
import io.vigil.promql.QueryException;
import io.vigil.promql.engine.Evaluator.ScalarVal;
import io.vigil.promql.engine.Evaluator.Val;
import io.vigil.promql.engine.Evaluator.VectorVal;
import io.vigil.promql.parser.Expr.BinaryExpr;
import io.vigil.promql.parser.Expr.Cardinality;
import io.vigil.promql.parser.Expr.VectorMatching;
import io.vigil.promql.parser.TokenType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Binary operators between scalars and vectors, with Prometheus's vector matching. */
final class BinaryOps {
  private BinaryOps() {}

  static Val eval(Evaluator ev, BinaryExpr b, StepGrid grid) {
    Val l = ev.eval(b.lhs(), grid);
    Val r = ev.eval(b.rhs(), grid);
    TokenType op = b.op();
    if (l instanceof ScalarVal ls && r instanceof ScalarVal rs) {
      double[] out = new double[ls.v().length];
      for (int i = 0; i < out.length; i++) {
        double v = apply(op, ls.v()[i], rs.v()[i]);
        if (op.isComparisonOperator()) {
          v = compare(op, ls.v()[i], rs.v()[i]) ? 1 : 0;
        }
        out[i] = v;
      }
      return new ScalarVal(out);
    }
    if (l instanceof VectorVal lv && r instanceof ScalarVal rs) {
      return vectorScalar(ev, op, b.returnBool(), lv.rows(), rs.v(), false);
    }
    if (l instanceof ScalarVal ls && r instanceof VectorVal rv) {
      return vectorScalar(ev, op, b.returnBool(), rv.rows(), ls.v(), true);
    }
    List<Row> lrows = ((VectorVal) l).rows();
    List<Row> rrows = ((VectorVal) r).rows();
    VectorMatching vm = b.matching();
    return switch (op) {
      case LAND -> and(lrows, rrows, vm, grid.steps(), false);
      case LUNLESS -> and(lrows, rrows, vm, grid.steps(), true);
      case LOR -> or(lrows, rrows, vm, grid.steps());
      default -> vectorVector(ev, b, lrows, rrows, grid.steps());
    };
  }

  static double apply(TokenType op, double l, double r) {
    return switch (op) {
      case ADD -> l + r;
      case SUB -> l - r;
      case MUL -> l * r;
      case DIV -> l / r;
      case POW -> Kahan.pow(l, r);
      case MOD -> l % r;
      case ATAN2 -> Math.atan2(l, r);
      case EQLC, NEQ, GTR, LSS, GTE, LTE -> l;
      default -> throw new IllegalStateException("not an arithmetic operator: " + op);
    };
  }

  static boolean compare(TokenType op, double l, double r) {
    return switch (op) {
      case EQLC -> l == r;
      case NEQ -> l != r;
      case GTR -> l > r;
      case LSS -> l < r;
      case GTE -> l >= r;
      case LTE -> l <= r;
      default -> true;
    };
  }

  private static boolean dropsName(TokenType op, boolean returnBool) {
    return !op.isComparisonOperator() || returnBool;
  }

  private static Val vectorScalar(Evaluator ev, TokenType op, boolean returnBool, List<Row> rows, double[] s,
      boolean scalarLeft) {
    boolean cmp = op.isComparisonOperator();
    for (Row row : rows) {
      for (int i = 0; i < row.values.length; i++) {
        if (!row.has(i)) {
          continue;
        }
        double lv = scalarLeft ? s[i] : row.values[i];
        double rv = scalarLeft ? row.values[i] : s[i];
        if (cmp) {
          boolean keep = compare(op, lv, rv);
          if (returnBool) {
            row.values[i] = keep ? 1 : 0;
          } else if (!keep) {
            row.clear(i);
          }
          // Comparisons keep the vector's value even when the scalar is on the left.
        } else {
          row.values[i] = apply(op, lv, rv);
        }
      }
      if (dropsName(op, returnBool)) {
        ev.dropName(row);
      }
    }
    return new VectorVal(ev.dedupe(FunctionCalls.removeEmpty(rows)));
  }

  /** The matching key of a series: only the on() labels, or all but the ignoring() labels and the name. */
  static Labels signature(Labels l, VectorMatching vm) {
    if (vm == null) {
      return l.withoutMetricName();
    }
    if (vm.on()) {
      return l.keep(new HashSet<>(vm.matchingLabels()));
    }
    Set<String> drop = new HashSet<>(vm.matchingLabels());
    drop.add(Labels.METRIC_NAME);
    return l.drop(drop);
  }

  private static Val and(List<Row> lrows, List<Row> rrows, VectorMatching vm, int steps, boolean unless) {
    Map<Labels, long[]> rightPresent = new HashMap<>();
    for (Row r : rrows) {
      long[] p = rightPresent.computeIfAbsent(signature(Evaluator.effectiveLabels(r), vm), k -> new long[r.present.length]);
      for (int w = 0; w < p.length; w++) {
        p[w] |= r.present[w];
      }
    }
    List<Row> out = new ArrayList<>(lrows.size());
    for (Row l : lrows) {
      long[] p = rightPresent.get(signature(Evaluator.effectiveLabels(l), vm));
      for (int w = 0; w < l.present.length; w++) {
        long rp = p == null ? 0 : p[w];
        l.present[w] &= unless ? ~rp : rp;
      }
      if (!l.isEmpty()) {
        out.add(l);
      }
    }
    return new VectorVal(out);
  }

  private static Val or(List<Row> lrows, List<Row> rrows, VectorMatching vm, int steps) {
    Map<Labels, long[]> leftPresent = new HashMap<>();
    for (Row l : lrows) {
      long[] p = leftPresent.computeIfAbsent(signature(Evaluator.effectiveLabels(l), vm), k -> new long[l.present.length]);
      for (int w = 0; w < p.length; w++) {
        p[w] |= l.present[w];
      }
    }
    List<Row> out = new ArrayList<>(lrows);
    for (Row r : rrows) {
      long[] p = leftPresent.get(signature(Evaluator.effectiveLabels(r), vm));
      if (p != null) {
        for (int w = 0; w < r.present.length; w++) {
          r.present[w] &= ~p[w];
        }
      }
      if (!r.isEmpty()) {
        out.add(r);
      }
    }
    return new VectorVal(out);
  }

  private static Val vectorVector(Evaluator ev, BinaryExpr b, List<Row> lrows, List<Row> rrows, int steps) {
    VectorMatching vm = b.matching();
    TokenType op = b.op();
    boolean returnBool = b.returnBool();
    Cardinality card = vm.card();
    // With group_right the "many" side is on the right: swap so that the "one" side is always rrows.
    boolean swapped = card == Cardinality.ONE_TO_MANY;
    List<Row> many = swapped ? rrows : lrows;
    List<Row> one = swapped ? lrows : rrows;
    Map<Labels, List<Row>> oneBySig = new HashMap<>();
    for (Row r : one) {
      oneBySig.computeIfAbsent(signature(Evaluator.effectiveLabels(r), vm), k -> new ArrayList<>(1)).add(r);
    }
    Map<Labels, Row> outRows = new LinkedHashMap<>();
    Map<Labels, List<Row>> manyBySig = new LinkedHashMap<>();
    for (Row l : many) {
      manyBySig.computeIfAbsent(signature(Evaluator.effectiveLabels(l), vm), k -> new ArrayList<>(1)).add(l);
    }
    Labels.Builder lb = new Labels.Builder();
    for (Map.Entry<Labels, List<Row>> e : manyBySig.entrySet()) {
      Labels sig = e.getKey();
      List<Row> oneSide = oneBySig.get(sig);
      if (oneSide == null) {
        continue;
      }
      List<Row> manySide = e.getValue();
      for (int i = 0; i < steps; i++) {
        Row match = null;
        for (Row r : oneSide) {
          if (r.has(i)) {
            if (match != null) {
              throw duplicateError(sig, match, r, swapped ? "left" : "right");
            }
            match = r;
          }
        }
        if (match == null) {
          continue;
        }
        int matchedMany = 0;
        for (Row l : manySide) {
          if (!l.has(i)) {
            continue;
          }
          double lv = swapped ? match.values[i] : l.values[i];
          double rv = swapped ? l.values[i] : match.values[i];
          double v = apply(op, lv, rv);
          boolean keep = true;
          if (op.isComparisonOperator()) {
            keep = compare(op, lv, rv);
            if (returnBool) {
              v = keep ? 1 : 0;
              keep = true;
            }
          }
          if (!keep) {
            continue;
          }
          if (card == Cardinality.ONE_TO_ONE && ++matchedMany > 1) {
            throw new QueryException(QueryException.Kind.EXECUTION,
                "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)");
          }
          Labels metric = resultMetric(ev, lb, l, match, op, returnBool, vm);
          Row o = outRows.get(metric);
          if (o == null) {
            o = new Row(metric, steps);
            o.dropName = ev.ctx.delayedNameRemoval && (dropsName(op, returnBool) || l.dropName);
            outRows.put(metric, o);
          } else if (o.has(i)) {
            throw new QueryException(QueryException.Kind.EXECUTION,
                "multiple matches for labels: grouping labels must ensure unique matches");
          }
          o.set(i, v);
        }
      }
    }
    return new VectorVal(ev.dedupe(new ArrayList<>(outRows.values())));
  }

  private static QueryException duplicateError(Labels sig, Row a, Row b, String side) {
    Labels x = a.labels;
    Labels y = b.labels;
    if (x.compareTo(y) > 0) {
      Labels t = x;
      x = y;
      y = t;
    }
    return new QueryException(QueryException.Kind.EXECUTION, "found duplicate series for the match group " + sig
        + " on the " + side + " hand-side of the operation: [" + x + ", " + y
        + "];many-to-many matching not allowed: matching labels must be unique on one side");
  }

  private static Labels resultMetric(Evaluator ev, Labels.Builder lb, Row many, Row one, TokenType op,
      boolean returnBool, VectorMatching vm) {
    lb.reset(many.labels);
    if (dropsName(op, returnBool) && !ev.ctx.delayedNameRemoval) {
      lb.del(Labels.METRIC_NAME);
    }
    if (many.dropName && !ev.ctx.delayedNameRemoval) {
      lb.del(Labels.METRIC_NAME);
    }
    if (vm.card() == Cardinality.ONE_TO_ONE) {
      if (vm.on()) {
        lb.keepOnly(new HashSet<>(vm.matchingLabels()));
      } else {
        lb.del(vm.matchingLabels().toArray(new String[0]));
      }
    }
    for (String ln : vm.include()) {
      lb.set(ln, one.labels.get(ln));
    }
    return lb.build();
  }
}
