package io.vigil.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A configuration file that cannot be used. Carries every error found (the loader collects them
 * rather than stopping at the first), in document order; the message is their {@code toString()}s,
 * one per line.
 */
public final class ConfigException extends Exception {
  private final List<ConfigError> errors;

  public ConfigException(List<ConfigError> errors) {
    super(errors.stream().map(ConfigError::toString).collect(Collectors.joining("\n")));
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one error");
    }
    this.errors = List.copyOf(errors);
  }

  /** Every error, in document order. Never empty. */
  public List<ConfigError> errors() {
    return errors;
  }
}
