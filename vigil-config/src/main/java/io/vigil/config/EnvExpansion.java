package io.vigil.config;

import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Expands environment variables in external label values as Prometheus does (Go's
 * {@code os.Expand}): {@code $NAME} and {@code ${NAME}}, {@code $$} for a literal '$'; an unset
 * variable becomes "" (and is reported); {@code ${} without its closing brace is dropped; a '$' not
 * followed by a name stays as it is.
 */
final class EnvExpansion {
  private static final String SPECIAL = "*#$@!?-0123456789";

  private EnvExpansion() {}

  static String expand(String s, UnaryOperator<String> env, Consumer<String> onUnset) {
    if (s.indexOf('$') < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c != '$' || i + 1 >= s.length()) {
        out.append(c);
        i++;
        continue;
      }
      char next = s.charAt(i + 1);
      String name;
      int end;
      if (next == '{') {
        int close = s.indexOf('}', i + 2);
        if (close < 0 || close == i + 2) {
          i = close < 0 ? s.length() : close + 1; // bad syntax: Go eats it
          continue;
        }
        name = s.substring(i + 2, close);
        end = close + 1;
      } else if (SPECIAL.indexOf(next) >= 0) {
        name = String.valueOf(next);
        end = i + 2;
      } else {
        int j = i + 1;
        while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')
            && s.charAt(j) < 0x80) {
          j++;
        }
        if (j == i + 1) {
          out.append('$'); // not followed by a name: left as is
          i++;
          continue;
        }
        name = s.substring(i + 1, j);
        end = j;
      }
      if (name.equals("$")) {
        out.append('$');
      } else {
        String v = env.apply(name);
        if (v == null || v.isEmpty()) {
          onUnset.accept(name);
        } else {
          out.append(v);
        }
      }
      i = end;
    }
    return out.toString();
  }
}
