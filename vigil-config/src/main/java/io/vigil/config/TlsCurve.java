package io.vigil.config;

/** Elliptic curves for TLS key exchange, as exporter-toolkit names them, with Java's names. */
public enum TlsCurve {
  CURVE_P256("CurveP256", "secp256r1"),
  CURVE_P384("CurveP384", "secp384r1"),
  CURVE_P521("CurveP521", "secp521r1"),
  X25519("X25519", "x25519");

  private final String configName;
  private final String jsseName;

  TlsCurve(String configName, String jsseName) {
    this.configName = configName;
    this.jsseName = jsseName;
  }

  public String configName() {
    return configName;
  }

  /** The named group for {@code SSLParameters.setNamedGroups}. */
  public String jsseName() {
    return jsseName;
  }

  /** @throws IllegalArgumentException {@code unknown curve: X} */
  public static TlsCurve parse(String s) {
    for (TlsCurve c : values()) {
      if (c.configName.equals(s)) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown curve: " + s);
  }
}
