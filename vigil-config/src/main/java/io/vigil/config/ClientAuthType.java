package io.vigil.config;

/** Whether the HTTPS server asks for and verifies client certificates (exporter-toolkit's names). */
public enum ClientAuthType {
  NO_CLIENT_CERT("NoClientCert"),
  REQUEST_CLIENT_CERT("RequestClientCert"),
  REQUIRE_ANY_CLIENT_CERT("RequireAnyClientCert"),
  VERIFY_CLIENT_CERT_IF_GIVEN("VerifyClientCertIfGiven"),
  REQUIRE_AND_VERIFY_CLIENT_CERT("RequireAndVerifyClientCert");

  private final String configName;

  ClientAuthType(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  /** Whether a certificate that is presented must chain to the client CAs. */
  public boolean verifies() {
    return this == VERIFY_CLIENT_CERT_IF_GIVEN || this == REQUIRE_AND_VERIFY_CLIENT_CERT;
  }

  /** Whether a client without a certificate is refused. */
  public boolean requiresCertificate() {
    return this == REQUIRE_ANY_CLIENT_CERT || this == REQUIRE_AND_VERIFY_CLIENT_CERT;
  }

  /**
   * "" means NoClientCert; "RequireClientCert" is kept as exporter-toolkit keeps it, meaning
   * RequireAnyClientCert.
   *
   * @throws IllegalArgumentException {@code invalid ClientAuth: X}
   */
  public static ClientAuthType parse(String s) {
    if (s.isEmpty()) {
      return NO_CLIENT_CERT;
    }
    if (s.equals("RequireClientCert")) {
      return REQUIRE_ANY_CLIENT_CERT;
    }
    for (ClientAuthType t : values()) {
      if (t.configName.equals(s)) {
        return t;
      }
    }
    throw new IllegalArgumentException("invalid ClientAuth: " + s);
  }
}
