package io.vigil.rules;

import io.vigil.model.Labels;
import java.util.List;

/**
 * One group of a rule file, validated.
 *
 * @param file the rule file as named in the configuration (after glob expansion)
 * @param intervalMs evaluation interval, 0 for the global evaluation_interval
 * @param queryOffsetMs how far in the past the group evaluates, -1 for the global rule_query_offset
 * @param limit most series a recording rule or alerts an alerting rule may produce, 0 for no limit
 * @param labels added to every rule's output (Prometheus 3 group labels), rule labels win
 */
public record RuleGroupSpec(String name, String file, long intervalMs, long queryOffsetMs, int limit, Labels labels,
    List<RuleSpec> rules) {
  public RuleGroupSpec {
    rules = List.copyOf(rules);
  }
}
