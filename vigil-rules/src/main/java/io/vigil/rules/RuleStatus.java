package io.vigil.rules;

import io.vigil.model.Labels;
import java.time.Instant;
import java.util.List;

/**
 * Snapshots of the rules' state for {@code /api/v1/rules} and {@code /api/v1/alerts}, shaped like
 * vigil-web's RulesRetriever records (and Prometheus's JSON). Immutable.
 */
public final class RuleStatus {
  private RuleStatus() {}

  /** Rule health as the API spells it. */
  public enum Health {
    OK("ok"), ERR("err"), UNKNOWN("unknown");

    private final String text;

    Health(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }
  }

  /**
   * @param intervalSeconds the group's evaluation interval
   * @param limit the group's series/alert limit, 0 for none
   * @param evaluationTimeSeconds how long the last evaluation took
   * @param lastEvaluation when the last evaluation started, null before the first
   */
  public record Group(String name, String file, List<Rule> rules, double intervalSeconds, int limit,
      double evaluationTimeSeconds, Instant lastEvaluation) {
    public Group {
      rules = List.copyOf(rules);
    }
  }

  public sealed interface Rule permits Alerting, Recording {
    String name();

    Labels labels();
  }

  /**
   * @param state the most severe state of the rule's alerts: "inactive", "pending" or "firing"
   * @param query the expression as Prometheus prints it
   * @param durationSeconds the rule's 'for'
   * @param labels and {@code annotations}: the rule's templates as written
   * @param alerts the pending and firing alerts
   * @param lastError "" when the last evaluation succeeded
   */
  public record Alerting(String state, String name, String query, double durationSeconds,
      double keepFiringForSeconds, Labels labels, Labels annotations, List<Alert> alerts, Health health,
      String lastError, double evaluationTimeSeconds, Instant lastEvaluation) implements Rule {
    public Alerting {
      alerts = List.copyOf(alerts);
    }
  }

  public record Recording(String name, String query, Labels labels, Health health, String lastError,
      double evaluationTimeSeconds, Instant lastEvaluation) implements Rule {}

  /**
   * One active alert.
   *
   * @param state "pending" or "firing"
   * @param activeAt when the condition was first seen (restored across restarts)
   * @param keepFiringSince when the condition ended for an alert kept firing by keep_firing_for, else null
   * @param value the expression's value at the last evaluation
   */
  public record Alert(Labels labels, Labels annotations, String state, Instant activeAt, Instant keepFiringSince,
      double value) {}
}
