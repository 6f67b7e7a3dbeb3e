package io.vigil.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads the fields of one YAML mapping into typed values, recording every problem in a
 * {@link Problems} with the node's position and field path, and carrying on so that one pass finds
 * all errors. A field that is absent or null takes its default (as in Prometheus's files). Call
 * {@link #finish()} last: every key that was not read is reported as {@code unknown field}, and
 * repeated keys as duplicates. Not thread-safe; one instance per mapping.
 */
public final class MappingReader {
  /** Reads one list item; returns null to leave it out (its problems already recorded). */
  @FunctionalInterface
  public interface ItemReader<T> {
    T read(YamlNode item, String path);
  }

  private final YamlNode.Mapping mapping; // null when absent, null or not a mapping
  private final YamlNode node;
  private final String path;
  private final Problems problems;
  private final Set<String> taken = new HashSet<>();

  private MappingReader(YamlNode.Mapping mapping, YamlNode node, String path, Problems problems) {
    this.mapping = mapping;
    this.node = node;
    this.path = path;
    this.problems = problems;
  }

  /** A reader over {@code node}; a node that is neither absent, null nor a mapping is an error. */
  public static MappingReader of(YamlNode node, String path, Problems problems) {
    if (node instanceof YamlNode.Mapping m) {
      return new MappingReader(m, node, path, problems);
    }
    if (!YamlNode.isNull(node)) {
      problems.error(node, path, "expected a mapping, got " + node.describe());
    }
    return new MappingReader(null, node, path, problems);
  }

  /**
   * A reader for a list item that must be a mapping: null when the item is null (reported with
   * Prometheus's {@code nullMessage}) or not a mapping (reported too).
   */
  public static MappingReader ofItem(YamlNode item, String path, Problems problems, String nullMessage) {
    if (YamlNode.isNull(item)) {
      problems.error(item, path, nullMessage);
      return null;
    }
    MappingReader r = of(item, path, problems);
    return r.isPresent() ? r : null;
  }

  /** Whether a mapping was given (possibly empty). */
  public boolean isPresent() {
    return mapping != null;
  }

  public String path() {
    return path;
  }

  public Problems problems() {
    return problems;
  }

  /** The mapping's own node (for positions), or null when absent. */
  public YamlNode node() {
    return node;
  }

  /** The path of one field of this mapping. */
  public String path(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** Whether the field is present with a non-null value. Does not count as reading it. */
  public boolean has(String key) {
    YamlNode.Entry e = mapping == null ? null : mapping.get(key);
    return e != null && !YamlNode.isNull(e.value());
  }

  /** The field's value node (null when absent), marking the field as read. */
  public YamlNode take(String key) {
    taken.add(key);
    YamlNode.Entry e = mapping == null ? null : mapping.get(key);
    return e == null ? null : e.value();
  }

  /** The node to point at for an error about a field: its value, else the mapping, else nothing. */
  public YamlNode at(String key) {
    YamlNode.Entry e = mapping == null ? null : mapping.get(key);
    return e != null ? e.value() : node;
  }

  public void error(String key, String message) {
    problems.error(at(key), path(key), message);
  }

  /** An error about the mapping as a whole (e.g. a required field is missing). */
  public void error(String message) {
    problems.error(node, path, message);
  }

  public String string(String key, String def) {
    String s = Values.string(take(key), path(key), problems);
    return s == null ? def : s;
  }

  public Secret secret(String key) {
    String s = string(key, "");
    return s.isEmpty() ? null : new Secret(s);
  }

  public boolean bool(String key, boolean def) {
    Boolean b = Values.bool(take(key), path(key), problems);
    return b == null ? def : b;
  }

  public long uint(String key, long def) {
    Long v = Values.uint(take(key), path(key), problems);
    return v == null ? def : v;
  }

  public int uint32(String key, int def) {
    long v = uint(key, def);
    if (v > Integer.MAX_VALUE) {
      error(key, "value " + v + " is too large (at most " + Integer.MAX_VALUE + ")");
      return def;
    }
    return (int) v;
  }

  public PromDuration duration(String key, PromDuration def) {
    PromDuration d = Values.duration(take(key), path(key), problems);
    return d == null ? def : d;
  }

  /** A duration where 0, like absence, means "use the default" (Prometheus's rule for intervals). */
  public PromDuration nonZeroDuration(String key, PromDuration def) {
    PromDuration d = duration(key, PromDuration.ZERO);
    return d.isZero() ? def : d;
  }

  public ByteSize byteSize(String key, ByteSize def) {
    ByteSize b = Values.byteSize(take(key), path(key), problems);
    return b == null ? def : b;
  }

  public List<String> strings(String key) {
    return list(key, (n, p) -> Values.string(n, p, problems));
  }

  /** A mapping of strings to strings, in file order. */
  public Map<String, String> stringMap(String key) {
    MappingReader r = of(take(key), path(key), problems);
    Map<String, String> out = new LinkedHashMap<>();
    for (String k : r.keys()) {
      String v = Values.string(r.take(k), r.path(k), problems);
      out.put(k, v == null ? "" : v);
    }
    r.finish();
    return out;
  }

  /** The items of a list field (absent or null: empty); null items from {@code reader} are left out. */
  public <T> List<T> list(String key, ItemReader<T> reader) {
    return Values.list(take(key), path(key), problems, reader);
  }

  /** Reads a nested mapping with {@code reader}, then reports its unknown fields. */
  public <T> T object(String key, Function<MappingReader, T> reader) {
    MappingReader r = of(take(key), path(key), problems);
    T value = reader.apply(r);
    r.finish();
    return value;
  }

  /** The keys present, in file order, each once. */
  public List<String> keys() {
    if (mapping == null) {
      return List.of();
    }
    List<String> keys = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (YamlNode.Entry e : mapping.entries()) {
      if (seen.add(e.key())) {
        keys.add(e.key());
      }
    }
    return keys;
  }

  /**
   * Accepts a field that Prometheus has and Vigil does not implement, with a warning, so that real
   * configuration files still load.
   */
  public void ignore(String key, String why) {
    YamlNode.Entry e = mapping == null ? null : mapping.get(key);
    taken.add(key);
    if (e != null && !YamlNode.isNull(e.value())) {
      problems.warn(e.line(), e.column(), path(key), why);
    }
  }

  /** Reports unread keys as unknown fields and repeated keys as duplicates. */
  public void finish() {
    if (mapping == null) {
      return;
    }
    Map<String, YamlNode.Entry> first = new HashMap<>();
    for (YamlNode.Entry e : mapping.entries()) {
      YamlNode.Entry earlier = first.putIfAbsent(e.key(), e);
      if (earlier != null) {
        problems.error(e.line(), e.column(), path(e.key()),
            "field already set (first at line " + earlier.line() + ")");
      } else if (!taken.contains(e.key())) {
        problems.error(e.line(), e.column(), path(e.key()), "unknown field");
      }
    }
  }
}
