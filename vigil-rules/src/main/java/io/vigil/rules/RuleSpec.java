package io.vigil.rules;

import io.vigil.model.Labels;
import io.vigil.promql.parser.Expr;
import io.vigil.rules.template.AlertTemplate;
import java.util.Map;
import java.util.Objects;

/**
 * A rule as written in a rule file, validated: a recording or an alerting rule. Equality compares
 * the definition (name, expression text, durations, labels, annotations), which is what a reload
 * looks at to keep a group running unchanged.
 */
public sealed interface RuleSpec permits RuleSpec.Recording, RuleSpec.Alerting {
  String name();

  /** The expression as written. */
  String expr();

  /** The parsed expression. */
  Expr parsed();

  Labels labels();

  /**
   * {@code record: NAME}: the expression's result stored under a new metric name.
   *
   * @param labels added to (or overriding) the result's labels
   */
  record Recording(String name, String expr, Expr parsed, Labels labels) implements RuleSpec {
    @Override
    public boolean equals(Object o) {
      return o instanceof Recording r && r.name.equals(name) && r.expr.equals(expr) && r.labels.equals(labels);
    }

    @Override
    public int hashCode() {
      return Objects.hash(name, expr, labels);
    }
  }

  /**
   * {@code alert: NAME}.
   *
   * @param forMs how long the condition must hold before the alert fires (0: at once)
   * @param keepFiringForMs how long the alert keeps firing after the condition ends
   * @param labels label templates, by label name
   * @param annotations annotation templates, by name
   * @param labelTemplates the compiled label values
   * @param annotationTemplates the compiled annotation values
   */
  record Alerting(String name, String expr, Expr parsed, long forMs, long keepFiringForMs, Labels labels,
      Labels annotations, Map<String, AlertTemplate> labelTemplates, Map<String, AlertTemplate> annotationTemplates)
      implements RuleSpec {
    public Alerting {
      labelTemplates = Map.copyOf(labelTemplates);
      annotationTemplates = Map.copyOf(annotationTemplates);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Alerting a && a.name.equals(name) && a.expr.equals(expr) && a.forMs == forMs
          && a.keepFiringForMs == keepFiringForMs && a.labels.equals(labels) && a.annotations.equals(annotations);
    }

    @Override
    public int hashCode() {
      return Objects.hash(name, expr, forMs, keepFiringForMs, labels, annotations);
    }
  }
}
