/**
 * Vigil's configuration files.
 *
 * <ul>
 *   <li>{@link io.vigil.config.ConfigLoader} reads Prometheus-compatible {@code prometheus.yml} files
 *       into an immutable {@link io.vigil.config.Config} with Prometheus's defaults filled in, and
 *       supplies the built-in configuration; {@link io.vigil.config.Config#toYaml()} renders it as
 *       Prometheus does for {@code /api/v1/status/config}.
 *   <li>{@link io.vigil.config.WebConfigLoader} reads the {@code --web.config.file} (TLS, basic auth,
 *       bearer tokens) into a {@link io.vigil.config.WebConfig}.
 *   <li>Both report every problem as a {@link io.vigil.config.ConfigError} with file, line, column and
 *       field path, throw {@link io.vigil.config.ConfigException} when there is any error, and return
 *       warnings (accepted but unsupported settings) with the result.
 *   <li>{@link io.vigil.config.YamlTree}, {@link io.vigil.config.YamlNode} and
 *       {@link io.vigil.config.MappingReader} are the position-keeping YAML reading underneath, usable
 *       for other YAML files with the same error reporting (rule files, for instance).
 * </ul>
 */
package io.vigil.config;
