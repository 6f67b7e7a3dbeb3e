package io.vigil.config;

import java.util.List;

/**
 * A YAML node with its position (1-based line and column of its first character), as read by
 * {@link YamlTree}. Aliases are resolved (an alias is the anchored node itself, with the anchor's
 * position) and merge keys ({@code <<}) are applied. Immutable.
 */
public sealed interface YamlNode {
  int line();

  int column();

  /** A short description for error messages: the quoted text of a scalar, "a list", "a mapping". */
  String describe();

  /**
   * A scalar. {@code plain} is true for unquoted, untagged flow scalars, the only ones that YAML
   * resolves to booleans, numbers or null.
   */
  record Scalar(String text, boolean plain, int line, int column) implements YamlNode {
    /** Plain {@code ~}, {@code null}, {@code Null}, {@code NULL} or nothing at all. */
    public boolean isNull() {
      return plain && (text.isEmpty() || text.equals("~") || text.equals("null") || text.equals("Null")
          || text.equals("NULL"));
    }

    @Override
    public String describe() {
      return isNull() ? "null" : "\"" + text + "\"";
    }
  }

  record Sequence(List<YamlNode> items, int line, int column) implements YamlNode {
    public Sequence {
      items = List.copyOf(items);
    }

    @Override
    public String describe() {
      return "a list";
    }
  }

  record Mapping(List<Entry> entries, int line, int column) implements YamlNode {
    public Mapping {
      entries = List.copyOf(entries);
    }

    /** The entry with this key, or null. */
    public Entry get(String key) {
      for (Entry e : entries) {
        if (e.key().equals(key)) {
          return e;
        }
      }
      return null;
    }

    @Override
    public String describe() {
      return "a mapping";
    }
  }

  /** A mapping entry; line and column are the key's. */
  record Entry(String key, int line, int column, YamlNode value) {}

  /** Whether the node is absent or a YAML null: both mean "not set" in Prometheus's files. */
  static boolean isNull(YamlNode n) {
    return n == null || (n instanceof Scalar s && s.isNull());
  }
}
