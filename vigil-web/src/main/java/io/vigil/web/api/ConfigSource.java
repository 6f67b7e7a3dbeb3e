package io.vigil.web.api;

/** The configuration in force as YAML (secrets redacted), for {@code /api/v1/status/config}. */
@FunctionalInterface
public interface ConfigSource {
  ConfigSource EMPTY = () -> "";

  String yaml();
}
