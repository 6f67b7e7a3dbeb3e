package io.vigil.bench.suite;

import java.util.Arrays;
import java.util.List;

/** Order statistics of repeated measurements: the suite reports medians with min–max, never means. */
final class Stats {
  private Stats() {}

  /** The value at quantile {@code q} (0..1) by the nearest-rank method; NaN for no values. */
  static double quantile(double[] values, double q) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] v = values.clone();
    Arrays.sort(v);
    int rank = (int) Math.ceil(q * v.length);
    return v[Math.max(0, Math.min(v.length - 1, rank - 1))];
  }

  static double median(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  static double[] toArray(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** Median, min and max of repetitions as one table cell. */
  static Report.Cell cell(List<Double> values) {
    double[] v = toArray(values);
    if (v.length == 0) {
      return Report.Cell.NOT_AVAILABLE;
    }
    return new Report.Cell(median(v), Arrays.stream(v).min().orElseThrow(), Arrays.stream(v).max().orElseThrow(), v.length, null);
  }
}
