package io.vigil.promql.engine;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/** Implementations of the range-vector functions (rate, *_over_time, ...), keyed by name. */
final class RangeFunctions {
  static final Map<String, WindowFunction> TABLE = new HashMap<>();

  static {
    TABLE.put("rate", (w, c) -> extrapolatedRate(w, true, true));
    TABLE.put("increase", (w, c) -> extrapolatedRate(w, true, false));
    TABLE.put("delta", (w, c) -> extrapolatedRate(w, false, false));
    TABLE.put("irate", (w, c) -> instantValue(w, true));
    TABLE.put("idelta", (w, c) -> instantValue(w, false));
    TABLE.put("deriv", RangeFunctions::deriv);
    TABLE.put("predict_linear", RangeFunctions::predictLinear);
    TABLE.put("changes", RangeFunctions::changes);
    TABLE.put("resets", RangeFunctions::resets);
    TABLE.put("sum_over_time", RangeFunctions::sumOverTime);
    TABLE.put("avg_over_time", RangeFunctions::avgOverTime);
    TABLE.put("count_over_time", (w, c) -> result(w, w.size()));
    TABLE.put("min_over_time", (w, c) -> minMax(w, false));
    TABLE.put("max_over_time", (w, c) -> minMax(w, true));
    TABLE.put("last_over_time", (w, c) -> result(w, w.v[w.to - 1]));
    TABLE.put("first_over_time", (w, c) -> result(w, w.v[w.from]));
    TABLE.put("ts_of_last_over_time", (w, c) -> result(w, w.t[w.to - 1] / 1000.0));
    TABLE.put("ts_of_first_over_time", (w, c) -> result(w, w.t[w.from] / 1000.0));
    TABLE.put("ts_of_max_over_time", (w, c) -> tsOfMinMax(w, true));
    TABLE.put("ts_of_min_over_time", (w, c) -> tsOfMinMax(w, false));
    TABLE.put("present_over_time", (w, c) -> result(w, 1));
    TABLE.put("stddev_over_time", (w, c) -> result(w, Math.sqrt(stdvar(w))));
    TABLE.put("stdvar_over_time", (w, c) -> result(w, stdvar(w)));
    TABLE.put("quantile_over_time", RangeFunctions::quantileOverTime);
    TABLE.put("mad_over_time", RangeFunctions::madOverTime);
    TABLE.put("double_exponential_smoothing", RangeFunctions::doubleExponentialSmoothing);
  }

  private RangeFunctions() {}

  private static boolean result(Window w, double v) {
    w.out = v;
    return true;
  }

  /** rate, increase and delta: counter-reset handling and extrapolation to the window edges. */
  static boolean extrapolatedRate(Window w, boolean isCounter, boolean isRate) {
    int n = w.size();
    if (n < 2) {
      return false;
    }
    double first = w.v[w.from];
    double last = w.v[w.to - 1];
    double result = last - first;
    if (isCounter) {
      double prev = first;
      for (int i = w.from + 1; i < w.to; i++) {
        double cur = w.v[i];
        if (cur < prev) {
          result += prev;
        }
        prev = cur;
      }
    }
    long firstT = w.t[w.from];
    long lastT = w.t[w.to - 1];
    double durationToStart = (firstT - w.rangeStartMs) / 1000.0;
    double durationToEnd = (w.rangeEndMs - lastT) / 1000.0;
    double sampledInterval = (lastT - firstT) / 1000.0;
    double averageBetweenSamples = sampledInterval / (n - 1);
    // Extrapolate to a window edge only if the edge is "close": within 110% of the average gap.
    double threshold = averageBetweenSamples * 1.1;
    if (durationToStart >= threshold) {
      durationToStart = averageBetweenSamples / 2;
    }
    if (isCounter && result > 0 && first >= 0) {
      // A counter cannot go below zero: do not extrapolate past the point where it would be zero.
      double durationToZero = sampledInterval * (first / result);
      if (durationToZero < durationToStart) {
        durationToStart = durationToZero;
      }
    }
    if (durationToEnd >= threshold) {
      durationToEnd = averageBetweenSamples / 2;
    }
    double factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
    if (isRate) {
      factor /= w.rangeMs / 1000.0;
    }
    w.out = result * factor;
    return true;
  }

