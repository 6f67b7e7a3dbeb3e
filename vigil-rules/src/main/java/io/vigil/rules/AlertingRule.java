package io.vigil.rules;

import io.vigil.model.Labels;
import io.vigil.model.StaleNaN;
import io.vigil.notify.Alert;
import io.vigil.promql.Vector;
import io.vigil.rules.template.AlertTemplate;
import io.vigil.rules.template.GoText;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An alerting rule with Prometheus's alert lifecycle: each series of the expression's result is an
 * alert, pending until the condition has held for {@code for}, then firing; when the series goes
 * away it is resolved (after keep_firing_for, if set) and kept, and resent, for 15 minutes. Writes
 * the ALERTS and ALERTS_FOR_STATE series once its 'for' state is restored.
 */
final class AlertingRule extends Rule {
  private static final Logger log = LoggerFactory.getLogger(AlertingRule.class);
  static final String ALERTS = "ALERTS";
  static final String ALERTS_FOR_STATE = "ALERTS_FOR_STATE";
  static final String ALERT_NAME = "alertname";
  static final String ALERT_STATE = "alertstate";
  static final long UNSET = Long.MIN_VALUE;

  enum State {
    INACTIVE, PENDING, FIRING;

    String text() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** One alert's state; times in ms, UNSET when not set (Go's zero time). Guarded by the rule. */
  static final class ActiveAlert {
    final Labels labels;
    Labels annotations;
    State state = State.PENDING;
    long activeAt;
    long firedAt = UNSET;
    long resolvedAt = UNSET;
    long lastSentAt = UNSET;
    long validUntil = UNSET;
    long keepFiringSince = UNSET;
    double value;

    ActiveAlert(Labels labels, Labels annotations, long activeAt, double value) {
      this.labels = labels;
      this.annotations = annotations;
      this.activeAt = activeAt;
      this.value = value;
    }
  }

  private final RuleSpec.Alerting alerting;
  private final Map<String, AlertTemplate> labelTemplates;
  private final String generatorUrl;
  private final Map<Labels, ActiveAlert> active = new LinkedHashMap<>();
  private volatile boolean restored;

  /**
   * @param labelTemplates the rule's label templates with the group's labels underneath
   */
  AlertingRule(RuleSpec.Alerting spec, Labels labels, Map<String, AlertTemplate> labelTemplates, String externalUrl) {
    super(spec, labels);
    this.alerting = spec;
    this.labelTemplates = Map.copyOf(labelTemplates);
    this.generatorUrl = externalUrl + "/graph?g0.expr=" + GoText.queryEscape(query) + "&g0.tab=1";
  }

  long holdMs() {
    return alerting.forMs();
  }

  void setRestored(boolean r) {
    restored = r;
  }

  @Override
  Vector eval(long tsMs, long queryOffsetMs, int limit, EvalContext ctx) throws RuleEvalException {
    Vector res = ctx.queries().query(spec.parsed(), tsMs - queryOffsetMs);
    Map<Labels, ActiveAlert> current = new HashMap<>();
    AlertTemplate.Context tctx = ctx.templateContext(tsMs);
    Labels.Builder lb = new Labels.Builder();
    for (int i = 0; i < res.size(); i++) {
      Labels metric = res.labels().get(i);
      double value = res.values()[i];
      Labels templateLabels = metric;
      lb.reset(metric);
      lb.del(Labels.METRIC_NAME);
      for (var e : labelTemplates.entrySet()) {
        lb.set(e.getKey(), expand(e.getValue(), templateLabels, value, tctx, ctx));
      }
      lb.set(ALERT_NAME, name());
      Labels.Builder ab = new Labels.Builder();
      for (var e : alerting.annotationTemplates().entrySet()) {
        ab.set(e.getKey(), expand(e.getValue(), templateLabels, value, tctx, ctx));
      }
      Labels alertLabels = lb.build();
      if (current.put(alertLabels, new ActiveAlert(alertLabels, ab.build(), tsMs, value)) != null) {
        throw new RuleEvalException("vector contains metrics with the same labelset after applying alert labels");
      }
    }
    List<Labels> outLabels = new ArrayList<>();
    List<Double> outValues = new ArrayList<>();
    long sampleTs = tsMs - queryOffsetMs;
    synchronized (this) {
      for (ActiveAlert a : current.values()) {
        ActiveAlert existing = active.get(a.labels);
        if (existing != null && existing.state != State.INACTIVE) {
          existing.value = a.value;
          existing.annotations = a.annotations;
        } else {
          active.put(a.labels, a);
        }
      }
      int activePending = 0;
      long retentionMs = RuleOptions.RESOLVED_RETENTION.toMillis();
      for (Iterator<ActiveAlert> it = active.values().iterator(); it.hasNext(); ) {
        ActiveAlert a = it.next();
        if (!current.containsKey(a.labels)) {
          boolean keepFiring = false;
          if (a.state == State.FIRING && alerting.keepFiringForMs() > 0) {
            if (a.keepFiringSince == UNSET) {
              a.keepFiringSince = tsMs;
            }
            keepFiring = tsMs - a.keepFiringSince < alerting.keepFiringForMs();
          }
          if (a.state == State.PENDING || (a.resolvedAt != UNSET && tsMs - a.resolvedAt > retentionMs)) {
            it.remove();
          }
          if (a.state != State.INACTIVE && !keepFiring) {
            a.state = State.INACTIVE;
            a.resolvedAt = tsMs;
          }
          if (!keepFiring) {
            continue;
          }
        } else {
          a.keepFiringSince = UNSET;
        }
        activePending++;
        if (a.state == State.PENDING && tsMs - a.activeAt >= alerting.forMs()) {
          a.state = State.FIRING;
          a.firedAt = tsMs;
        }
        if (restored) {
          outLabels.add(seriesLabels(a, ALERTS, true));
          outValues.add(1.0);
          outLabels.add(seriesLabels(a, ALERTS_FOR_STATE, false));
          outValues.add((double) Math.floorDiv(a.activeAt, 1000));
        }
      }
      if (limit > 0 && activePending > limit) {
        active.clear();
        throw new RuleEvalException("exceeded limit of " + limit + " with " + activePending + " alerts");
      }
    }
    double[] values = new double[outValues.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = outValues.get(i);
    }
    return new Vector(sampleTs, outLabels, values);
  }

