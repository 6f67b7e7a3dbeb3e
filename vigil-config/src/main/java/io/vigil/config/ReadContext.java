package io.vigil.config;

import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * What section readers share while reading one file: where problems go, how relative file names are
 * resolved (against the configuration file's directory, as Prometheus does), and the environment
 * used to expand {@code $VAR} in external label values.
 *
 * @param baseDir directory of the configuration file, or null to leave relative paths as written
 * @param env environment lookup; returns null or "" for unset variables
 */
record ReadContext(Problems problems, Path baseDir, UnaryOperator<String> env) {
  /** {@code file} joined to the base directory when it is relative (and not empty). */
  String resolve(String file) {
    if (baseDir == null || file.isEmpty() || Path.of(file).isAbsolute()) {
      return file;
    }
    return baseDir.resolve(file).normalize().toString();
  }
}
