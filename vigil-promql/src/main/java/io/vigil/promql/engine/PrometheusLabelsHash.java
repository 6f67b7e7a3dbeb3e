package io.vigil.promql.engine;

import io.vigil.model.Labels;
import java.nio.charset.StandardCharsets;
import net.jpountz.xxhash.XXHash64;
import net.jpountz.xxhash.XXHashFactory;

/**
 * Prometheus's {@code labels.Labels.Hash()} as built by default (the {@code stringlabels} layout):
 * XXH64 (seed 0) over the labels sorted by name, each name and value written as its UTF-8 length
 * (one byte below 255, else 255 and three bytes little-endian) followed by its UTF-8 bytes.
 * {@code limit_ratio} picks series by this hash, so Vigil must compute it bit for bit to pick the
 * same series as Prometheus. (Vigil's own {@link Labels#hash64()} is a different, allocation-free
 * hash and stays as it is.) Thread-safe.
 */
final class PrometheusLabelsHash {
  /** The pure-Java implementation: no JNI, no sun.misc.Unsafe. */
  private static final XXHash64 XXH64 = XXHashFactory.safeInstance().hash64();
  /** Go's float64(math.MaxUint64): 2^64 - 1 rounds up to 2^64. */
  private static final double MAX_UINT64 = 0x1p64;
  private static final int ONE_BYTE_LIMIT = 255;

  private PrometheusLabelsHash() {}

  static long of(Labels labels) {
    int n = labels.size();
    byte[][] parts = new byte[2 * n][];
    int size = 0;
    for (int i = 0; i < n; i++) {
      parts[2 * i] = labels.name(i).getBytes(StandardCharsets.UTF_8);
      parts[2 * i + 1] = labels.value(i).getBytes(StandardCharsets.UTF_8);
    }
    for (byte[] p : parts) {
      size += (p.length < ONE_BYTE_LIMIT ? 1 : 4) + p.length;
    }
    byte[] buf = new byte[size];
    int pos = 0;
    for (byte[] p : parts) {
      if (p.length < ONE_BYTE_LIMIT) {
        buf[pos++] = (byte) p.length;
      } else {
        buf[pos++] = (byte) ONE_BYTE_LIMIT;
        buf[pos++] = (byte) p.length;
        buf[pos++] = (byte) (p.length >>> 8);
        buf[pos++] = (byte) (p.length >>> 16);
      }
      System.arraycopy(p, 0, buf, pos, p.length);
      pos += p.length;
    }
    return XXH64.hash(buf, 0, size, 0);
  }

  /**
   * Where a series falls in [0, 1], as Prometheus's HashRatioSampler computes it:
   * {@code float64(hash) / float64(math.MaxUint64)}, the hash read as unsigned.
   */
  static double ratioOffset(Labels labels) {
    return unsignedToDouble(of(labels)) / MAX_UINT64;
  }

  /** Go's float64(uint64): round to nearest. Halving with the low bit kept sticky rounds correctly. */
  static double unsignedToDouble(long u) {
    if (u >= 0) {
      return u;
    }
    return ((double) ((u >>> 1) | (u & 1))) * 2.0;
  }
}
