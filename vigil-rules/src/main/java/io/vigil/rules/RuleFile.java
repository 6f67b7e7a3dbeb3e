package io.vigil.rules;

import java.util.List;

/**
 * A parsed and validated rule file.
 *
 * @param groups the groups, usable only when {@code errors} is empty
 * @param errors every problem found (promtool reports them all at once)
 * @param lintWarnings promtool's lint findings (duplicate recording rules); not errors
 */
public record RuleFile(String file, List<RuleGroupSpec> groups, List<RuleFileError> errors,
    List<String> lintWarnings) {
  public RuleFile {
    groups = List.copyOf(groups);
    errors = List.copyOf(errors);
    lintWarnings = List.copyOf(lintWarnings);
  }

  public boolean ok() {
    return errors.isEmpty();
  }

  public int ruleCount() {
    return groups.stream().mapToInt(g -> g.rules().size()).sum();
  }
}
