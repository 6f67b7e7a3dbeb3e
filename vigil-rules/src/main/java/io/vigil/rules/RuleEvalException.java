package io.vigil.rules;

/** A rule evaluation that failed; the message is Prometheus's (it becomes the rule's lastError). */
final class RuleEvalException extends Exception {
  RuleEvalException(String message) {
    super(message, null, false, false);
  }
}
