package io.vigil.rules;

import io.vigil.model.Labels;
import io.vigil.rules.template.AlertTemplate;

/**
 * What rules need from their manager during an evaluation.
 *
 * @param externalLabels the global external labels (templates' $externalLabels)
 */
record EvalContext(QueryRunner queries, Labels externalLabels, RuleOptions options, RuleMetrics metrics) {
  AlertTemplate.Context templateContext(long tsMs) {
    return new AlertTemplate.Context(tsMs, queries.templateQueries(), options.externalUrl(), externalLabels);
  }
}
