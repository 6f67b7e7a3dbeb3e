package io.vigil.model;

import com.google.re2j.PatternSyntaxException;
import java.util.Objects;

/**
 * One label matcher: {@code name op value}. A missing label matches as the empty string, so
 * {@code foo=""} selects series without {@code foo} and {@code foo!=""} series that have it.
 *
 * <p>Regular expressions use RE2 semantics (linear time) through re2j, fully anchored, with '.'
 * matching newlines as in Prometheus 3. Common shapes skip the regex engine entirely; see
 * {@link RegexMatch}. Immutable and thread-safe.
 */
public final class Matcher {
  private final MatchType type;
  private final String name;
  private final String value;
  private final RegexMatch regex; // null for = and !=

  private Matcher(MatchType type, String name, String value) {
    this.type = Objects.requireNonNull(type);
    this.name = Objects.requireNonNull(name);
    this.value = Objects.requireNonNull(value);
    this.regex = type.isRegex() ? RegexMatch.compile(value) : null;
  }

  /**
   * @throws InvalidRegexException when a regex matcher's value is not valid RE2 syntax; the message
   *     reads like Go's regexp errors, e.g. {@code error parsing regexp: missing closing ): `(a`}
   */
  public static Matcher of(MatchType type, String name, String value) {
    return new Matcher(type, name, value);
  }

  public static Matcher equal(String name, String value) {
    return new Matcher(MatchType.EQUAL, name, value);
  }

  public static Matcher notEqual(String name, String value) {
    return new Matcher(MatchType.NOT_EQUAL, name, value);
  }

  public static Matcher regex(String name, String value) {
    return new Matcher(MatchType.REGEX, name, value);
  }

  public static Matcher notRegex(String name, String value) {
    return new Matcher(MatchType.NOT_REGEX, name, value);
  }

  public MatchType type() {
    return type;
  }

  public String name() {
    return name;
  }

  public String value() {
    return value;
  }

  public boolean matches(String s) {
    return switch (type) {
      case EQUAL -> value.equals(s);
      case NOT_EQUAL -> !value.equals(s);
      case REGEX -> regex.matches(s);
      case NOT_REGEX -> !regex.matches(s);
    };
  }

  /** Whether this matcher accepts the empty string, i.e. also selects series lacking the label. */
  public boolean matchesEmpty() {
    return matches("");
  }

  /**
   * For regex matchers whose pattern is a plain alternation of literals ({@code a|b|c}): those
   * literals, so that storage can look each one up instead of scanning all values. Null otherwise.
   */
  public String[] setMatches() {
    return regex == null ? null : regex.setMatches();
  }

  /** A literal every matching value starts with ("" when none is known); for index range scans. */
  public String literalPrefix() {
    return switch (type) {
      case EQUAL -> value;
      case REGEX -> regex.literalPrefix();
      default -> "";
    };
  }

  /** PromQL syntax: {@code name="value"} with Go quoting. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(name.length() + value.length() + 6);
    sb.append(name).append(type.operator());
    LabelNames.appendQuoted(sb, value);
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Matcher m && m.type == type && m.name.equals(name) && m.value.equals(value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, name, value);
  }

  /** A regex that does not parse; the message reads like Go's regexp error text. */
  public static final class InvalidRegexException extends IllegalArgumentException {
    InvalidRegexException(String message, PatternSyntaxException cause) {
      super(message, cause);
    }
  }
}
