package io.vigil.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Converts YAML scalars to typed values the way Prometheus's YAML decoding (go-yaml v2) does:
 * strings accept any scalar; booleans are the YAML 1.1 words (true/false, yes/no, on/off, y/n in
 * three casings) and only when unquoted; integers are unquoted decimal (underscores allowed) or
 * hexadecimal. Each method returns null for an absent or null node, and records an error and
 * returns null for a value of the wrong type.
 */
final class Values {
  private static final Set<String> TRUE = Set.of("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE",
      "on", "On", "ON");
  private static final Set<String> FALSE = Set.of("n", "N", "no", "No", "NO", "false", "False", "FALSE",
      "off", "Off", "OFF");

  private Values() {}

  static String string(YamlNode n, String path, Problems p) {
    if (YamlNode.isNull(n)) {
      return null;
    }
    if (n instanceof YamlNode.Scalar s) {
      return s.text();
    }
    p.error(n, path, "expected a string, got " + n.describe());
    return null;
  }

  static Boolean bool(YamlNode n, String path, Problems p) {
    if (YamlNode.isNull(n)) {
      return null;
    }
    if (n instanceof YamlNode.Scalar s && s.plain()) {
      if (TRUE.contains(s.text())) {
        return true;
      }
      if (FALSE.contains(s.text())) {
        return false;
      }
    }
    p.error(n, path, "expected a boolean (true or false), got " + quotedOrKind(n));
    return null;
  }

  static Long uint(YamlNode n, String path, Problems p) {
    if (YamlNode.isNull(n)) {
      return null;
    }
    if (n instanceof YamlNode.Scalar s && s.plain()) {
      Long v = parseUnsigned(s.text());
      if (v != null) {
        return v;
      }
    }
    p.error(n, path, "expected a non-negative integer, got " + quotedOrKind(n));
    return null;
  }

  private static Long parseUnsigned(String text) {
    String t = text.startsWith("+") ? text.substring(1) : text;
    int radix = 10;
    if (t.startsWith("0x")) {
      radix = 16;
      t = t.substring(2);
    }
    t = t.replace("_", "");
    if (t.isEmpty() || t.length() > 19) {
      return null;
    }
    for (int i = 0; i < t.length(); i++) {
      if (Character.digit(t.charAt(i), radix) < 0) {
        return null;
      }
    }
    try {
      return Long.parseLong(t, radix);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static PromDuration duration(YamlNode n, String path, Problems p) {
    return parsed(n, path, p, PromDuration::parse);
  }

  static ByteSize byteSize(YamlNode n, String path, Problems p) {
    return parsed(n, path, p, ByteSize::parse);
  }

  /** A string parsed by {@code parser}, whose IllegalArgumentException message becomes the error. */
  private static <T> T parsed(YamlNode n, String path, Problems p, java.util.function.Function<String, T> parser) {
    String s = string(n, path, p);
    if (s == null) {
      return null;
    }
    try {
      return parser.apply(s);
    } catch (IllegalArgumentException e) {
      p.error(n, path, e.getMessage());
      return null;
    }
  }

  static <T> List<T> list(YamlNode n, String path, Problems p, MappingReader.ItemReader<T> reader) {
    if (YamlNode.isNull(n)) {
      return List.of();
    }
    if (!(n instanceof YamlNode.Sequence seq)) {
      p.error(n, path, "expected a list, got " + n.describe());
      return List.of();
    }
    List<T> out = new ArrayList<>(seq.items().size());
    for (int i = 0; i < seq.items().size(); i++) {
      T item = reader.read(seq.items().get(i), path + "[" + i + "]");
      if (item != null) {
        out.add(item);
      }
    }
    return out;
  }

  /** "the string \"5\"" for a quoted scalar (whose type matters here), else the usual description. */
  private static String quotedOrKind(YamlNode n) {
    return n instanceof YamlNode.Scalar s && !s.plain() ? "the string " + s.describe() : n.describe();
  }
}
