package io.vigil.promql.engine;

/** A range-vector function over one window; returns false when it yields no value at this step. */
@FunctionalInterface
interface WindowFunction {
  boolean apply(Window w, EvalContext ctx);
}
