package io.vigil.tsdb.query;

import io.vigil.model.MatchType;
import io.vigil.model.Matcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.roaringbitmap.FastAggregation;
import org.roaringbitmap.RoaringBitmap;

/**
 * Resolves label matchers to series ids the way Prometheus does. A matcher that does not match the
 * empty string selects series that have the label with a matching value: an intersection. A matcher
 * that matches the empty string also selects series without the label, so it is applied as a
 * subtraction of the series whose value does <em>not</em> match ({@code a!="x"} subtracts
 * {@code a="x"}; {@code a=""} subtracts every series with {@code a}; {@code a=~"x|"} subtracts the
 * values other than "x"). With no intersecting matcher the start is every series.
 *
 * <p>Fast paths: {@code =} is one lookup; a literal alternation ({@link Matcher#setMatches()}) is one
 * lookup per literal; a literal prefix ({@link Matcher#literalPrefix()}) limits the value scan to a
 * range of the sorted values.
 */
public final class PostingsForMatchers {
  private PostingsForMatchers() {}

  /** The ids matching all matchers: a new bitmap owned by the caller. */
  public static RoaringBitmap select(IndexView index, Matcher... matchers) {
    List<Matcher> intersect = new ArrayList<>(matchers.length);
    List<Matcher> subtract = new ArrayList<>(matchers.length);
    for (Matcher m : matchers) {
      if (m.matchesEmpty()) {
        if (!(m.type() == MatchType.REGEX && m.value().equals(".*"))) { // {a=~".*"} selects everything
          subtract.add(m);
        }
      } else {
        intersect.add(m);
      }
    }
    // Equality first: it is one lookup and usually the smallest set, shrinking later intersections.
    intersect.sort(Comparator.comparingInt(m -> m.type() == MatchType.EQUAL ? 0 : 1));
    RoaringBitmap result = null;
    for (Matcher m : intersect) {
      RoaringBitmap p = matching(index, m);
      result = result == null ? p.clone() : RoaringBitmap.and(result, p);
      if (result.isEmpty()) {
        return result;
      }
    }
    if (result == null) {
      result = index.allPostings().clone();
    }
    for (Matcher m : subtract) {
      result.andNot(notMatching(index, m));
      if (result.isEmpty()) {
        break;
      }
    }
    return result;
  }

  /** Series having label {@code m.name()} with a value {@code m} accepts (m does not match ""). */
  static RoaringBitmap matching(IndexView index, Matcher m) {
    return switch (m.type()) {
      case EQUAL -> index.postings(m.name(), m.value());
      case REGEX -> {
        String[] set = m.setMatches();
        yield set != null ? union(index, m.name(), set)
            : index.postingsForValues(m.name(), m.literalPrefix(), m::matches);
      }
      // Negative matchers that do not match "" (e.g. a!~".*", a!~"") accept values outside the inverse.
      case NOT_EQUAL, NOT_REGEX -> index.postingsForValues(m.name(), "", m::matches);
    };
  }

  /** Series having label {@code m.name()} with a value {@code m} rejects (m matches ""). */
  static RoaringBitmap notMatching(IndexView index, Matcher m) {
    return switch (m.type()) {
      case EQUAL -> index.postingsForValues(m.name(), "", v -> true); // a="" rejects every value
      case NOT_EQUAL -> index.postings(m.name(), m.value());
      case NOT_REGEX -> {
        // The values the regex itself accepts: use its fast paths.
        Matcher inverse = Matcher.of(MatchType.REGEX, m.name(), m.value());
        String[] set = inverse.setMatches();
        yield set != null ? union(index, m.name(), set)
            : index.postingsForValues(m.name(), inverse.literalPrefix(), inverse::matches);
      }
      case REGEX -> index.postingsForValues(m.name(), "", v -> !m.matches(v));
    };
  }

  private static RoaringBitmap union(IndexView index, String name, String[] values) {
    if (values.length == 1) {
      return index.postings(name, values[0]);
    }
    RoaringBitmap[] parts = Arrays.stream(values).map(v -> index.postings(name, v)).toArray(RoaringBitmap[]::new);
    return FastAggregation.or(parts);
  }
}
