package io.vigil.web.api;

import io.vigil.model.Labels;
import java.time.Instant;
import java.util.List;

/**
 * The loaded rule groups with their rules' state, for {@code /api/v1/rules} and (through the
 * alerting rules' active alerts) {@code /api/v1/alerts}. Thread-safe; a snapshot per call.
 */
@FunctionalInterface
public interface RulesRetriever {
  RulesRetriever EMPTY = List::of;

  /** Groups in file order, rules in group order. */
  List<RuleGroup> ruleGroups();

  /**
   * @param lastEvaluation null before the first evaluation (printed as Go's zero time)
   * @param limit the group's alert/series limit, 0 for none
   */
  record RuleGroup(String name, String file, List<Rule> rules, double intervalSeconds, int limit,
      double evaluationTimeSeconds, Instant lastEvaluation) {
    public RuleGroup {
      rules = List.copyOf(rules);
    }
  }

  /** Rule health as the API spells it. */
  enum Health {
    OK("ok"), ERR("err"), UNKNOWN("unknown");

    private final String text;

    Health(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }
  }

  sealed interface Rule permits AlertingRule, RecordingRule {
    String name();

    /** The labels the rule adds (the match[] filter of /api/v1/rules looks at these). */
    Labels labels();
  }

  /**
   * @param state the most severe state of its alerts: "inactive", "pending" or "firing"
   * @param query the expression as Prometheus prints it
   * @param lastError "" when the last evaluation succeeded
   */
  record AlertingRule(String state, String name, String query, double durationSeconds, double keepFiringForSeconds,
      Labels labels, Labels annotations, List<Alert> alerts, Health health, String lastError,
      double evaluationTimeSeconds, Instant lastEvaluation) implements Rule {
    public AlertingRule {
      alerts = List.copyOf(alerts);
    }
  }

  record RecordingRule(String name, String query, Labels labels, Health health, String lastError,
      double evaluationTimeSeconds, Instant lastEvaluation) implements Rule {}

  /**
   * One active alert of an alerting rule.
   *
   * @param state "pending" or "firing"
   * @param keepFiringSince null unless the alert is kept firing by keep_firing_for
   */
  record Alert(Labels labels, Labels annotations, String state, Instant activeAt, Instant keepFiringSince,
      double value) {}
}