  static boolean instantValue(Window w, boolean isRate) {
    if (w.size() < 2) {
      return false;
    }
    double last = w.v[w.to - 1];
    double prev = w.v[w.to - 2];
    double result = isRate && last < prev ? last : last - prev;
    long interval = w.t[w.to - 1] - w.t[w.to - 2];
    if (interval == 0) {
      return false;
    }
    if (isRate) {
      result /= interval / 1000.0;
    }
    w.out = result;
    return true;
  }

  /** Least-squares fit of the window's points; writes slope and intercept at interceptTime. */
  static void linearRegression(Window w, long interceptTime, double[] slopeIntercept) {
    double n = 0;
    double[] cX = {0};
    double[] cY = {0};
    double[] cXY = {0};
    double[] cX2 = {0};
    double sumX = 0;
    double sumY = 0;
    double sumXY = 0;
    double sumX2 = 0;
    double initY = w.v[w.from];
    boolean constY = true;
    for (int i = w.from; i < w.to; i++) {
      double y = w.v[i];
      if (constY && i > w.from && y != initY) {
        constY = false;
      }
      n += 1;
      double x = (w.t[i] - interceptTime) / 1e3;
      sumX = Kahan.inc(x, sumX, cX);
      sumY = Kahan.inc(y, sumY, cY);
      sumXY = Kahan.inc(x * y, sumXY, cXY);
      sumX2 = Kahan.inc(x * x, sumX2, cX2);
    }
    if (constY) {
      if (Double.isInfinite(initY)) {
        slopeIntercept[0] = Double.NaN;
        slopeIntercept[1] = Double.NaN;
      } else {
        slopeIntercept[0] = 0;
        slopeIntercept[1] = initY;
      }
      return;
    }
    sumX += cX[0];
    sumY += cY[0];
    sumXY += cXY[0];
    sumX2 += cX2[0];
    double covXY = sumXY - sumX * sumY / n;
    double varX = sumX2 - sumX * sumX / n;
    double slope = covXY / varX;
    slopeIntercept[0] = slope;
    slopeIntercept[1] = sumY / n - slope * sumX / n;
  }

  private static boolean deriv(Window w, EvalContext c) {
    if (w.size() < 2) {
      return false;
    }
    double[] si = w.regression;
    linearRegression(w, w.t[w.from], si);
    w.out = si[0];
    return true;
  }

  private static boolean predictLinear(Window w, EvalContext c) {
    if (w.size() < 2) {
      return false;
    }
    double[] si = w.regression;
    linearRegression(w, w.evalTimeMs, si);
    w.out = si[0] * w.arg0 + si[1];
    return true;
  }

  private static boolean changes(Window w, EvalContext c) {
    int changes = 0;
    double prev = w.v[w.from];
    for (int i = w.from + 1; i < w.to; i++) {
      double cur = w.v[i];
      if (cur != prev && !(Double.isNaN(cur) && Double.isNaN(prev))) {
        changes++;
      }
      prev = cur;
    }
    w.out = changes;
    return true;
  }

  private static boolean resets(Window w, EvalContext c) {
    int resets = 0;
    double prev = w.v[w.from];
    for (int i = w.from + 1; i < w.to; i++) {
      double cur = w.v[i];
      if (cur < prev) {
        resets++;
      }
      prev = cur;
    }
    w.out = resets;
    return true;
  }

  private static boolean sumOverTime(Window w, EvalContext c) {
    double sum = 0;
    double[] comp = {0};
    for (int i = w.from; i < w.to; i++) {
      sum = Kahan.inc(w.v[i], sum, comp);
    }
    w.out = sum + comp[0];
    return true;
  }

