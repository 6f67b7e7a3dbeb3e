package io.vigil.config;

/**
 * One problem found in a configuration file, with where it is: the file, the 1-based line and column
 * of the offending YAML node, and the field path from the document root (e.g.
 * {@code scrape_configs[0].scrape_interval}). Used for errors and for warnings alike.
 *
 * <p>{@link #toString()} is the line printed to users:
 * {@code vigil.yml:12:5: scrape_configs[0].scrape_intervall: unknown field}; without a path (e.g. a
 * YAML syntax error) it is {@code vigil.yml:3:1: <message>}.
 *
 * @param source the file name as given to the loader (or a name like {@code <default config>})
 * @param line 1-based line, 0 when unknown
 * @param column 1-based column, 0 when unknown
 * @param path the field path, "" for the document itself
 * @param message what is wrong, in Prometheus's wording where Prometheus has one
 */
public record ConfigError(String source, int line, int column, String path, String message) {
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(source.length() + path.length() + message.length() + 16);
    sb.append(source).append(':').append(line).append(':').append(column).append(": ");
    if (!path.isEmpty()) {
      sb.append(path).append(": ");
    }
    return sb.append(message).toString();
  }
}