  private String expand(AlertTemplate t, Labels labels, double value, AlertTemplate.Context tctx, EvalContext ctx) {
    AlertTemplate.Result r = t.expand(labels, value, tctx);
    ctx.metrics().templateExpansions.inc();
    if (r.failed()) {
      ctx.metrics().templateFailures.inc();
      log.warn("Expanding alert template failed: rule {}, labels {}, value {}: {}", name(), labels, value, r.error());
    }
    return r.text();
  }

  /** ALERTS{..., alertstate} or ALERTS_FOR_STATE{...}: the alert's labels with the metric name. */
  private Labels seriesLabels(ActiveAlert a, String metric, boolean withState) {
    Labels.Builder b = new Labels.Builder(a.labels);
    b.set(Labels.METRIC_NAME, metric);
    b.set(ALERT_NAME, name());
    if (withState) {
      b.set(ALERT_STATE, a.state.text());
    }
    return b.build();
  }

  /** Prometheus's sendAlerts: firing alerts every resend delay, resolved ones once more each time they change. */
  void sendAlerts(long tsMs, long resendDelayMs, long intervalMs, AlertSink sink) {
    List<Alert> out = new ArrayList<>();
    synchronized (this) {
      for (ActiveAlert a : active.values()) {
        if (!needsSending(a, tsMs, resendDelayMs)) {
          continue;
        }
        a.lastSentAt = tsMs;
        // Valid for four evaluations or resend delays: survives two missed sends, as in Prometheus.
        a.validUntil = tsMs + 4 * Math.max(resendDelayMs, intervalMs);
        long endsAt = a.resolvedAt != UNSET ? a.resolvedAt : a.validUntil;
        out.add(new Alert(a.labels, a.annotations, a.firedAt == UNSET ? null : Instant.ofEpochMilli(a.firedAt),
            Instant.ofEpochMilli(endsAt), generatorUrl));
      }
    }
    if (!out.isEmpty()) {
      sink.send(out);
    }
  }

  private static boolean needsSending(ActiveAlert a, long tsMs, long resendDelayMs) {
    if (a.state == State.PENDING) {
      return false;
    }
    if (a.resolvedAt != UNSET && (a.lastSentAt == UNSET || a.resolvedAt > a.lastSentAt)) {
      return true;
    }
    return a.lastSentAt == UNSET || a.lastSentAt + resendDelayMs < tsMs;
  }

  /**
   * Restores 'for' state after a restart (Prometheus's RestoreForState for one rule).
   *
   * @param lastForState per alert labels: {timestampMs, value} of the newest ALERTS_FOR_STATE sample
   */
  synchronized void restore(Map<Labels, double[]> lastForState, long nowMs, long gracePeriodMs) {
    for (ActiveAlert a : active.values()) {
      double[] s = lastForState.get(a.labels);
      if (s == null || StaleNaN.is(s[1])) {
        continue;
      }
      long downAtMs = Math.floorDiv((long) s[0], 1000) * 1000;
      long restoredActiveAt = (long) s[1] * 1000;
      long spentPending = downAtMs - restoredActiveAt;
      long remaining = alerting.forMs() - spentPending;
      if (remaining <= 0) {
        // it was firing when Vigil stopped; the next evaluation fires it again if still true
      } else if (remaining < gracePeriodMs) {
        restoredActiveAt = nowMs + gracePeriodMs - alerting.forMs();
      } else {
        restoredActiveAt += nowMs - downAtMs; // the outage does not count as pending time
      }
      a.activeAt = restoredActiveAt;
      log.debug("'for' state restored: rule {}, alert {}, activeAt {}", name(), a.labels, restoredActiveAt);
    }
    restored = true;
  }

  /** Copies another rule's alerts (a reload keeping state, Prometheus's CopyState). */
  synchronized void copyAlertsFrom(AlertingRule from) {
    synchronized (from) {
      active.putAll(from.active);
    }
  }

  synchronized boolean hasActive() {
    return !active.isEmpty();
  }

  @Override
  synchronized RuleStatus.Rule status() {
    State max = State.INACTIVE;
    List<RuleStatus.Alert> alerts = new ArrayList<>();
    for (ActiveAlert a : active.values()) {
      if (a.state.compareTo(max) > 0) {
        max = a.state;
      }
      if (a.resolvedAt == UNSET) {
        alerts.add(new RuleStatus.Alert(a.labels, a.annotations, a.state.text(), Instant.ofEpochMilli(a.activeAt),
            a.keepFiringSince == UNSET ? null : Instant.ofEpochMilli(a.keepFiringSince), a.value));
      }
    }
    alerts.sort(Comparator.comparing(RuleStatus.Alert::labels));
    return new RuleStatus.Alerting(max.text(), name(), query, alerting.forMs() / 1000.0,
        alerting.keepFiringForMs() / 1000.0, labels, alerting.annotations(), alerts, health(), lastError(),
        evaluationSeconds(), lastEvaluation());
  }
}