  /** Direct mean with compensated summation; switches to an incremental mean if the sum overflows. */
  private static boolean avgOverTime(Window w, EvalContext c) {
    double sum = w.v[w.from];
    double count = 1;
    double mean = 0;
    double[] comp = {0};
    boolean incremental = false;
    for (int i = w.from + 1; i < w.to; i++) {
      double f = w.v[i];
      count = i - w.from + 1;
      if (!incremental) {
        double[] nc = {comp[0]};
        double newSum = Kahan.inc(f, sum, nc);
        if (!Double.isInfinite(newSum)) {
          sum = newSum;
          comp[0] = nc[0];
          continue;
        }
        incremental = true;
        mean = sum / (count - 1);
        comp[0] /= (count - 1);
      }
      double q = (count - 1) / count;
      double[] qc = {q * comp[0]};
      mean = Kahan.inc(f / count, q * mean, qc);
      comp[0] = qc[0];
    }
    w.out = incremental ? mean + comp[0] : sum / count + comp[0] / count;
    return true;
  }

  private static boolean minMax(Window w, boolean max) {
    double r = w.v[w.from];
    for (int i = w.from + 1; i < w.to; i++) {
      double f = w.v[i];
      if ((max ? f > r : f < r) || Double.isNaN(r)) {
        r = f;
      }
    }
    w.out = r;
    return true;
  }

  private static boolean tsOfMinMax(Window w, boolean max) {
    double r = w.v[w.from];
    long ts = w.t[w.from];
    for (int i = w.from + 1; i < w.to; i++) {
      double f = w.v[i];
      if ((max ? f >= r : f <= r) || Double.isNaN(r)) {
        r = f;
        ts = w.t[i];
      }
    }
    w.out = ts / 1000.0;
    return true;
  }

  static double stdvar(Window w) {
    double count = 0;
    double mean = 0;
    double[] cMean = {0};
    double aux = 0;
    double[] cAux = {0};
    for (int i = w.from; i < w.to; i++) {
      double f = w.v[i];
      count++;
      double delta = f - (mean + cMean[0]);
      mean = Kahan.inc(delta / count, mean, cMean);
      aux = Kahan.inc(delta * (f - (mean + cMean[0])), aux, cAux);
    }
    return (aux + cAux[0]) / count;
  }

  private static boolean quantileOverTime(Window w, EvalContext c) {
    double q = w.arg0;
    if (Double.isNaN(q) || q < 0 || q > 1) {
      c.annotations.warn("quantile value should be between 0 and 1, got " + io.vigil.promql.parser.GoFloat.formatG(q));
    }
    double[] vals = Arrays.copyOfRange(w.v, w.from, w.to);
    w.out = Aggregations.quantile(q, vals, vals.length);
    return true;
  }

  private static boolean madOverTime(Window w, EvalContext c) {
    double[] vals = Arrays.copyOfRange(w.v, w.from, w.to);
    double median = Aggregations.quantile(0.5, vals, vals.length);
    double[] dev = new double[vals.length];
    for (int i = 0; i < vals.length; i++) {
      dev[i] = Math.abs(vals[i] - median);
    }
    w.out = Aggregations.quantile(0.5, dev, dev.length);
    return true;
  }

  private static boolean doubleExponentialSmoothing(Window w, EvalContext c) {
    double sf = w.arg0;
    double tf = w.arg1;
    if (sf <= 0 || sf >= 1) {
      throw new io.vigil.promql.QueryException(io.vigil.promql.QueryException.Kind.EXECUTION,
          "invalid smoothing factor. Expected: 0 < sf < 1, got: " + io.vigil.promql.parser.GoFloat.formatG(sf));
    }
    if (tf <= 0 || tf >= 1) {
      throw new io.vigil.promql.QueryException(io.vigil.promql.QueryException.Kind.EXECUTION,
          "invalid trend factor. Expected: 0 < tf < 1, got: " + io.vigil.promql.parser.GoFloat.formatG(tf));
    }
    int l = w.size();
    if (l < 2) {
      return false;
    }
    double s0 = 0;
    double s1 = w.v[w.from];
    double b = w.v[w.from + 1] - w.v[w.from];
    for (int i = 1; i < l; i++) {
      double x = sf * w.v[w.from + i];
      b = i == 1 ? b : tf * (s1 - s0) + (1 - tf) * b;
      s0 = s1;
      s1 = x + (1 - sf) * (s0 + b);
    }
    w.out = s1;
    return true;
  }
}
