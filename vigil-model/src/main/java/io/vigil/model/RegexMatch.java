package io.vigil.model;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A compiled, fully anchored regex with fast paths for the shapes that dominate real selectors:
 * {@code .*}, {@code .+}, a literal, an alternation of literals ({@code a|b|c}, a set lookup),
 * {@code lit.*} (prefix), {@code .*lit} (suffix) and {@code .*lit.*} (contains). Everything else runs
 * through re2j with DOTALL, i.e. '.' matches '\n' as in Prometheus 3. The shape analysis only
 * recognises patterns whose meaning is certain; anything unusual takes the general path.
 */
abstract sealed class RegexMatch {
  private static final String META = "\\.+*?()|[]{}^$";

  abstract boolean matches(String s);

  String[] setMatches() {
    return null;
  }

  String literalPrefix() {
    return "";
  }

  static RegexMatch compile(String re) {
    try {
      // Validates against the user's own text, so errors quote what the user wrote.
      Pattern.compile(re);
    } catch (PatternSyntaxException e) {
      throw new Matcher.InvalidRegexException(e.getMessage(), e);
    }
    String core = stripOuterGroup(re);
    if (core.equals(".*")) {
      return Any.INSTANCE;
    }
    if (core.equals(".+")) {
      return NonEmpty.INSTANCE;
    }
    List<String> alternatives = literalAlternatives(core);
    if (alternatives != null) {
      return alternatives.size() == 1 ? new Literal(alternatives.get(0)) : new LiteralSet(alternatives);
    }
    boolean leadingAny = core.startsWith(".*");
    boolean trailingAny = core.endsWith(".*") && !core.endsWith("\\.*") && core.length() >= 2;
    String middle = core.substring(leadingAny ? 2 : 0, Math.max(leadingAny ? 2 : 0, core.length() - (trailingAny ? 2 : 0)));
    String lit = unescapeLiteral(middle);
    if (lit != null && (leadingAny || trailingAny) && core.length() > 2) {
      if (leadingAny && trailingAny) {
        return new Contains(lit);
      }
      return leadingAny ? new Suffix(lit) : new Prefix(lit);
    }
    return new General(re, literalPrefixOf(core));
  }

  /** "(x)" or "(?:x)" wrapping the whole pattern → "x"; anything else unchanged. */
  private static String stripOuterGroup(String re) {
    int open;
    if (re.startsWith("(?:")) {
      open = 3;
    } else if (re.startsWith("(") && !re.startsWith("(?")) {
      open = 1;
    } else {
      return re;
    }
    int depth = 0;
    for (int i = 0; i < re.length(); i++) {
      char c = re.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '[') {
        return re; // character classes may hold parens; not worth parsing here
      } else if (c == '(') {
        depth++;
      } else if (c == ')' && --depth == 0) {
        return i == re.length() - 1 ? stripOuterGroup(re.substring(open, i)) : re;
      }
    }
    return re;
  }

  /** Splits "a|b|c" into literals, or null if any part is not a plain literal. */
  private static List<String> literalAlternatives(String core) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= core.length(); i++) {
      if (i < core.length() && core.charAt(i) == '\\') {
        i++;
        continue;
      }
      if (i == core.length() || core.charAt(i) == '|') {
        String lit = unescapeLiteral(core.substring(start, i));
        if (lit == null) {
          return null;
        }
        out.add(lit);
        start = i + 1;
      }
    }
    return out;
  }

  /** The literal text a regex fragment stands for, or null if it has any operator. */
  private static String unescapeLiteral(String s) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        if (i + 1 >= s.length() || META.indexOf(s.charAt(i + 1)) < 0) {
          return null; // \d, \w, \n, ... are classes or escapes, not simple literals
        }
        if (sb == null) {
          sb = new StringBuilder(s.length()).append(s, 0, i);
        }
        sb.append(s.charAt(++i));
      } else if (META.indexOf(c) >= 0) {
        return null;
      } else if (sb != null) {
        sb.append(c);
      }
    }
    return sb == null ? s : sb.toString();
  }

  /** The longest literal every match must start with; "" if unsure (alternations, flags...). */
  private static String literalPrefixOf(String core) {
    if (core.indexOf('|') >= 0) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < core.length(); i++) {
      char c = core.charAt(i);
      if (c == '\\' && i + 1 < core.length() && META.indexOf(core.charAt(i + 1)) >= 0) {
        c = core.charAt(++i);
      } else if (META.indexOf(c) >= 0) {
        // A quantifier makes the preceding char optional or repeated: it is not certain.
        if ((c == '?' || c == '*' || c == '{') && sb.length() > 0) {
          sb.setLength(sb.length() - 1);
        }
        break;
      }
      sb.append(c);
    }
    return sb.toString();
  }

  static final class Any extends RegexMatch {
    static final Any INSTANCE = new Any();

    @Override
    boolean matches(String s) {
      return true;
    }
  }

  static final class NonEmpty extends RegexMatch {
    static final NonEmpty INSTANCE = new NonEmpty();

    @Override
    boolean matches(String s) {
      return !s.isEmpty();
    }
  }

  static final class Literal extends RegexMatch {
    private final String literal;

    Literal(String literal) {
      this.literal = literal;
    }

    @Override
    boolean matches(String s) {
      return literal.equals(s);
    }

    @Override
    String[] setMatches() {
      return new String[] {literal};
    }

    @Override
    String literalPrefix() {
      return literal;
    }
  }

  static final class LiteralSet extends RegexMatch {
    /** Arrays beat hashing for the short lists typical of Grafana variables ("a|b|c"). */
    private static final int HASH_THRESHOLD = 8;

    private final String[] values;
    private final Set<String> set;

    LiteralSet(List<String> values) {
      this.values = values.toArray(String[]::new);
      this.set = values.size() >= HASH_THRESHOLD ? new HashSet<>(values) : null;
    }

    @Override
    boolean matches(String s) {
      if (set != null) {
        return set.contains(s);
      }
      for (String v : values) {
        if (v.equals(s)) {
          return true;
        }
      }
      return false;
    }

    @Override
    String[] setMatches() {
      return Arrays.copyOf(values, values.length);
    }
  }

  static final class Prefix extends RegexMatch {
    private final String prefix;

    Prefix(String prefix) {
      this.prefix = prefix;
    }

    @Override
    boolean matches(String s) {
      return s.startsWith(prefix);
    }

    @Override
    String literalPrefix() {
      return prefix;
    }
  }

  static final class Suffix extends RegexMatch {
    private final String suffix;

    Suffix(String suffix) {
      this.suffix = suffix;
    }

    @Override
    boolean matches(String s) {
      return s.endsWith(suffix);
    }
  }

  static final class Contains extends RegexMatch {
    private final String needle;

    Contains(String needle) {
      this.needle = needle;
    }

    @Override
    boolean matches(String s) {
      return s.contains(needle);
    }
  }

  static final class General extends RegexMatch {
    private final Pattern pattern;
    private final String prefix;

    General(String re, String prefix) {
      this.pattern = Pattern.compile("^(?:" + re + ")$", Pattern.DOTALL);
      this.prefix = prefix;
    }

    @Override
    boolean matches(String s) {
      if (!s.startsWith(prefix)) {
        return false;
      }
      return pattern.matcher(s).find();
    }

    @Override
    String literalPrefix() {
      return prefix;
    }
  }
}
