package io.vigil.server;

import io.vigil.notify.Notifier;
import io.vigil.rules.RuleManager;
import io.vigil.rules.RuleStatus;
import io.vigil.web.api.AlertmanagerRetriever;
import io.vigil.web.api.RulesRetriever;
import java.util.List;
import java.util.function.Supplier;

/** The HTTP API's rule, alert and Alertmanager views over the rule manager and the notifier. */
final class RulesApiAdapter implements RulesRetriever, AlertmanagerRetriever {
  private final Supplier<RuleManager> rules;
  private final Supplier<Notifier> notifier;

  RulesApiAdapter(Supplier<RuleManager> rules, Supplier<Notifier> notifier) {
    this.rules = rules;
    this.notifier = notifier;
  }

  @Override
  public List<RuleGroup> ruleGroups() {
    RuleManager m = rules.get();
    return m == null ? List.of() : m.groups().stream().map(RulesApiAdapter::group).toList();
  }

  private static RuleGroup group(RuleStatus.Group g) {
    return new RuleGroup(g.name(), g.file(), g.rules().stream().map(RulesApiAdapter::rule).toList(),
        g.intervalSeconds(), g.limit(), g.evaluationTimeSeconds(), g.lastEvaluation());
  }

  private static Rule rule(RuleStatus.Rule r) {
    return switch (r) {
      case RuleStatus.Alerting a -> new AlertingRule(a.state(), a.name(), a.query(), a.durationSeconds(),
          a.keepFiringForSeconds(), a.labels(), a.annotations(),
          a.alerts().stream().map(x -> new Alert(x.labels(), x.annotations(), x.state(), x.activeAt(),
              x.keepFiringSince(), x.value())).toList(),
          Health.valueOf(a.health().name()), a.lastError(), a.evaluationTimeSeconds(), a.lastEvaluation());
      case RuleStatus.Recording c -> new RecordingRule(c.name(), c.query(), c.labels(),
          Health.valueOf(c.health().name()), c.lastError(), c.evaluationTimeSeconds(), c.lastEvaluation());
    };
  }

  @Override
  public List<String> activeAlertmanagers() {
    Notifier n = notifier.get();
    return n == null ? List.of() : n.alertmanagers().active();
  }

  @Override
  public List<String> droppedAlertmanagers() {
    Notifier n = notifier.get();
    return n == null ? List.of() : n.alertmanagers().dropped();
  }
}
