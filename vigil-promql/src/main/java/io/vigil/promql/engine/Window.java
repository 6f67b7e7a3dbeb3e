package io.vigil.promql.engine;

/**
 * The points of one series inside one step's window, as indexes into the series' arrays: a
 * flyweight reused across steps and series so that range functions allocate nothing per step.
 */
final class Window {
  long[] t;
  double[] v;
  /** First index in the window (inclusive). */
  int from;
  /** End index (exclusive). */
  int to;
  /** Window bounds: (rangeStartMs, rangeEndMs]. */
  long rangeStartMs;
  long rangeEndMs;
  long rangeMs;
  /** The evaluation time of the step (before offset and @): predict_linear predicts from here. */
  long evalTimeMs;
  /** Scratch for slope and intercept, so that regressions allocate nothing per step. */
  final double[] regression = new double[2];
  /** Scalar arguments of the call at this step (quantile, smoothing factors, predict duration). */
  double arg0;
  double arg1;
  /** The result when the function returns true. */
  double out;
  String metricName;

  int size() {
    return to - from;
  }
}
