package io.vigil.web.api;

import io.vigil.model.Matcher;
import io.vigil.promql.parser.ParseException;
import io.vigil.promql.parser.PromqlParser;
import io.vigil.web.Tenant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The match[] parameter: series selectors, each a list of matchers that must all match. */
final class MatcherSets {
  static final String NEEDS_NON_EMPTY = "match[] must contain at least one non-empty matcher";
  /** The parser's own wording of the same rule, which it applies to metric selectors too. */
  private static final String PARSER_EMPTY = "vector selector must contain at least one non-empty matcher";

  private MatcherSets() {}

  /**
   * Parses every selector (parseMatchersParam): the first syntax error wins, then a selector whose
   * matchers all match the empty string is refused. With a tenant, each set is confined to it;
   * absent selectors then mean just the tenant's matcher.
   *
   * @param error wraps a message into the endpoint's error (series says {@code invalid parameter
   *     "match[]": ...}, labels says just the message)
   */
  static List<List<Matcher>> parse(List<String> selectors, Tenant tenant, Function<String, ApiError> error) {
    List<List<Matcher>> sets = new ArrayList<>(selectors.size());
    boolean allEmpty = false;
    for (String s : selectors) {
      try {
        sets.add(PromqlParser.parseMetricSelector(s));
      } catch (ParseException e) {
        if (!e.detail().equals(PARSER_EMPTY)) {
          throw error.apply(e.getMessage());
        }
        allEmpty = true;
      }
    }
    if (allEmpty) {
      throw error.apply(NEEDS_NON_EMPTY);
    }
    if (tenant == null) {
      return sets;
    }
    if (sets.isEmpty()) {
      return List.of(List.of(TenantEnforcer.matcher(tenant)));
    }
    List<List<Matcher>> confined = new ArrayList<>(sets.size());
    for (List<Matcher> set : sets) {
      confined.add(TenantEnforcer.enforce(set, tenant));
    }
    return confined;
  }
}
