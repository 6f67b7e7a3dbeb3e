package io.vigil.rules;

import java.util.List;
import java.util.stream.Collectors;

/** Rule files that could not be loaded; the previous rules stay in force. Lists every error. */
public final class RuleLoadException extends Exception {
  private final List<RuleFileError> errors;

  public RuleLoadException(List<RuleFileError> errors) {
    super(errors.stream().map(RuleFileError::toString).collect(Collectors.joining("; ")), null, false, false);
    this.errors = List.copyOf(errors);
  }

  public List<RuleFileError> errors() {
    return errors;
  }
}
