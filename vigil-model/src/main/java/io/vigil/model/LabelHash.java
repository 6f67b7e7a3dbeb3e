package io.vigil.model;

/**
 * A stable 64-bit hash over label pairs. It works on UTF-16 chars directly, so hashing never
 * allocates, and it is fixed by this code alone (no seeds, no identity hashes): persisted or shared
 * hashes (scrape offsets, shard numbers) stay the same across restarts and versions. Any change to
 * this function is a compatibility break.
 *
 * <p>Construction: chars are packed four to a long and folded in with a multiply-rotate step (as in
 * xxHash64's round), strings are separated by a marker that no UTF-16 sequence packs to, and the
 * result goes through Murmur3's finaliser so that nearby inputs spread over all 64 bits.
 */
final class LabelHash {
  private static final long PRIME1 = 0x9E3779B185EBCA87L;
  private static final long PRIME2 = 0xC2B2AE3D27D4EB4FL;
  private static final long SEED = 0x27D4EB2F165667C5L;
  /** Folded after every string; 0xFFFF is a noncharacter, and the length bit keeps "ab","c" != "a","bc". */
  private static final long SEPARATOR = 0xFFFF_FFFF_FFFF_FFFFL;

  private LabelHash() {}

  static long of(String[] pairs) {
    long h = SEED;
    for (String s : pairs) {
      h = string(h, s);
    }
    return finish(h);
  }

  /** Hash of the labels whose names are (include=true) or are not (include=false) in sortedNames. */
  static long ofSubset(String[] pairs, String[] sortedNames, boolean include) {
    long h = SEED;
    int j = 0;
    for (int i = 0; i < pairs.length; i += 2) {
      String name = pairs[i];
      while (j < sortedNames.length && sortedNames[j].compareTo(name) < 0) {
        j++;
      }
      boolean listed = j < sortedNames.length && sortedNames[j].equals(name);
      if (listed == include) {
        h = string(h, name);
        h = string(h, pairs[i + 1]);
      }
    }
    return finish(h);
  }

  private static long string(long h, String s) {
    int len = s.length();
    int i = 0;
    for (; i + 4 <= len; i += 4) {
      long k = s.charAt(i) | (long) s.charAt(i + 1) << 16 | (long) s.charAt(i + 2) << 32
          | (long) s.charAt(i + 3) << 48;
      h = round(h, k);
    }
    long tail = 0;
    for (int shift = 0; i < len; i++, shift += 16) {
      tail |= (long) s.charAt(i) << shift;
    }
    h = round(h, tail ^ ((long) len << 1));
    return round(h, SEPARATOR);
  }

  private static long round(long h, long k) {
    h ^= Long.rotateLeft(k * PRIME2, 31) * PRIME1;
    return Long.rotateLeft(h, 27) * PRIME1 + PRIME2;
  }

  private static long finish(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
