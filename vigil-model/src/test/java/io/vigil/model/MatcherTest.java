package io.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.re2j.Pattern;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class MatcherTest {
  private static final List<String> INPUTS = List.of(
      "", "a", "b", "c", "ab", "abc", "foo", "foobar", "barfoo", "xfoox", "FOO", "a\nb", "a.b", "a|b",
      "\n", "fo", "foo\n", "hello world", "a*", "(a)", "ä", "日本");

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      ".*", ".+", "foo", "a|b|c", "(a|b)", "(?:foo|bar)", "foo.*", ".*foo", ".*foo.*", "a\\.b", "a\\|b",
      "fo+", "f.o", "(?i)foo", "a|", "|a", "a.*|b", "[ab]", "a\\*", "a\\nb", "a.b", ".", "..*", "abc?",
      "a(b|c)", "(a)|(b)", "foo.+", ".*\\.*", "日本|ä", "\\(a\\)", "x{2}", "(foo)bar", ".*(a|b).*"})
  void fastPathsAgreeWithTheRegexEngine(String re) {
    Pattern reference = Pattern.compile("^(?:" + re + ")$", Pattern.DOTALL);
    Matcher m = Matcher.regex("l", re);
    Matcher nm = Matcher.notRegex("l", re);
    for (String in : INPUTS) {
      boolean want = reference.matcher(in).matches();
      assertThat(m.matches(in)).as("%s =~ %s", in, re).isEqualTo(want);
      assertThat(nm.matches(in)).as("%s !~ %s", in, re).isEqualTo(!want);
      if (want) {
        assertThat(in).as("literal prefix of %s", re).startsWith(m.literalPrefix());
      }
    }
  }

  @Test
  void dotMatchesNewlineAsInPrometheus3() {
    assertThat(Matcher.regex("l", "a.b").matches("a\nb")).isTrue();
    assertThat(Matcher.regex("l", ".*").matches("x\ny")).isTrue();
    assertThat(Matcher.regex("l", "x.+").matches("x\n")).isTrue();
  }

  @Test
  void regexesAreAnchored() {
    assertThat(Matcher.regex("l", "foo").matches("xfoo")).isFalse();
    assertThat(Matcher.regex("l", "f[o]o").matches("foox")).isFalse();
  }

  @Test
  void literalAlternationsExposeTheirSet() {
    assertThat(Matcher.regex("l", "a|b|c").setMatches()).containsExactly("a", "b", "c");
    assertThat(Matcher.regex("l", "a\\.b|c").setMatches()).containsExactly("a.b", "c");
    assertThat(Matcher.regex("l", "a.*").setMatches()).isNull();
    assertThat(Matcher.equal("l", "a").setMatches()).isNull();
  }

  @Test
  void invalidRegexReadsLikeGo() {
    assertThatThrownBy(() -> Matcher.regex("l", "(a"))
        .isInstanceOf(Matcher.InvalidRegexException.class)
        .hasMessage("error parsing regexp: missing closing ): `(a`");
  }

  @Test
  void emptyValueSemantics() {
    assertThat(Matcher.equal("l", "").matchesEmpty()).isTrue();
    assertThat(Matcher.notEqual("l", "").matchesEmpty()).isFalse();
    assertThat(Matcher.regex("l", ".*").matchesEmpty()).isTrue();
    assertThat(Matcher.regex("l", ".+").matchesEmpty()).isFalse();
  }

  @Test
  void printsAsPromQL() {
    assertThat(Matcher.regex("job", "a\"b").toString()).isEqualTo("job=~\"a\\\"b\"");
    assertThat(Matcher.notEqual("x", "y").toString()).isEqualTo("x!=\"y\"");
  }

  @Test
  void randomPatternsOverAnAlphabetAgreeWithRe2j() {
    long seed = System.nanoTime();
    System.out.println("MatcherTest seed=" + seed);
    Random r = new Random(seed);
    String[] atoms = {"a", "b", ".", ".*", ".+", "|", "\\.", "(", ")", "?", "x"};
    for (int i = 0; i < 3000; i++) {
      StringBuilder sb = new StringBuilder();
      int n = 1 + r.nextInt(6);
      for (int j = 0; j < n; j++) {
        sb.append(atoms[r.nextInt(atoms.length)]);
      }
      String re = sb.toString();
      Pattern reference;
      try {
        reference = Pattern.compile("^(?:" + re + ")$", Pattern.DOTALL);
        Pattern.compile(re, Pattern.DOTALL);
      } catch (RuntimeException e) {
        assertThatThrownBy(() -> Matcher.regex("l", re)).as("seed %d re %s", seed, re)
            .isInstanceOf(Matcher.InvalidRegexException.class);
        continue;
      }
      Matcher m = Matcher.regex("l", re);
      for (int k = 0; k < 20; k++) {
        StringBuilder in = new StringBuilder();
        int len = r.nextInt(5);
        for (int c = 0; c < len; c++) {
          in.append("ab.x\n".charAt(r.nextInt(5)));
        }
        String s = in.toString();
        assertThat(m.matches(s)).as("seed %d: %s =~ %s", seed, s, re).isEqualTo(reference.matcher(s).matches());
      }
    }
  }
}
