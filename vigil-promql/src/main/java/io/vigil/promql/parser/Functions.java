package io.vigil.promql.parser;

import static io.vigil.promql.parser.ValueType.MATRIX;
import static io.vigil.promql.parser.ValueType.SCALAR;
import static io.vigil.promql.parser.ValueType.STRING;
import static io.vigil.promql.parser.ValueType.VECTOR;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Prometheus 3's function table: the signatures the parser type-checks calls against. */
public final class Functions {
  private static final Map<String, FunctionSignature> TABLE = new TreeMap<>();

  static {
    for (String f : new String[] {"abs", "acos", "acosh", "asin", "asinh", "atan", "atanh", "ceil", "cos", "cosh",
        "deg", "exp", "floor", "ln", "log10", "log2", "rad", "sgn", "sin", "sinh", "sqrt", "tan", "tanh",
        "absent", "sort", "sort_desc", "timestamp", "histogram_avg", "histogram_count", "histogram_sum",
        "histogram_stddev", "histogram_stdvar"}) {
      stable(f, VECTOR, 0, VECTOR);
    }
    for (String f : new String[] {"absent_over_time", "avg_over_time", "changes", "count_over_time", "delta", "deriv",
        "idelta", "increase", "irate", "last_over_time", "max_over_time", "min_over_time", "present_over_time",
        "rate", "resets", "stddev_over_time", "stdvar_over_time", "sum_over_time"}) {
      stable(f, VECTOR, 0, MATRIX);
    }
    for (String f : new String[] {"mad_over_time", "first_over_time", "ts_of_first_over_time", "ts_of_last_over_time",
        "ts_of_max_over_time", "ts_of_min_over_time"}) {
      experimental(f, VECTOR, 0, MATRIX);
    }
    for (String f : new String[] {"day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour", "minute",
        "month", "year"}) {
      stable(f, VECTOR, 1, VECTOR);
    }
    stable("clamp", VECTOR, 0, VECTOR, SCALAR, SCALAR);
    stable("clamp_max", VECTOR, 0, VECTOR, SCALAR);
    stable("clamp_min", VECTOR, 0, VECTOR, SCALAR);
    stable("histogram_fraction", VECTOR, 0, SCALAR, SCALAR, VECTOR);
    stable("histogram_quantile", VECTOR, 0, SCALAR, VECTOR);
    stable("label_replace", VECTOR, 0, VECTOR, STRING, STRING, STRING, STRING);
    stable("label_join", VECTOR, -1, VECTOR, STRING, STRING, STRING);
    stable("pi", SCALAR, 0);
    stable("predict_linear", VECTOR, 0, MATRIX, SCALAR);
    stable("quantile_over_time", VECTOR, 0, SCALAR, MATRIX);
    stable("round", VECTOR, 1, VECTOR, SCALAR);
    stable("scalar", SCALAR, 0, VECTOR);
    stable("time", SCALAR, 0);
    stable("vector", VECTOR, 0, SCALAR);
    experimental("double_exponential_smoothing", VECTOR, 0, MATRIX, SCALAR, SCALAR);
    experimental("info", VECTOR, 1, VECTOR, VECTOR);
    experimental("sort_by_label", VECTOR, -1, VECTOR, STRING);
    experimental("sort_by_label_desc", VECTOR, -1, VECTOR, STRING);
    experimental("histogram_quantiles", VECTOR, -1, VECTOR, STRING, SCALAR);
  }

  private Functions() {}

  private static void stable(String name, ValueType ret, int variadic, ValueType... args) {
    TABLE.put(name, new FunctionSignature(name, List.of(args), variadic, ret, false));
  }

  private static void experimental(String name, ValueType ret, int variadic, ValueType... args) {
    TABLE.put(name, new FunctionSignature(name, List.of(args), variadic, ret, true));
  }

  /** The signature of a function, or null if there is no such function. */
  public static FunctionSignature get(String name) {
    return TABLE.get(name);
  }

  /** All signatures by name (read-only). */
  public static Map<String, FunctionSignature> all() {
    return Collections.unmodifiableMap(TABLE);
  }
}
