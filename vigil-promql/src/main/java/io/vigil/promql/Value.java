package io.vigil.promql;

/** The result value of a query: one of scalar, string, instant vector, range vector (matrix). */
public sealed interface Value permits Scalar, StringValue, Vector, Matrix {
  /** "scalar", "string", "vector" or "matrix", as the HTTP API's resultType. */
  String typeName();
}
