package io.vigil.model;

/** The four label matcher operators of PromQL selectors. */
public enum MatchType {
  EQUAL("="),
  NOT_EQUAL("!="),
  REGEX("=~"),
  NOT_REGEX("!~");

  private final String operator;

  MatchType(String operator) {
    this.operator = operator;
  }

  public String operator() {
    return operator;
  }

  public boolean isRegex() {
    return this == REGEX || this == NOT_REGEX;
  }

  public boolean isNegative() {
    return this == NOT_EQUAL || this == NOT_REGEX;
  }
}
