package io.vigil.config;

/** TLS protocol versions as Prometheus's configuration names them ({@code TLS12}). */
public enum TlsVersion {
  TLS10("TLSv1"),
  TLS11("TLSv1.1"),
  TLS12("TLSv1.2"),
  TLS13("TLSv1.3");

  private final String jsseName;

  TlsVersion(String jsseName) {
    this.jsseName = jsseName;
  }

  /** The protocol name Java's TLS stack uses, e.g. {@code TLSv1.2}. */
  public String jsseName() {
    return jsseName;
  }

  /** @throws IllegalArgumentException {@code unknown TLS version: X} as Prometheus words it */
  public static TlsVersion parse(String s) {
    for (TlsVersion v : values()) {
      if (v.name().equals(s)) {
        return v;
      }
    }
    throw new IllegalArgumentException("unknown TLS version: " + s);
  }

  static TlsVersion read(MappingReader r, String key) {
    String s = r.string(key, "");
    if (s.isEmpty()) {
      return null;
    }
    try {
      return parse(s);
    } catch (IllegalArgumentException e) {
      r.error(key, e.getMessage());
      return null;
    }
  }
}
