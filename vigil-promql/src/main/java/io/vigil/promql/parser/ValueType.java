package io.vigil.promql.parser;

/** The type of a PromQL expression's value. */
public enum ValueType {
  NONE("none", "none"),
  SCALAR("scalar", "scalar"),
  VECTOR("vector", "instant vector"),
  MATRIX("matrix", "range vector"),
  STRING("string", "string");

  private final String name;
  private final String documented;

  ValueType(String name, String documented) {
    this.name = name;
    this.documented = documented;
  }

  /** The API name ("vector", "matrix", ...), as in resultType of the HTTP API. */
  public String apiName() {
    return name;
  }

  /** The name used in type errors ("instant vector", "range vector", ...). */
  public String documented() {
    return documented;
  }
}
