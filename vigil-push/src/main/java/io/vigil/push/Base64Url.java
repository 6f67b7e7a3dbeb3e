package io.vigil.push;

/**
 * The decoding the Pushgateway applies to {@code @base64} path values: base64url (RFC 4648 §5,
 * alphabet {@code A-Z a-z 0-9 - _}) with any trailing {@code =} padding ignored, as Go's
 * {@code base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))}. Leftover bits of a final
 * partial group are ignored (Go's non-strict mode). Errors carry the offset of the first bad
 * character, which the Pushgateway's messages print.
 */
final class Base64Url {
  private static final byte[] DECODE = new byte[128];

  static {
    java.util.Arrays.fill(DECODE, (byte) -1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (int i = 0; i < alphabet.length(); i++) {
      DECODE[alphabet.charAt(i)] = (byte) i;
    }
  }

  /** Bad input at {@link #offset()} (a character index of the input). */
  static final class IllegalDataException extends Exception {
    private final int offset;

    IllegalDataException(int offset) {
      super("illegal base64 data at input byte " + offset, null, false, false);
      this.offset = offset;
    }

    int offset() {
      return offset;
    }
  }

  private Base64Url() {}

  static byte[] decode(String s) throws IllegalDataException {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '=') {
      end--;
    }
    if (end % 4 == 1) {
      // A single character cannot hold a whole byte; Go reports the position of that character.
      for (int i = 0; i < end; i++) {
        value(s, i);
      }
      throw new IllegalDataException(end - 1);
    }
    byte[] out = new byte[end * 3 / 4];
    int n = 0;
    int acc = 0;
    int bits = 0;
    for (int i = 0; i < end; i++) {
      acc = acc << 6 | value(s, i);
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out[n++] = (byte) (acc >> bits);
        acc &= (1 << bits) - 1;
      }
    }
    return n == out.length ? out : java.util.Arrays.copyOf(out, n);
  }

  private static int value(String s, int i) throws IllegalDataException {
    char c = s.charAt(i);
    int v = c < 128 ? DECODE[c] : -1;
    if (v < 0) {
      throw new IllegalDataException(i);
    }
    return v;
  }
}
