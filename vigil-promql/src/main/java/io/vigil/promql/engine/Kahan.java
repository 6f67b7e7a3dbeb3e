package io.vigil.promql.engine;

/** Compensated (Kahan-Neumaier) summation steps and Go-compatible math where Java differs. */
final class Kahan {
  private Kahan() {}

  /** Adds inc to (sum, c); returns the new sum and writes the new compensation to c[0]. */
  static double inc(double inc, double sum, double[] c) {
    double t = sum + inc;
    if (Double.isInfinite(t)) {
      c[0] = 0;
    } else if (Math.abs(sum) >= Math.abs(inc)) {
      c[0] += (sum - t) + inc;
    } else {
      c[0] += (inc - t) + sum;
    }
    return t;
  }

  /** Go's math.Pow: Pow(x, ±0) = 1 and Pow(1, y) = 1 for any y, Pow(-1, ±Inf) = 1. */
  static double pow(double x, double y) {
    if (y == 0 || x == 1) {
      return 1;
    }
    if (x == -1 && Double.isInfinite(y)) {
      return 1;
    }
    return Math.pow(x, y);
  }
}
