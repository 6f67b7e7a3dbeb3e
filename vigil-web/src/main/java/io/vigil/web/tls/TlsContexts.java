package io.vigil.web.tls;

import io.vigil.config.ClientAuthType;
import io.vigil.config.TlsCurve;
import io.vigil.config.TlsServerConfig;
import io.vigil.config.TlsVersion;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Builds Jetty's TLS context from a web config's tls_server_config: PEM certificate and key, TLS
 * version range, cipher suites, curves, and the five client-certificate policies of
 * exporter-toolkit.
 */
public final class TlsContexts {
  private TlsContexts() {}

  public static SslContextFactory.Server serverContext(TlsServerConfig tls) throws Exception {
    SslContextFactory.Server f = new SslContextFactory.Server() {
      @Override
      public void customize(SSLEngine engine) {
        super.customize(engine);
        if (!tls.curvePreferences().isEmpty()) {
          SSLParameters p = engine.getSSLParameters();
          p.setNamedGroups(tls.curvePreferences().stream().map(TlsCurve::jsseName).toArray(String[]::new));
          engine.setSSLParameters(p);
        }
      }
    };
    f.setKeyStore(PemFiles.keyStore(Path.of(tls.certFile()), Path.of(tls.keyFile())));
    f.setKeyStorePassword(new String(PemFiles.STORE_PASSWORD));
    f.setKeyManagerPassword(new String(PemFiles.STORE_PASSWORD));
    f.setIncludeProtocols(protocols(tls.minVersion(), tls.maxVersion()));
    if (!tls.cipherSuites().isEmpty()) {
      List<String> suites = new ArrayList<>(tls.cipherSuites());
      // TLS 1.3 suites are not configurable in Go either; keep them so 1.3 still works.
      suites.addAll(List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"));
      f.setIncludeCipherSuites(suites.toArray(String[]::new));
    }
    f.setUseCipherSuitesOrder(tls.preferServerCipherSuites());
    ClientAuthType auth = tls.clientAuthType();
    if (auth.requiresCertificate()) {
      f.setNeedClientAuth(true);
    } else if (auth != ClientAuthType.NO_CLIENT_CERT) {
      f.setWantClientAuth(true);
    }
    if (auth.verifies()) {
      f.setTrustStore(PemFiles.trustStore(Path.of(tls.clientCaFile())));
      f.setTrustStorePassword(new String(PemFiles.STORE_PASSWORD));
    } else if (auth != ClientAuthType.NO_CLIENT_CERT) {
      // RequestClientCert / RequireAnyClientCert ask for a certificate but accept any.
      f.setTrustAll(true);
    }
    return f;
  }

  static String[] protocols(TlsVersion min, TlsVersion max) {
    TlsVersion lo = min == null ? TlsVersion.TLS12 : min;
    TlsVersion hi = max == null ? TlsVersion.TLS13 : max;
    List<String> out = new ArrayList<>();
    for (TlsVersion v : TlsVersion.values()) {
      if (v.ordinal() >= lo.ordinal() && v.ordinal() <= hi.ordinal()) {
        out.add(v.jsseName());
      }
    }
    return out.toArray(String[]::new);
  }
}
