package io.vigil.exposition;

/** UTF-8 validation over byte ranges (Go's utf8.Valid rules: no overlongs, no surrogates, max U+10FFFF). */
final class Utf8 {
  private Utf8() {}

  /** The index of the first byte that starts an invalid sequence, or -1 if the range is valid. */
  static int firstInvalid(byte[] b, int from, int to) {
    int i = from;
    while (i < to) {
      int c = b[i] & 0xff;
      if (c < 0x80) {
        i++;
        continue;
      }
      int need;
      int min;
      if (c >= 0xc2 && c <= 0xdf) {
        need = 1;
        min = 0x80;
      } else if (c >= 0xe0 && c <= 0xef) {
        need = 2;
        min = 0x800;
      } else if (c >= 0xf0 && c <= 0xf4) {
        need = 3;
        min = 0x10000;
      } else {
        return i;
      }
      if (i + need >= to) {
        return i; // truncated sequence
      }
      int cp = c & (0x3f >> need);
      for (int k = 1; k <= need; k++) {
        int cc = b[i + k] & 0xff;
        if ((cc & 0xc0) != 0x80) {
          return i;
        }
        cp = (cp << 6) | (cc & 0x3f);
      }
      if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        return i;
      }
      i += need + 1;
    }
    return -1;
  }

  /** Number of characters (code points; invalid bytes count one each) in the range. */
  static int countChars(byte[] b, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      if ((b[i] & 0xc0) != 0x80) {
        n++;
      }
    }
    return n;
  }
}
