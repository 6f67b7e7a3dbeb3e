package io.vigil.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * An immutable set of label pairs, sorted by name, each name at most once. Empty values are never
 * stored: as everywhere in Prometheus, a label with an empty value is the same as no label.
 *
 * <p>Storage is one array alternating name and value, so a series with six labels costs one object
 * header, one array and its strings (which callers such as the TSDB head intern). {@link #hashCode()}
 * and {@link #hash64()} are computed once; {@code hash64} is stable across processes and versions
 * (it is used for sharding and to spread scrape start offsets) and is never the identity hash.
 *
 * <p>Instances are thread-safe. Build them with {@link #of}, {@link #fromMap} or {@link Builder}.
 */
public final class Labels implements Comparable<Labels> {
  public static final String METRIC_NAME = "__name__";
  public static final Labels EMPTY = new Labels(new String[0]);

  /** name0, value0, name1, value1, ... sorted by name; never null, never empty values. */
  private final String[] pairs;
  private final long hash64;

  private Labels(String[] pairs) {
    this.pairs = pairs;
    this.hash64 = LabelHash.of(pairs);
  }

  /** Labels from alternating names and values; order does not matter, empty values are dropped. */
  public static Labels of(String... namesAndValues) {
    if ((namesAndValues.length & 1) != 0) {
      throw new IllegalArgumentException("odd number of strings: names and values must alternate");
    }
    Builder b = new Builder(namesAndValues.length / 2);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      b.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return b.build();
  }

  public static Labels fromMap(Map<String, String> map) {
    Builder b = new Builder(map.size());
    map.forEach(b::add);
    return b.build();
  }

  /**
   * Wraps an array that the caller guarantees is already sorted by name, free of duplicate names and
   * empty values. The array is owned by the returned Labels afterwards. For decoders of trusted
   * on-disk data (WAL, index), where re-sorting would be wasted work.
   */
  public static Labels fromSortedPairs(String[] pairs) {
    return pairs.length == 0 ? EMPTY : new Labels(pairs);
  }

  public int size() {
    return pairs.length >> 1;
  }

  public boolean isEmpty() {
    return pairs.length == 0;
  }

  public String name(int i) {
    return pairs[i << 1];
  }

  public String value(int i) {
    return pairs[(i << 1) + 1];
  }

  /** The value of the label, or "" when absent (Prometheus semantics). */
  public String get(String name) {
    int i = indexOf(name);
    return i < 0 ? "" : pairs[(i << 1) + 1];
  }

  public boolean has(String name) {
    return indexOf(name) >= 0;
  }

  /** The value of __name__, or "". */
  public String metricName() {
    return get(METRIC_NAME);
  }

  /** Index of the label with this name, or a negative number. Binary search: labels are sorted. */
  public int indexOf(String name) {
    int lo = 0;
    int hi = size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = pairs[mid << 1].compareTo(name);
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -(lo + 1);
  }

  public void forEach(BiConsumer<String, String> action) {
    for (int i = 0; i < pairs.length; i += 2) {
      action.accept(pairs[i], pairs[i + 1]);
    }
  }

  /** A copy of the pairs array (name, value, name, value, ...). */
  public String[] toPairs() {
    return pairs.clone();
  }

  public Map<String, String> toMap() {
    var map = new java.util.LinkedHashMap<String, String>(size() * 2);
    forEach(map::put);
    return map;
  }

  public List<String> names() {
    List<String> names = new ArrayList<>(size());
    for (int i = 0; i < pairs.length; i += 2) {
      names.add(pairs[i]);
    }
    return names;
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** These labels without __name__. */
  public Labels withoutMetricName() {
    int i = indexOf(METRIC_NAME);
    if (i < 0) {
      return this;
    }
    String[] out = new String[pairs.length - 2];
    System.arraycopy(pairs, 0, out, 0, i << 1);
    System.arraycopy(pairs, (i << 1) + 2, out, i << 1, pairs.length - (i << 1) - 2);
    return fromSortedPairs(out);
  }

  /** Only the labels whose names are in {@code names}; other names are ignored. */
  public Labels keep(Collection<String> names) {
    Builder b = new Builder(names.size());
    for (int i = 0; i < pairs.length; i += 2) {
      if (names.contains(pairs[i])) {
        b.add(pairs[i], pairs[i + 1]);
      }
    }
    return b.build();
  }

  /** All labels except those whose names are in {@code names}. */
  public Labels drop(Collection<String> names) {
    Builder b = new Builder(size());
    for (int i = 0; i < pairs.length; i += 2) {
      if (!names.contains(pairs[i])) {
        b.add(pairs[i], pairs[i + 1]);
      }
    }
    return b.build();
  }

  /**
   * A stable 64-bit hash of all pairs: equal labels give equal hashes in every process and version.
   * Different labels may collide (rarely); callers that key maps by it must compare labels too.
   */
  public long hash64() {
    return hash64;
  }

  /** Stable hash of only the named labels (names must be sorted); for grouping by a label list. */
  public long hashForLabels(String[] sortedNames) {
    return LabelHash.ofSubset(pairs, sortedNames, true);
  }

  /** Stable hash of all labels except the named ones (names must be sorted). */
  public long hashWithoutLabels(String[] sortedNames) {
    return LabelHash.ofSubset(pairs, sortedNames, false);
  }

  /** Bytes of heap this object holds, counting strings as if not shared; for memory reporting. */
  public long estimatedSizeBytes() {
    long size = 16 + 8 + 16 + 4L * pairs.length;
    for (String s : pairs) {
      size += 24 + 16 + s.length();
    }
    return size;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Labels other) || other.hash64 != hash64 || other.pairs.length != pairs.length) {
      return false;
    }
    for (int i = 0; i < pairs.length; i++) {
      if (!pairs[i].equals(other.pairs[i])) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return (int) (hash64 ^ (hash64 >>> 32));
  }

  /** Prometheus's order: label by label, name then value, then the shorter set first. */
  @Override
  public int compareTo(Labels o) {
    int n = Math.min(pairs.length, o.pairs.length);
    for (int i = 0; i < n; i++) {
      int c = pairs[i].compareTo(o.pairs[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(pairs.length, o.pairs.length);
  }

  /** Prometheus's text form: {@code {__name__="up", job="node"}} with Go-style escaping. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(16 + pairs.length * 12).append('{');
    for (int i = 0; i < pairs.length; i += 2) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(pairs[i]).append("=");
      LabelNames.appendQuoted(sb, pairs[i + 1]);
    }
    return sb.append('}').toString();
  }

  /**
   * Builds Labels. {@link #add} appends without checks (fast for parsers, the last value of a
   * repeated name wins); {@link #set} and {@link #del} replace or remove. Empty values are dropped
   * at {@link #build()}. Not thread-safe; reusable after {@link #reset()}.
   */
  public static final class Builder {
    private String[] buf;
    private int n; // number of strings used in buf (twice the pairs)

    public Builder() {
      this(8);
    }

    public Builder(int expectedPairs) {
      buf = new String[Math.max(2, expectedPairs * 2)];
    }

    public Builder(Labels base) {
      buf = Arrays.copyOf(base.pairs, Math.max(4, base.pairs.length + 4));
      n = base.pairs.length;
    }

    public Builder reset() {
      Arrays.fill(buf, 0, n, null);
      n = 0;
      return this;
    }

    public Builder reset(Labels base) {
      reset();
      if (buf.length < base.pairs.length) {
        buf = new String[base.pairs.length + 4];
      }
      System.arraycopy(base.pairs, 0, buf, 0, base.pairs.length);
      n = base.pairs.length;
      return this;
    }

    public Builder add(String name, String value) {
      if (n + 2 > buf.length) {
        buf = Arrays.copyOf(buf, buf.length * 2);
      }
      buf[n++] = name;
      buf[n++] = value;
      return this;
    }

    /** Sets the label, replacing an existing one; an empty value removes it. */
    public Builder set(String name, String value) {
      for (int i = 0; i < n; i += 2) {
        if (buf[i].equals(name)) {
          buf[i + 1] = value;
          return this;
        }
      }
      return add(name, value);
    }

    public Builder del(String... names) {
      for (String name : names) {
        for (int i = 0; i < n; i += 2) {
          if (buf[i].equals(name)) {
            buf[i + 1] = "";
          }
        }
      }
      return this;
    }

    /** Removes every label whose name is not in {@code names}. */
    public Builder keepOnly(Collection<String> names) {
      for (int i = 0; i < n; i += 2) {
        if (!names.contains(buf[i])) {
          buf[i + 1] = "";
        }
      }
      return this;
    }

    public String get(String name) {
      for (int i = n - 2; i >= 0; i -= 2) {
        if (buf[i].equals(name)) {
          return buf[i + 1];
        }
      }
      return "";
    }

    /** Calls the action for every current label (possibly with empty values, which mean deleted). */
    public void forEach(BiConsumer<String, String> action) {
      for (int i = 0; i < n; i += 2) {
        action.accept(buf[i], buf[i + 1]);
      }
    }

    public int size() {
      return n >> 1;
    }

    public Labels build() {
      if (n == 0) {
        return EMPTY;
      }
      String[] out = sortAndDedup(buf, n);
      return out.length == 0 ? EMPTY : new Labels(out);
    }

    /** Insertion sort by name: label sets are small and usually nearly sorted. Last value wins. */
    private static String[] sortAndDedup(String[] in, int n) {
      String[] a = Arrays.copyOf(in, n);
      for (int i = 2; i < n; i += 2) {
        String name = a[i];
        String value = a[i + 1];
        int j = i - 2;
        while (j >= 0 && a[j].compareTo(name) > 0) {
          a[j + 2] = a[j];
          a[j + 3] = a[j + 1];
          j -= 2;
        }
        a[j + 2] = name;
        a[j + 3] = value;
      }
      // Insertion sort is stable, so among equal names the later one is last: keep it.
      int w = 0;
      for (int i = 0; i < n; i += 2) {
        boolean laterSame = i + 2 < n && a[i + 2].equals(a[i]);
        if (laterSame || a[i + 1].isEmpty()) {
          continue;
        }
        a[w++] = a[i];
        a[w++] = a[i + 1];
      }
      return w == n ? a : Arrays.copyOf(a, w);
    }
  }
}
