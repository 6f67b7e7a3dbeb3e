package io.vigil.exposition;

import java.util.Arrays;

/**
 * The metric family names seen so far in one input, stored as offsets into the input (no copies):
 * OpenMetrics forbids a family from appearing twice. Open addressing; grows with the number of
 * families, which the input size bounds. Cleared, not reallocated, between inputs.
 */
final class FamilyNameSet {
  private int[] starts = new int[64];
  private int[] lengths = new int[64];
  private int size;

  void clear() {
    if (size > 0) {
      Arrays.fill(lengths, 0);
      size = 0;
    }
  }

  /** Adds buf[from, to); false if an equal name is present already. Names are never empty. */
  boolean add(byte[] buf, int from, int to) {
    if (size * 2 >= starts.length) {
      grow(buf);
    }
    int len = to - from;
    int mask = starts.length - 1;
    for (int i = hash(buf, from, to) & mask; ; i = (i + 1) & mask) {
      if (lengths[i] == 0) {
        starts[i] = from;
        lengths[i] = len;
        size++;
        return true;
      }
      if (lengths[i] == len && Arrays.equals(buf, starts[i], starts[i] + len, buf, from, to)) {
        return false;
      }
    }
  }

  private void grow(byte[] buf) {
    int[] oldStarts = starts;
    int[] oldLengths = lengths;
    starts = new int[oldStarts.length * 2];
    lengths = new int[oldStarts.length * 2];
    int mask = starts.length - 1;
    for (int k = 0; k < oldStarts.length; k++) {
      if (oldLengths[k] == 0) {
        continue;
      }
      int from = oldStarts[k];
      int i = hash(buf, from, from + oldLengths[k]) & mask;
      while (lengths[i] != 0) {
        i = (i + 1) & mask;
      }
      starts[i] = from;
      lengths[i] = oldLengths[k];
    }
  }

  private static int hash(byte[] b, int from, int to) {
    int h = 0x811c9dc5;
    for (int i = from; i < to; i++) {
      h = (h ^ b[i]) * 0x01000193;
    }
    return h ^ (h >>> 16);
  }
}
