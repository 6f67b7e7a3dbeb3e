package io.vigil.rules;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.config.Config;
import io.vigil.model.LabelNames;
import io.vigil.model.Labels;
import io.vigil.promql.Engine;
import io.vigil.rules.template.AlertTemplate;
import io.vigil.rules.template.TemplateException;
import io.vigil.storage.Appendable;
import io.vigil.storage.Queryable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads rule files and runs their groups (Prometheus's rules.Manager). {@link #applyConfig} loads
 * the files the configuration's {@code rule_files} name; a reload keeps groups whose definition is
 * unchanged running untouched, and gives changed groups the state (alerts, last series) of their
 * rules with the same name and labels. Removed groups stop; their series are marked stale two
 * intervals later. Groups loaded at the first load restore their alerts' 'for' state. Thread-safe.
 */
public final class RuleManager implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RuleManager.class);

  private final Engine engine;
  private final Queryable queryable;
  private final Appendable appendable;
  private final AlertSink sink;
  private final RuleOptions options;
  private final RuleMetrics metrics;
  private final QueryRunner queries;
  private final RuleFileParser parser;
  private final Map<String, RuleGroup> groups = new LinkedHashMap<>();
  private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
  private volatile EvalContext context;
  private boolean restored;

  public RuleManager(Engine engine, Queryable queryable, Appendable appendable, AlertSink sink, RuleOptions options,
      PrometheusRegistry registry) {
    this.engine = engine;
    this.queryable = queryable;
    this.appendable = appendable;
    this.sink = sink;
    this.options = options;
    this.metrics = new RuleMetrics(registry);
    this.queries = new QueryRunner(engine, queryable);
    this.parser = new RuleFileParser(engine.options().parserOptions());
    this.context = new EvalContext(queries, Labels.EMPTY, options, metrics);
  }

  /**
   * Loads the rule files of a configuration with its global evaluation interval, rule query offset
   * and external labels.
   *
   * @throws RuleLoadException listing every problem; the previous rules keep running
   */
  public void applyConfig(Config cfg) throws RuleLoadException {
    update(cfg.ruleFiles(), cfg.global().evaluationInterval().millis(), cfg.global().ruleQueryOffset().millis(),
        cfg.global().externalLabels());
  }

  /**
   * Loads rule files (glob patterns as in rule_files).
   *
   * @param intervalMs evaluation interval of groups without their own
   * @param queryOffsetMs query offset of groups without their own
   * @throws RuleLoadException listing every problem; the previous rules keep running
   */
  public void update(List<String> patterns, long intervalMs, long queryOffsetMs, Labels externalLabels)
      throws RuleLoadException {
    if (intervalMs <= 0) {
      throw new IllegalArgumentException("evaluation interval must be positive");
    }
    List<RuleFileError> errors = new ArrayList<>();
    Map<String, RuleGroup> loaded = new LinkedHashMap<>();
    for (Path file : RuleFiles.expand(patterns)) {
      RuleFile rf = new RuleChecker(engine.options().parserOptions()).checkFile(file);
      errors.addAll(rf.errors());
      for (RuleGroupSpec g : rf.groups()) {
        RuleGroup group = build(g, intervalMs, queryOffsetMs, errors);
        if (group != null) {
          loaded.put(group.key, group);
        }
      }
    }
    if (!errors.isEmpty()) {
      throw new RuleLoadException(errors);
    }
    List<RuleGroup> toStop = new ArrayList<>();
    List<RuleGroup> removed = new ArrayList<>();
    synchronized (this) {
      if (closed.getCount() == 0) {
        throw new IllegalStateException("rule manager is closed");
      }
      context = new EvalContext(queries, externalLabels, options, metrics);
      Map<String, RuleGroup> next = new LinkedHashMap<>();
      for (var e : loaded.entrySet()) {
        RuleGroup fresh = e.getValue();
        RuleGroup old = groups.get(e.getKey());
        if (old != null && old.sameDefinition(fresh)) {
          next.put(e.getKey(), old);
          continue;
        }
        if (old != null) {
          old.stop();
          fresh.copyState(old);
        }
        fresh.start(!restored);
        next.put(e.getKey(), fresh);
      }
      for (var e : groups.entrySet()) {
        if (!next.containsKey(e.getKey())) {
          toStop.add(e.getValue());
          removed.add(e.getValue());
        }
      }
      groups.clear();
      groups.putAll(next);
      restored = true;
    }
    for (RuleGroup g : toStop) {
      g.stop();
      metrics.removeGroup(g.key);
      markStaleLater(g);
    }
    log.info("Rule manager loaded {} groups ({} removed)", loaded.size(), removed.size());
  }

  /** Builds a group's runtime rules, group labels underneath each rule's own. */
  private RuleGroup build(RuleGroupSpec g, long defaultIntervalMs, long defaultOffsetMs, List<RuleFileError> errors) {
    List<Rule> rules = new ArrayList<>();
    for (RuleSpec r : g.rules()) {
      Labels.Builder b = new Labels.Builder(g.labels());
      r.labels().forEach(b::set);
      Labels labels = b.build();
      switch (r) {
        case RuleSpec.Recording rec -> rules.add(new RecordingRule(rec, labels));
        case RuleSpec.Alerting al -> {
          Map<String, AlertTemplate> templates = new TreeMap<>(al.labelTemplates());
          for (int i = 0; i < g.labels().size(); i++) {
            String name = g.labels().name(i);
            if (!templates.containsKey(name)) {
              try {
                templates.put(name, AlertTemplate.compile(al.name(), g.labels().value(i)));
              } catch (TemplateException e) {
                errors.add(RuleFileError.unpositioned(g.file(), "group " + LabelNames.quote(g.name())
                    + ", rule " + LabelNames.quote(al.name()) + ": group label " + LabelNames.quote(name) + ": "
                    + e.getMessage()));
                return null;
              }
            }
          }
          rules.add(new AlertingRule(al, labels, templates, options.externalUrl()));
        }
      }
    }
    long interval = g.intervalMs() > 0 ? g.intervalMs() : defaultIntervalMs;
    long offset = g.queryOffsetMs() >= 0 ? g.queryOffsetMs() : defaultOffsetMs;
    return new RuleGroup(g, interval, offset, rules, appendable, queryable, sink, options, metrics,
        () -> context);
  }

  /** Prometheus waits two intervals (for renamed rules to take over their series) before marking stale. */
  private void markStaleLater(RuleGroup g) {
    List<Labels> series = g.lastSeries();
    if (series.isEmpty()) {
      return;
    }
    long at = options.clock().nowMs() + 2 * g.intervalMs;
    Thread.ofVirtual().name("rule-stale-" + g.spec.name()).start(() -> {
      try {
        if (options.clock().sleepUntil(at, closed)) {
          RuleGroup.writeStaleMarkers(appendable, series, options.clock().nowMs());
        }
      } catch (InterruptedException e) {
        // shutting down
      }
    });
  }

  /**
   * Evaluates every loaded group once at {@code tsMs}, on the calling thread, exactly as its own
   * schedule would (rules in order, outputs appended, alerts sent). For rule unit tests and
   * benchmarks; use it with a clock that does not advance, so that the groups' own threads stay idle.
   */
  public void evaluateAll(long tsMs) {
    List<RuleGroup> snapshot;
    synchronized (this) {
      snapshot = List.copyOf(groups.values());
    }
    for (RuleGroup g : snapshot) {
      g.eval(tsMs);
    }
  }

  /** The groups in file order with their rules' state. */
  public List<RuleStatus.Group> groups() {
    List<RuleGroup> snapshot;
    synchronized (this) {
      snapshot = List.copyOf(groups.values());
    }
    List<RuleStatus.Group> out = new ArrayList<>(snapshot.size());
    for (RuleGroup g : snapshot) {
      out.add(g.status());
    }
    return out;
  }

  /** Every pending and firing alert of every alerting rule. */
  public List<RuleStatus.Alert> alerts() {
    List<RuleStatus.Alert> out = new ArrayList<>();
    for (RuleStatus.Group g : groups()) {
      for (RuleStatus.Rule r : g.rules()) {
        if (r instanceof RuleStatus.Alerting a) {
          out.addAll(a.alerts());
        }
      }
    }
    return out;
  }

  /** Stops every group (evaluations in progress finish first). */
  @Override
  public void close() {
    List<RuleGroup> all;
    synchronized (this) {
      if (closed.getCount() == 0) {
        return;
      }
      closed.countDown();
      all = List.copyOf(groups.values());
      groups.clear();
    }
    all.forEach(RuleGroup::stop);
  }
}
