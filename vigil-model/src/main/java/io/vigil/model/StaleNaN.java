package io.vigil.model;

/**
 * The staleness marker: a NaN with one specific bit pattern that ends a series (Prometheus's
 * {@code value.StaleNaN}). It must stay distinct from an ordinary NaN sample everywhere: compare
 * with {@link #is(double)}, which looks at the raw bits, never with {@code Double.isNaN} alone, and
 * never convert with {@link Double#doubleToLongBits} (it canonicalises every NaN to 0x7ff8...).
 *
 * <p>On HotSpot/x86-64 doubles are moved with SSE instructions that keep NaN payloads, so the bit
 * pattern survives being stored in arrays, fields and locals; arithmetic on it yields an ordinary
 * (quiet) NaN, which is what PromQL expects of a value computed from a marker.
 */
public final class StaleNaN {
  /** Raw bits of the marker: a NaN (exponent all ones) with mantissa 2. */
  public static final long BITS = 0x7ff0000000000002L;
  public static final double VALUE = Double.longBitsToDouble(BITS);

  private StaleNaN() {}

  public static boolean is(double v) {
    return Double.doubleToRawLongBits(v) == BITS;
  }
}
