package io.vigil.web.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;

/**
 * Reads the PEM files of Prometheus web configs into Java key stores: certificate chains, and
 * private keys in PKCS#8 ("PRIVATE KEY"), PKCS#1 ("RSA PRIVATE KEY") or SEC1 ("EC PRIVATE KEY")
 * form — what openssl writes. The older two are rewrapped as PKCS#8, the only form Java's
 * KeyFactory reads. Encrypted keys are refused (Prometheus refuses them too).
 */
public final class PemFiles {
  /** Password of the in-memory key store; it never leaves the process. */
  static final char[] STORE_PASSWORD = "vigil".toCharArray();

  private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
      (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
  private static final byte[] EC_PUBLIC_KEY_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

  private PemFiles() {}

  /** A PKCS#12 key store holding the key (alias "vigil") with the certificate chain. */
  public static KeyStore keyStore(Path certFile, Path keyFile) throws IOException, GeneralSecurityException {
    List<Certificate> chain = certificates(certFile);
    if (chain.isEmpty()) {
      throw new GeneralSecurityException("no certificate found in " + certFile);
    }
    PrivateKey key = privateKey(keyFile);
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("vigil", key, STORE_PASSWORD, chain.toArray(Certificate[]::new));
    return ks;
  }

  /** A trust store with every certificate of the file (client CAs). */
  public static KeyStore trustStore(Path caFile) throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    int i = 0;
    for (Certificate c : certificates(caFile)) {
      ks.setCertificateEntry("ca" + i++, c);
    }
    if (i == 0) {
      throw new GeneralSecurityException("no certificate found in " + caFile);
    }
    return ks;
  }

  static List<Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(file)) {
      Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
      return new ArrayList<>(certs);
    }
  }

  static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
    String pem = Files.readString(file, StandardCharsets.US_ASCII);
    for (String type : List.of("PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY")) {
      byte[] der = block(pem, type);
      if (der == null) {
        continue;
      }
      return switch (type) {
        case "PRIVATE KEY" -> pkcs8(der, file);
        case "RSA PRIVATE KEY" -> KeyFactory.getInstance("RSA").generatePrivate(
            new PKCS8EncodedKeySpec(wrapPkcs8(RSA_ALGORITHM, der)));
        case "EC PRIVATE KEY" -> KeyFactory.getInstance("EC").generatePrivate(
            new PKCS8EncodedKeySpec(wrapPkcs8(ecAlgorithm(der, file), der)));
        default -> throw new GeneralSecurityException(file + ": encrypted private keys are not supported");
      };
    }
    throw new GeneralSecurityException(file + ": no PEM private key found (expected a PRIVATE KEY, RSA PRIVATE KEY or "
        + "EC PRIVATE KEY block)");
  }

  private static PrivateKey pkcs8(byte[] der, Path file) throws GeneralSecurityException {
    GeneralSecurityException last = null;
    for (String algorithm : List.of("RSA", "EC", "Ed25519", "RSASSA-PSS")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        last = e;
      }
    }
    throw new GeneralSecurityException(file + ": unsupported private key algorithm", last);
  }

  private static byte[] block(String pem, String type) {
    String begin = "-----BEGIN " + type + "-----";
    int start = pem.indexOf(begin);
    if (start < 0) {
      return null;
    }
    int end = pem.indexOf("-----END " + type + "-----", start);
    if (end < 0) {
      return null;
    }
    return Base64.getMimeDecoder().decode(pem.substring(start + begin.length(), end));
  }

  /** SEQUENCE { INTEGER 0, algorithm, OCTET STRING key } */
  private static byte[] wrapPkcs8(byte[] algorithm, byte[] key) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0x02, 0x01, 0x00});
    body.writeBytes(algorithm);
    body.write(0x04);
    writeLength(body, key.length);
    body.writeBytes(key);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x30);
    writeLength(out, body.size());
    out.writeBytes(body.toByteArray());
    return out.toByteArray();
  }

  /** AlgorithmIdentifier for an EC key: id-ecPublicKey plus the curve OID from the SEC1 [0] field. */
  private static byte[] ecAlgorithm(byte[] sec1, Path file) throws GeneralSecurityException {
    // ECPrivateKey ::= SEQUENCE { version, privateKey OCTET STRING, [0] parameters OPTIONAL, [1] publicKey }
    int[] pos = {0};
    expect(sec1, pos, 0x30, file);
    readLength(sec1, pos);
    skipElement(sec1, pos); // version
    skipElement(sec1, pos); // privateKey
    if (pos[0] >= sec1.length || (sec1[pos[0]] & 0xff) != 0xa0) {
      throw new GeneralSecurityException(file + ": EC private key without curve parameters");
    }
    pos[0]++;
    readLength(sec1, pos);
    int oidStart = pos[0];
    skipElement(sec1, pos);
    byte[] curveOid = java.util.Arrays.copyOfRange(sec1, oidStart, pos[0]);
    ByteArrayOutputStream alg = new ByteArrayOutputStream();
    alg.write(0x30);
    writeLength(alg, EC_PUBLIC_KEY_OID.length + curveOid.length);
    alg.writeBytes(EC_PUBLIC_KEY_OID);
    alg.writeBytes(curveOid);
    return alg.toByteArray();
  }

  private static void expect(byte[] der, int[] pos, int tag, Path file) throws GeneralSecurityException {
    if (pos[0] >= der.length || (der[pos[0]] & 0xff) != tag) {
      throw new GeneralSecurityException(file + ": malformed key (unexpected DER structure)");
    }
    pos[0]++;
  }

  private static void skipElement(byte[] der, int[] pos) {
    pos[0]++; // tag
    int len = readLength(der, pos);
    pos[0] += len;
  }

  private static int readLength(byte[] der, int[] pos) {
    int first = der[pos[0]++] & 0xff;
    if (first < 0x80) {
      return first;
    }
    int len = 0;
    for (int i = 0; i < (first & 0x7f); i++) {
      len = (len << 8) | (der[pos[0]++] & 0xff);
    }
    return len;
  }

  private static void writeLength(ByteArrayOutputStream out, int len) {
    if (len < 0x80) {
      out.write(len);
    } else if (len < 0x100) {
      out.write(0x81);
      out.write(len);
    } else {
      out.write(0x82);
      out.write(len >> 8);
      out.write(len & 0xff);
    }
  }
}
