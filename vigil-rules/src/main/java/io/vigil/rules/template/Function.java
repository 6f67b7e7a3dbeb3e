package io.vigil.rules.template;

import java.util.List;

/**
 * A template function: its Go parameter types (what the executor converts and checks arguments
 * against, with Go's messages) and its implementation. Signatures and implementations live in the
 * two tables {@link Builtins} and {@link PrometheusFunctions}.
 *
 * @param params fixed parameters
 * @param variadic the type of the trailing variadic parameter, or null
 * @param lazy arguments are evaluated one at a time by the executor (and, or)
 */
record Function(String name, List<Kind> params, Kind variadic, boolean lazy, Impl impl) {
  public Function {
    params = List.copyOf(params);
  }

  static Function of(String name, Impl impl, Kind... params) {
    return new Function(name, List.of(params), null, false, impl);
  }

  static Function variadic(String name, Impl impl, Kind variadic, Kind... params) {
    return new Function(name, List.of(params), variadic, false, impl);
  }

  /** Go parameter types, as far as templates can tell them apart. */
  enum Kind {
    STRING("string"), FLOAT("float64"), INT("int"), BOOL("bool"), ANY("interface {}"),
    SAMPLE("*template.sample"), QUERY_RESULT("template.queryResult"), VALUE("reflect.Value");

    final String goType;

    Kind(String goType) {
      this.goType = goType;
    }
  }

  @FunctionalInterface
  interface Impl {
    Object call(List<Object> args, Context ctx) throws Failure;
  }

  /** A function's error return: execution stops with "error calling NAME: message". */
  static final class Failure extends Exception {
    Failure(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * A Go panic inside a function (regexp.MustCompile, a nil pointer): Prometheus recovers it at the
   * top of the expansion, so the message is not wrapped in "error calling".
   */
  static final class Panic extends RuntimeException {
    private final boolean isError;

    /**
     * @param isError whether Go's panic value is an error (its text is used as is) rather than a
     *     string (Prometheus then says "panic expanding template NAME: ...")
     */
    Panic(String message, boolean isError) {
      super(message, null, false, false);
      this.isError = isError;
    }

    boolean isError() {
      return isError;
    }
  }

  /** What functions may use from the expansion: the query function, time and external URL. */
  interface Context {
    /** Runs a PromQL instant query at the evaluation time. */
    List<GoValues.Sample> query(String q) throws Failure;

    String externalUrl();

    String pathPrefix();
  }
}
