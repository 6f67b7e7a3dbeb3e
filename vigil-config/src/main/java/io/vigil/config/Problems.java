package io.vigil.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Collects the errors and warnings found while reading one file, each with its position and field
 * path, so that a loader can report all of them at once. Not thread-safe.
 */
public final class Problems {
  private static final Comparator<ConfigError> DOCUMENT_ORDER =
      Comparator.comparingInt(ConfigError::line).thenComparingInt(ConfigError::column);

  private final String source;
  private final List<ConfigError> errors = new ArrayList<>();
  private final List<ConfigError> warnings = new ArrayList<>();

  public Problems(String source) {
    this.source = source;
  }

  public String source() {
    return source;
  }

  public void error(YamlNode at, String path, String message) {
    error(at == null ? 0 : at.line(), at == null ? 0 : at.column(), path, message);
  }

  public void error(int line, int column, String path, String message) {
    errors.add(new ConfigError(source, line, column, path, message));
  }

  public void warn(int line, int column, String path, String message) {
    warnings.add(new ConfigError(source, line, column, path, message));
  }

  public boolean hasErrors() {
    return !errors.isEmpty();
  }

  public int errorCount() {
    return errors.size();
  }

  /** Errors in document order (line, then column; stable for equal positions). */
  public List<ConfigError> errors() {
    return errors.stream().sorted(DOCUMENT_ORDER).toList();
  }

  public List<ConfigError> warnings() {
    return warnings.stream().sorted(DOCUMENT_ORDER).toList();
  }

  /** @throws ConfigException when any error was recorded */
  public void throwIfErrors() throws ConfigException {
    if (!errors.isEmpty()) {
      throw new ConfigException(errors());
    }
  }
}
