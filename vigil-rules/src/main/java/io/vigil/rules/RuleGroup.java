package io.vigil.rules;

import io.vigil.model.Labels;
import io.vigil.model.Matcher;
import io.vigil.model.StaleNaN;
import io.vigil.promql.Vector;
import io.vigil.storage.Appendable;
import io.vigil.storage.Appender;
import io.vigil.storage.Querier;
import io.vigil.storage.Queryable;
import io.vigil.storage.SampleIterator;
import io.vigil.storage.SampleRejectedException;
import io.vigil.storage.Series;
import io.vigil.storage.SeriesSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One rule group at run time (Prometheus's rules.Group): its own virtual thread evaluates the rules
 * in order every interval, at times offset by a hash of the group's file and name so that groups
 * spread over the interval; each rule's output is committed before the next rule runs, so later
 * rules see it. Series a rule stops producing get a staleness marker. Missed iterations (an
 * evaluation longer than the interval) are counted.
 */
final class RuleGroup {
  private static final Logger log = LoggerFactory.getLogger(RuleGroup.class);

  final RuleGroupSpec spec;
  final String key;
  final long intervalMs;
  final long queryOffsetMs;
  final List<Rule> rules;
  private final Appendable appendable;
  private final Queryable queryable;
  private final AlertSink sink;
  private final RuleOptions options;
  private final RuleMetrics metrics;
  private final Supplier<EvalContext> context;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final List<Set<Labels>> seriesInPreviousEval;
  private List<Labels> staleSeries = new ArrayList<>();
  private Thread thread;
  private boolean shouldRestore;
  private double evaluationSeconds;
  private Instant lastEvaluation;

  RuleGroup(RuleGroupSpec spec, long intervalMs, long queryOffsetMs, List<Rule> rules, Appendable appendable,
      Queryable queryable, AlertSink sink, RuleOptions options, RuleMetrics metrics, Supplier<EvalContext> context) {
    this.spec = spec;
    this.key = spec.file() + ";" + spec.name();
    this.intervalMs = intervalMs;
    this.queryOffsetMs = queryOffsetMs;
    this.rules = List.copyOf(rules);
    this.appendable = appendable;
    this.queryable = queryable;
    this.sink = sink;
    this.options = options;
    this.metrics = metrics;
    this.context = context;
    this.seriesInPreviousEval = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      seriesInPreviousEval.add(Set.of());
    }
  }

  /** Whether the definition is the same (then a reload keeps this group running untouched). */
  boolean sameDefinition(RuleGroup other) {
    return spec.equals(other.spec) && intervalMs == other.intervalMs && queryOffsetMs == other.queryOffsetMs;
  }

  /** The group's evaluation offset within its interval: a stable hash of file and name. */
  static long offsetMs(String file, String name, long intervalMs) {
    return Long.remainderUnsigned(Labels.of("file", file, "name", name).hash64(), intervalMs);
  }

  /** The latest evaluation slot at or before {@code nowMs}: a multiple of the interval plus the offset. */
  long evalTimestamp(long nowMs) {
    long offset = offsetMs(spec.file(), spec.name(), intervalMs);
    long adjusted = nowMs - offset;
    return adjusted - Math.floorMod(adjusted, intervalMs) + offset;
  }

  /**
   * Starts evaluating.
   *
   * @param restore whether to restore alerts' 'for' state from ALERTS_FOR_STATE after the second
   *     evaluation (groups loaded at startup)
   */
  void start(boolean restore) {
    shouldRestore = restore && rules.stream().anyMatch(r -> r instanceof AlertingRule);
    for (Rule r : rules) {
      if (r instanceof AlertingRule a) {
        a.setRestored(!shouldRestore);
      }
    }
    metrics.initGroup(key, intervalMs / 1000.0, rules.size());
    // the schedule is fixed now, not when the thread first runs, so that it follows the clock at load
    long firstEval = evalTimestamp(options.clock().nowMs()) + intervalMs;
    thread = Thread.ofVirtual().name("rule-group-" + spec.name()).start(() -> run(firstEval));
  }

  /** Stops the loop; an evaluation in progress finishes first. Blocks until the thread has ended. */
  void stop() {
    stop.countDown();
    if (thread != null) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private boolean sleepUntil(long deadlineMs) {
    try {
      return options.clock().sleepUntil(deadlineMs, stop);
    } catch (InterruptedException e) {
      return false;
    }
  }

  private void run(long firstEval) {
    long evalTs = firstEval;
    if (!sleepUntil(evalTs)) {
      return;
    }
    iterate(evalTs, false);
    if (shouldRestore) {
      // The first evaluation may lack the data recording rules provide: restore after the second.
      if (!sleepUntil(evalTs + intervalMs)) {
        return;
      }
      evalTs = next(evalTs);
      iterate(evalTs, true);
      shouldRestore = false;
    }
    while (sleepUntil(evalTs + intervalMs)) {
      evalTs = next(evalTs);
      iterate(evalTs, false);
    }
  }

  /** The next evaluation time after {@code evalTs}, counting slots missed by a slow evaluation. */
  private long next(long evalTs) {
    long missed = (options.clock().nowMs() - evalTs) / intervalMs - 1;
    if (missed > 0) {
      metrics.iterationsMissed.labelValues(key).inc(missed);
      metrics.iterationsScheduled.labelValues(key).inc(missed);
      log.warn("Rule group {} missed {} evaluations: evaluation takes longer than its interval", key, missed);
    }
    return evalTs + (Math.max(missed, 0) + 1) * intervalMs;
  }

  /** One evaluation; with {@code restore}, the 'for' state is restored right after it. */
  private void iterate(long evalTs, boolean restore) {
    metrics.iterationsScheduled.labelValues(key).inc();
    Instant start = Instant.ofEpochMilli(options.clock().nowMs());
    long t0 = System.nanoTime();
    double ruleSum = eval(evalTs);
    if (restore) {
      restoreForState(options.clock().nowMs());
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    metrics.iterationDuration.observe(seconds);
    metrics.groupLastDuration.labelValues(key).set(seconds);
    metrics.groupLastRuleDurationSum.labelValues(key).set(ruleSum);
    metrics.groupLastEvalTime.labelValues(key).set(evalTs / 1000.0);
    synchronized (this) {
      evaluationSeconds = seconds;
      lastEvaluation = start;
    }
  }

  /** Evaluates every rule once at {@code tsMs}; returns the sum of the rules' durations in seconds. */
  double eval(long tsMs) {
    EvalContext ctx = context.get();
    long sampleTs = tsMs - queryOffsetMs;
    double total = 0;
    long samples = 0;
    for (int i = 0; i < rules.size(); i++) {
      Rule rule = rules.get(i);
      Instant start = Instant.ofEpochMilli(options.clock().nowMs());
      long t0 = System.nanoTime();
      metrics.evalTotal.labelValues(key).inc();
      try {
        Vector v = rule.eval(tsMs, queryOffsetMs, spec.limit(), ctx);
        rule.recordSuccess();
        samples += v.size();
        if (rule instanceof AlertingRule a) {
          a.sendAlerts(tsMs, options.resendDelay().toMillis(), intervalMs, sink);
        }
        append(i, rule, v, sampleTs);
      } catch (RuleEvalException e) {
        rule.recordFailure(e.getMessage());
        metrics.evalFailures.labelValues(key).inc();
        log.warn("Evaluating rule failed: group {}, rule {}: {}", key, rule.name(), e.getMessage());
      } catch (RuntimeException e) {
        // never let one rule stop the group: report it like Prometheus reports evaluation errors
        rule.recordFailure(e.toString());
        metrics.evalFailures.labelValues(key).inc();
        log.error("Evaluating rule failed unexpectedly: group {}, rule {}", key, rule.name(), e);
      } finally {
        double seconds = (System.nanoTime() - t0) / 1e9;
        rule.recordTiming(seconds, start);
        metrics.evalDuration.observe(seconds);
        total += seconds;
      }
    }
    metrics.groupSamples.labelValues(key).set(samples);
    cleanupStaleSeries(sampleTs);
    return total;
  }

  /** Appends a rule's output and staleness markers for its vanished series, in one committed batch. */
  private void append(int index, Rule rule, Vector v, long ts) {
    Appender app = appendable.appender();
    Set<Labels> returned = new HashSet<>(v.size() * 2);
    Map<SampleRejectedException.Reason, Integer> rejected = new HashMap<>();
    try {
      for (int k = 0; k < v.size(); k++) {
        Labels l = v.labels().get(k);
        try {
          app.append(0, l, ts, v.values()[k]);
          returned.add(l);
        } catch (SampleRejectedException e) {
          rule.recordFailure(e.getMessage());
          rejected.merge(e.reason(), 1, Integer::sum);
        }
      }
      for (Labels previous : seriesInPreviousEval.get(index)) {
        if (!returned.contains(previous)) {
          try {
            app.append(0, previous, ts, StaleNaN.VALUE);
          } catch (SampleRejectedException e) {
            // expected when another rule wrote the series since
          }
        }
      }
      app.commit();
      seriesInPreviousEval.set(index, returned);
    } catch (RuntimeException e) {
      app.rollback();
      rule.recordFailure(e.getMessage() == null ? e.toString() : e.getMessage());
      metrics.evalFailures.labelValues(key).inc();
      log.warn("Rule sample appending failed: group {}, rule {}: {}", key, rule.name(), e.toString());
    }
    if (!rejected.isEmpty()) {
      log.warn("Rule evaluation results discarded: group {}, rule {}: {}", key, rule.name(), rejected);
    }
  }

  /** Staleness markers for series of rules that a reload removed (handed over by copyState). */
  private void cleanupStaleSeries(long ts) {
    if (staleSeries.isEmpty()) {
      return;
    }
    writeStaleMarkers(appendable, staleSeries, ts);
    staleSeries = new ArrayList<>();
  }

  static void writeStaleMarkers(Appendable appendable, List<Labels> series, long ts) {
    Appender app = appendable.appender();
    try {
      for (Labels l : series) {
        try {
          app.append(0, l, ts, StaleNaN.VALUE);
        } catch (SampleRejectedException e) {
          // already replaced by newer samples
        }
      }
      app.commit();
    } catch (RuntimeException e) {
      app.rollback();
      log.warn("Adding stale samples failed: {}", e.toString());
    }
  }

  /** Every series the rules wrote in their last evaluation (to mark stale when the group goes away). */
  List<Labels> lastSeries() {
    List<Labels> out = new ArrayList<>();
    seriesInPreviousEval.forEach(out::addAll);
    return out;
  }

  /**
   * Takes over another group's state for rules with the same name and labels (in order): their
   * last series, and the alerts of alerting rules. Series of rules that are gone become stale at
   * the next evaluation. Call before {@link #start}.
   */
  void copyState(RuleGroup from) {
    synchronized (from) {
      evaluationSeconds = from.evaluationSeconds;
      lastEvaluation = from.lastEvaluation;
    }
    Map<String, List<Integer>> byKey = new HashMap<>();
    for (int i = 0; i < from.rules.size(); i++) {
      byKey.computeIfAbsent(from.rules.get(i).key(), k -> new ArrayList<>()).add(i);
    }
    for (int i = 0; i < rules.size(); i++) {
      List<Integer> candidates = byKey.get(rules.get(i).key());
      if (candidates == null || candidates.isEmpty()) {
        continue;
      }
      int fi = candidates.removeFirst();
      seriesInPreviousEval.set(i, from.seriesInPreviousEval.get(fi));
      if (rules.get(i) instanceof AlertingRule a && from.rules.get(fi) instanceof AlertingRule fa) {
        a.copyAlertsFrom(fa);
      }
    }
    staleSeries = new ArrayList<>(from.staleSeries);
    for (List<Integer> unmatched : byKey.values()) {
      for (int fi : unmatched) {
        staleSeries.addAll(from.seriesInPreviousEval.get(fi));
      }
    }
  }

  /** Prometheus's RestoreForState: 'for' state of alerts from ALERTS_FOR_STATE written before a restart. */
  void restoreForState(long nowMs) {
    long mint = nowMs - options.outageTolerance().toMillis();
    try (Querier q = queryable.querier(mint, nowMs)) {
      for (Rule r : rules) {
        if (!(r instanceof AlertingRule rule)) {
          continue;
        }
        if (rule.holdMs() < options.forGracePeriod().toMillis() || !rule.hasActive()) {
          // a short 'for' would be lengthened by the grace period: let it run its course instead
          rule.setRestored(true);
          continue;
        }
        Map<Labels, double[]> last = new HashMap<>();
        SeriesSet set = q.select(false, null, Matcher.equal(Labels.METRIC_NAME, AlertingRule.ALERTS_FOR_STATE),
            Matcher.equal(AlertingRule.ALERT_NAME, rule.name()));
        SampleIterator it = null;
        while (set.next()) {
          Series s = set.at();
          it = s.iterator(it);
          double[] newest = null;
          while (it.next()) {
            newest = new double[] {it.atT(), it.atV()};
          }
          if (newest != null) {
            last.put(s.labels().withoutMetricName(), newest);
          }
        }
        rule.restore(last, nowMs, options.forGracePeriod().toMillis());
      }
    } catch (RuntimeException e) {
      log.error("Restoring 'for' state of group {} failed; alerts start their 'for' anew", key, e);
      rules.forEach(r -> {
        if (r instanceof AlertingRule a) {
          a.setRestored(true);
        }
      });
    }
  }

  RuleStatus.Group status() {
    List<RuleStatus.Rule> out = new ArrayList<>(rules.size());
    for (Rule r : rules) {
      out.add(r.status());
    }
    synchronized (this) {
      return new RuleStatus.Group(spec.name(), spec.file(), out, intervalMs / 1000.0, spec.limit(), evaluationSeconds,
          lastEvaluation);
    }
  }
}
