package io.vigil.model.relabel;

import com.google.re2j.Pattern;
import io.vigil.model.Matcher;
import java.util.Map;

/**
 * The regex of a relabel rule: RE2 syntax through re2j, fully anchored, '.' matching newlines (as in
 * Prometheus 3). Plain matching goes through {@link Matcher}'s fast paths (literals, prefixes,
 * alternations); capture groups for {@code $1}-style expansion come from a compiled re2j pattern.
 * Equality is by source text. Immutable and thread-safe.
 */
public final class RelabelRegex {
  /** Prometheus's default relabel regex. */
  public static final String DEFAULT_SOURCE = "(.*)";

  public static final RelabelRegex DEFAULT = compile(DEFAULT_SOURCE);

  private final String source;
  private final Matcher matcher;
  private final Pattern pattern;
  private final Map<String, Integer> namedGroups;

  private RelabelRegex(String source) {
    this.source = source;
    // Matcher validates the syntax and reports errors against the user's own text.
    this.matcher = Matcher.regex("", source);
    this.pattern = Pattern.compile("(?:" + source + ")", Pattern.DOTALL);
    this.namedGroups = Map.copyOf(pattern.namedGroups());
  }

  /**
   * Compiles a relabel regex.
   *
   * @throws Matcher.InvalidRegexException when the text is not valid RE2; the message reads like
   *     Go's, e.g. {@code error parsing regexp: missing closing ): `(a`}
   */
  public static RelabelRegex compile(String source) {
    return DEFAULT_SOURCE.equals(source) && DEFAULT != null ? DEFAULT : new RelabelRegex(source);
  }

  /** The regex as written in the configuration, without anchors. */
  public String source() {
    return source;
  }

  /** Whether the whole of {@code s} matches. */
  public boolean matches(String s) {
    return matcher.matches(s);
  }

  boolean isDefault() {
    return this == DEFAULT;
  }

  /** A re2j matcher over {@code s}; call {@code matches()} on it to anchor at both ends. */
  com.google.re2j.Matcher submatcher(String s) {
    return pattern.matcher(s);
  }

  /** Group index of a named group, or -1. */
  int groupIndex(String name) {
    Integer i = namedGroups.get(name);
    return i == null ? -1 : i;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RelabelRegex r && r.source.equals(source);
  }

  @Override
  public int hashCode() {
    return source.hashCode();
  }

  @Override
  public String toString() {
    return source;
  }
}
