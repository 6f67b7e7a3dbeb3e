package io.vigil.rules;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Summary;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The rule manager's self-metrics: Prometheus's {@code prometheus_rule_*} and
 * {@code prometheus_template_*} with the {@code vigil_} prefix; {@code rule_group} is
 * {@code <file>;<group name>} as in Prometheus. One instance per registry.
 */
final class RuleMetrics {
  final Summary evalDuration;
  final Summary iterationDuration;
  final Counter iterationsMissed;
  final Counter iterationsScheduled;
  final Counter evalTotal;
  final Counter evalFailures;
  final Gauge groupInterval;
  final Gauge groupLastEvalTime;
  final Gauge groupLastDuration;
  final Gauge groupLastRuleDurationSum;
  final Gauge groupRules;
  final Gauge groupSamples;
  final Counter templateExpansions;
  final Counter templateFailures;

  RuleMetrics(PrometheusRegistry registry) {
    evalDuration = Summary.builder().name("vigil_rule_evaluation_duration_seconds")
        .help("The duration for a rule to execute.").quantile(0.5, 0.05).quantile(0.9, 0.01).quantile(0.99, 0.001)
        .register(registry);
    iterationDuration = Summary.builder().name("vigil_rule_group_duration_seconds")
        .help("The duration of rule group evaluations.").quantile(0.01, 0.001).quantile(0.05, 0.005)
        .quantile(0.5, 0.05).quantile(0.9, 0.01).quantile(0.99, 0.001).register(registry);
    iterationsMissed = Counter.builder().name("vigil_rule_group_iterations_missed_total")
        .help("The total number of rule group evaluations missed due to slow rule group evaluation.")
        .labelNames("rule_group").register(registry);
    iterationsScheduled = Counter.builder().name("vigil_rule_group_iterations_total")
        .help("The total number of scheduled rule group evaluations, whether executed or missed.")
        .labelNames("rule_group").register(registry);
    evalTotal = Counter.builder().name("vigil_rule_evaluations_total")
        .help("The total number of rule evaluations.").labelNames("rule_group").register(registry);
    evalFailures = Counter.builder().name("vigil_rule_evaluation_failures_total")
        .help("The total number of rule evaluation failures.").labelNames("rule_group").register(registry);
    groupInterval = Gauge.builder().name("vigil_rule_group_interval_seconds")
        .help("The interval of a rule group.").labelNames("rule_group").register(registry);
    groupLastEvalTime = Gauge.builder().name("vigil_rule_group_last_evaluation_timestamp_seconds")
        .help("The timestamp of the last rule group evaluation in seconds.").labelNames("rule_group").register(registry);
    groupLastDuration = Gauge.builder().name("vigil_rule_group_last_duration_seconds")
        .help("The duration of the last rule group evaluation.").labelNames("rule_group").register(registry);
    groupLastRuleDurationSum = Gauge.builder().name("vigil_rule_group_last_rule_duration_sum_seconds")
        .help("The sum of time in seconds it took to evaluate each rule in the group regardless of concurrency.")
        .labelNames("rule_group").register(registry);
    groupRules = Gauge.builder().name("vigil_rule_group_rules").help("The number of rules.")
        .labelNames("rule_group").register(registry);
    groupSamples = Gauge.builder().name("vigil_rule_group_last_evaluation_samples")
        .help("The number of samples returned during the last rule group evaluation.").labelNames("rule_group")
        .register(registry);
    templateExpansions = Counter.builder().name("vigil_template_text_expansions_total")
        .help("The total number of template text expansions.").register(registry);
    templateFailures = Counter.builder().name("vigil_template_text_expansion_failures_total")
        .help("The total number of template text expansion failures.").register(registry);
  }

  void initGroup(String key, double intervalSeconds, int rules) {
    iterationsMissed.labelValues(key);
    iterationsScheduled.labelValues(key);
    evalTotal.labelValues(key);
    evalFailures.labelValues(key);
    groupInterval.labelValues(key).set(intervalSeconds);
    groupRules.labelValues(key).set(rules);
  }

  void removeGroup(String key) {
    iterationsMissed.remove(key);
    iterationsScheduled.remove(key);
    evalTotal.remove(key);
    evalFailures.remove(key);
    groupInterval.remove(key);
    groupLastEvalTime.remove(key);
    groupLastDuration.remove(key);
    groupLastRuleDurationSum.remove(key);
    groupRules.remove(key);
    groupSamples.remove(key);
  }
}
