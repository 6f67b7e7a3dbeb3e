package io.vigil.config;

import com.google.re2j.Pattern;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes YAML in the block style of Go's yaml.v2, which Prometheus uses to render its configuration:
 * two-space indentation, list items at their key's indentation ({@code key:\n- item}), {@code {}} and
 * {@code []} for empty collections, strings unquoted unless YAML would read them as something else.
 *
 * <p>Values: {@code Map<String, ?>} (insertion order is kept), {@code List<?>}, {@link Flow} (a list
 * written inline, as Prometheus writes {@code source_labels}), {@code String}, {@code Boolean},
 * {@code Number}, {@link Secret} (written as {@code <secret>}), {@link YamlNode} (copied as read),
 * and anything else by its {@code toString()} (durations, sizes).
 */
final class YamlWriter {
  /** A list written in flow style: {@code [a, b]}. */
  record Flow(List<String> items) {}

  // YAML 1.1 plain scalars that a reader would not take for strings (go-yaml v2's resolution rules).
  private static final Set<String> SPECIAL_WORDS = Set.of("y", "Y", "yes", "Yes", "YES", "n", "N", "no",
      "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF",
      "null", "Null", "NULL", "~", ".inf", ".Inf", ".INF", "+.inf", "-.inf", "+.Inf", "-.Inf", ".nan", ".NaN",
      ".NAN", "<<");
  private static final Pattern NUMBER = Pattern.compile(
      "[-+]?(0b[01_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*(:[0-5]?[0-9])*|(\\.[0-9]+|[0-9][0-9_]*(\\.[0-9_]*)?)([eE][-+]?[0-9]+)?)");
  private static final String INDICATORS = "-?:,[]{}#&*!|>'\"%@`";

  private final StringBuilder out = new StringBuilder(1024);

  static String write(Map<String, ?> document) {
    YamlWriter w = new YamlWriter();
    w.mapping(document, 0);
    return w.out.toString();
  }

  private void mapping(Map<String, ?> map, int indent) {
    for (Map.Entry<String, ?> e : map.entrySet()) {
      indent(indent);
      out.append(scalar(e.getKey(), false)).append(':');
      value(e.getValue(), indent, false);
    }
  }

  /** Writes a value after "key:" or "- "; {@code inSequence} when it follows "- ". */
  private void value(Object v, int indent, boolean inSequence) {
    v = unwrap(v);
    if (v instanceof Map<?, ?> m) {
      if (m.isEmpty()) {
        out.append(inSequence ? "{}\n" : " {}\n");
      } else if (inSequence) {
        // The first key goes on the "- " line; the rest align with it.
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
          if (!first) {
            indent(indent + 2);
          }
          first = false;
          out.append(scalar(e.getKey().toString(), false)).append(':');
          value(e.getValue(), indent + 2, false);
        }
      } else {
        out.append('\n');
        @SuppressWarnings("unchecked")
        Map<String, ?> typed = (Map<String, ?>) m;
        mapping(typed, indent + 2);
      }
    } else if (v instanceof List<?> list) {
      if (list.isEmpty()) {
        out.append(inSequence ? "[]\n" : " []\n");
      } else {
        // yaml.v2 puts the items of a mapping's list at the key's own indentation.
        int itemIndent = inSequence ? indent + 2 : indent;
        out.append('\n');
        for (Object item : list) {
          indent(itemIndent);
          out.append("- ");
          value(item, itemIndent, true);
        }
      }
    } else if (v instanceof Flow f) {
      out.append(inSequence ? "" : " ").append('[');
      for (int i = 0; i < f.items().size(); i++) {
        out.append(i > 0 ? ", " : "").append(scalar(f.items().get(i), true));
      }
      out.append("]\n");
    } else {
      String s = v instanceof Boolean || v instanceof Number ? v.toString() : scalar(v.toString(), false);
      out.append(inSequence ? "" : " ").append(s).append('\n');
    }
  }

  /** Converts a raw {@link YamlNode} and secrets to writable values. */
  private static Object unwrap(Object v) {
    if (v instanceof Secret) {
      return Secret.REDACTED;
    }
    if (v instanceof YamlNode n) {
      return switch (n) {
        case YamlNode.Scalar s -> s.isNull() ? "null" : s.text();
        case YamlNode.Sequence s -> s.items();
        case YamlNode.Mapping m -> {
          var map = new java.util.LinkedHashMap<String, Object>();
          m.entries().forEach(e -> map.putIfAbsent(e.key(), e.value()));
          yield map;
        }
      };
    }
    return v;
  }

  private void indent(int n) {
    out.repeat(' ', n);
  }

  /** A string as a YAML scalar: plain when that reads back as the same string, else quoted. */
  static String scalar(String s, boolean flow) {
    if (s.isEmpty() || SPECIAL_WORDS.contains(s) || NUMBER.matches(s) || hasControl(s)) {
      return doubleQuoted(s);
    }
    if (!plainAllowed(s, flow)) {
      return "'" + s.replace("'", "''") + "'";
    }
    return s;
  }

  private static boolean plainAllowed(String s, boolean flow) {
    char first = s.charAt(0);
    char last = s.charAt(s.length() - 1);
    if (INDICATORS.indexOf(first) >= 0 || Character.isWhitespace(first) || Character.isWhitespace(last)
        || last == ':') {
      return false;
    }
    if (s.contains(": ") || s.contains(" #") || s.startsWith("---") || s.startsWith("...")) {
      return false;
    }
    if (flow) {
      for (int i = 0; i < s.length(); i++) {
        if (",[]{}".indexOf(s.charAt(i)) >= 0) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean hasControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f || c == 0x85 || c == 0x2028 || c == 0x2029 || c == 0xfeff) {
        return true;
      }
    }
    return false;
  }

  private static String doubleQuoted(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f || c == 0x85 || c == 0x2028 || c == 0x2029 || c == 0xfeff) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
