package io.vigil.rules;

/**
 * A problem in a rule file, printed as promtool prints it:
 * {@code rules.yml: 5:15: group "g", rule 1, "job:up:sum": could not parse expression: ...}.
 *
 * @param line 1-based line of the node the error is about, 0 when it has none ("0:0" is printed only
 *     when {@code positioned} and the node is missing, as promtool does)
 * @param line2 a second position (both record and alert set), 0 when none
 */
public record RuleFileError(String file, boolean positioned, int line, int column, int line2, int column2,
    String message) {
  static RuleFileError at(String file, int line, int column, String message) {
    return new RuleFileError(file, true, line, column, 0, 0, message);
  }

  static RuleFileError unpositioned(String file, String message) {
    return new RuleFileError(file, false, 0, 0, 0, 0, message);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(file).append(": ");
    if (positioned) {
      sb.append(line).append(':').append(column).append(": ");
      if (line2 > 0) {
        sb.append(line2).append(':').append(column2).append(": ");
      }
    }
    return sb.append(message).toString();
  }
}
