package io.vigil.model.relabel;

/**
 * Expands {@code $1}, {@code ${1}}, {@code $name} and {@code ${name}} in a replacement template with
 * the rules of Go's {@code regexp.Expand}, which Prometheus uses:
 *
 * <ul>
 *   <li>a name is the longest run of letters, digits and '_' after '$', so {@code $1x} means the
 *       group named "1x", not group 1 followed by "x" (write {@code ${1}x} for that);
 *   <li>an all-digit name is a group number (no leading zeros, below 10^8); anything else is a
 *       group name;
 *   <li>a group that does not exist or did not participate expands to nothing;
 *   <li>{@code $$} is a literal '$'; a '$' not followed by a valid name (or an unclosed
 *       {@code ${}) is copied literally.
 * </ul>
 */
final class TemplateExpansion {
  private TemplateExpansion() {}

  /** Gives the text of a capture group, or null when it did not match or does not exist. */
  interface Groups {
    String group(int index);

    /** Index of a named group, or -1. */
    int indexOf(String name);
  }

  static boolean hasVariables(String template) {
    return template.indexOf('$') >= 0;
  }

  static String expand(String template, Groups groups) {
    int dollar = template.indexOf('$');
    if (dollar < 0) {
      return template;
    }
    StringBuilder out = new StringBuilder(template.length() + 16);
    int i = 0;
    while (dollar >= 0) {
      out.append(template, i, dollar);
      i = dollar + 1;
      if (i < template.length() && template.charAt(i) == '$') {
        out.append('$');
        i++;
      } else {
        int end = referenceEnd(template, i);
        if (end < 0) {
          out.append('$'); // malformed: the '$' is plain text
        } else {
          boolean braced = template.charAt(i) == '{';
          String name = braced ? template.substring(i + 1, end - 1) : template.substring(i, end);
          String value = groups.group(groupNumber(name, groups));
          if (value != null) {
            out.append(value);
          }
          i = end;
        }
      }
      dollar = template.indexOf('$', i);
    }
    return out.append(template, i, template.length()).toString();
  }

  /** End (exclusive) of the reference starting at {@code start} (just after '$'), or -1. */
  private static int referenceEnd(String t, int start) {
    boolean braced = start < t.length() && t.charAt(start) == '{';
    int i = braced ? start + 1 : start;
    int nameStart = i;
    while (i < t.length()) {
      int cp = t.codePointAt(i);
      if (!Character.isLetter(cp) && !Character.isDigit(cp) && cp != '_') {
        break;
      }
      i += Character.charCount(cp);
    }
    if (i == nameStart) {
      return -1;
    }
    if (braced) {
      return i < t.length() && t.charAt(i) == '}' ? i + 1 : -1;
    }
    return i;
  }

  /** The group index a name refers to: its number if it is one, else the named group's index. */
  private static int groupNumber(String name, Groups groups) {
    int num = 0;
    boolean numeric = true;
    for (int k = 0; k < name.length(); k++) {
      char c = name.charAt(k);
      // Go stops at 1e8 so that huge numbers cannot overflow; they then count as names.
      if (c < '0' || c > '9' || num >= 100_000_000) {
        numeric = false;
        break;
      }
      num = num * 10 + (c - '0');
    }
    if (numeric && !(name.charAt(0) == '0' && name.length() > 1)) {
      return num;
    }
    return groups.indexOf(name);
  }
}
