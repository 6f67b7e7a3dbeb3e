package io.vigil.rules;

import io.vigil.model.Labels;
import io.vigil.promql.Vector;
import io.vigil.promql.parser.Printer;
import java.time.Instant;

/**
 * The state all rules share: health, last error, how long the last evaluation took and when it
 * started. Evaluated by its group's thread; read by API threads through snapshots, so the fields
 * are guarded by the instance's monitor.
 */
abstract sealed class Rule permits RecordingRule, AlertingRule {
  final RuleSpec spec;
  /** The rule's labels with the group's labels underneath (rule labels win). */
  final Labels labels;
  final String query;
  private RuleStatus.Health health = RuleStatus.Health.UNKNOWN;
  private String lastError = "";
  private double evaluationSeconds;
  private Instant lastEvaluation;

  Rule(RuleSpec spec, Labels labels) {
    this.spec = spec;
    this.labels = labels;
    this.query = Printer.toString(spec.parsed());
  }

  String name() {
    return spec.name();
  }

  /**
   * Evaluates at {@code tsMs} (queries run at {@code tsMs - queryOffsetMs}) and returns the samples
   * to append.
   */
  abstract Vector eval(long tsMs, long queryOffsetMs, int limit, EvalContext ctx) throws RuleEvalException;

  synchronized void recordSuccess() {
    health = RuleStatus.Health.OK;
    lastError = "";
  }

  synchronized void recordFailure(String error) {
    health = RuleStatus.Health.ERR;
    lastError = error;
  }

  synchronized void recordTiming(double seconds, Instant start) {
    evaluationSeconds = seconds;
    lastEvaluation = start;
  }

  synchronized RuleStatus.Health health() {
    return health;
  }

  synchronized String lastError() {
    return lastError;
  }

  synchronized double evaluationSeconds() {
    return evaluationSeconds;
  }

  synchronized Instant lastEvaluation() {
    return lastEvaluation;
  }

  /** "name{labels}" identifies a rule across reloads (Prometheus's nameAndLabels). */
  String key() {
    return name() + labels;
  }

  abstract RuleStatus.Rule status();
}
