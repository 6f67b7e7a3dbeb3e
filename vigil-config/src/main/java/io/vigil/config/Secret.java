package io.vigil.config;

/**
 * A password, token or key from a configuration file. {@link #toString()} never shows the value,
 * so secrets cannot leak into logs or error messages; rendering shows {@code <secret>} as
 * Prometheus does.
 *
 * @param value the secret itself; never empty
 */
public record Secret(String value) {
  public static final String REDACTED = "<secret>";

  public Secret {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("a secret must not be empty");
    }
  }

  @Override
  public String toString() {
    return REDACTED;
  }
}
