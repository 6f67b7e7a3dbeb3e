package io.vigil.promql.parser;

/**
 * Which experimental syntax the parser accepts. Defaults (all false) are Prometheus's defaults.
 *
 * @param experimentalFunctions functions and aggregators marked experimental (limitk, info, ...):
 *     --enable-feature=promql-experimental-functions
 * @param durationExpressions arithmetic and step()/range() in ranges, steps and offsets:
 *     --enable-feature=promql-duration-expr
 * @param extendedRangeSelectors the {@code anchored} and {@code smoothed} modifiers
 * @param binopFillModifiers {@code fill()}, {@code fill_left()}, {@code fill_right()} on binary operators
 */
public record ParserOptions(boolean experimentalFunctions, boolean durationExpressions,
    boolean extendedRangeSelectors, boolean binopFillModifiers) {
  public static final ParserOptions DEFAULT = new ParserOptions(false, false, false, false);
  public static final ParserOptions ALL_EXPERIMENTAL = new ParserOptions(true, true, true, true);
}
