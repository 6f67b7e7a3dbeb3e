package io.vigil.notify;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.config.AlertmanagerConfig;
import io.vigil.config.Config;
import io.vigil.config.DiscoveryConfig;
import io.vigil.model.Labels;
import io.vigil.model.relabel.RelabelConfig;
import io.vigil.model.relabel.Relabeler;
import io.vigil.scrape.discovery.DiscoveryManager;
import io.vigil.scrape.discovery.DiscoveryMetrics;
import io.vigil.scrape.discovery.TargetGroup;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends alerts to Alertmanagers (Prometheus's notifier manager). {@link #applyConfig} takes the
 * {@code alerting} section and external labels of a configuration; Alertmanagers are found through
 * static_configs and file_sd_configs (re-read when the files change) and relabel_configs. Each
 * Alertmanager has its own bounded queue and sender, so a dead one does not delay the others.
 *
 * <p>{@link #send} never blocks on the network: it relabels (external labels added where missing,
 * then alert_relabel_configs) and queues. Thread-safe; {@link #close()} stops everything.
 */
public final class Notifier implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Notifier.class);

  private final NotifierOptions options;
  private final NotifierMetrics metrics;
  private final DiscoveryManager discovery;
  private final Map<String, AlertmanagerSet> sets = new LinkedHashMap<>();
  /** The last groups discovery reported per set key, for sets rebuilt with unchanged discovery. */
  private final Map<String, List<TargetGroup>> lastGroups = new HashMap<>();
  private Labels externalLabels = Labels.EMPTY;
  private List<RelabelConfig> alertRelabelConfigs = List.of();
  private boolean closed;

  /**
   * A notifier whose discovery metrics ({@code vigil_sd_*}, name "notify") are kept out of
   * {@code registry}, for processes where the scrape manager already registered them there.
   */
  public Notifier(NotifierOptions options, PrometheusRegistry registry) {
    this(options, registry, new DiscoveryMetrics(new PrometheusRegistry()));
  }

  /** A notifier that reports its discovery in {@code discoveryMetrics} under the name "notify". */
  public Notifier(NotifierOptions options, PrometheusRegistry registry, DiscoveryMetrics discoveryMetrics) {
    this.options = options;
    this.metrics = new NotifierMetrics(registry, options.queueCapacity(), this::activeCount);
    this.discovery = new DiscoveryManager("notify", options.discoveryUpdateInterval().toMillis(), discoveryMetrics,
        this::discovered);
  }

  /**
   * Applies a configuration: external labels, alert relabeling and the Alertmanager sets. Sets whose
   * configuration is unchanged keep their Alertmanagers and queues.
   *
   * @throws IllegalArgumentException when a set's HTTP client cannot be built (e.g. an unreadable
   *     CA file); the previous configuration then stays in force
   */
  public void applyConfig(Config cfg) {
    List<AlertmanagerConfig> configs = cfg.alerting().alertmanagers();
    Map<String, AlertmanagerSet> next = new LinkedHashMap<>();
    List<AlertmanagerSet> created = new ArrayList<>();
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("notifier is closed");
      }
      try {
        for (int i = 0; i < configs.size(); i++) {
          String key = "config-" + i;
          AlertmanagerConfig amc = configs.get(i);
          AlertmanagerSet old = sets.get(key);
          if (old != null && old.config().equals(amc)) {
            next.put(key, old);
            continue;
          }
          AlertmanagerSet set = new AlertmanagerSet(amc, new AlertmanagerClient(amc, options.userAgent(), key),
              options, metrics);
          created.add(set);
          next.put(key, set);
          if (old != null && old.config().serviceDiscoveryConfigs().equals(amc.serviceDiscoveryConfigs())
              && lastGroups.containsKey(key)) {
            set.sync(lastGroups.get(key)); // discovery keeps running unchanged and will not report again
          }
        }
      } catch (Exception e) {
        created.forEach(AlertmanagerSet::close);
        throw new IllegalArgumentException("error creating Alertmanager client: " + e.getMessage(), e);
      }
      List<AlertmanagerSet> retired = new ArrayList<>();
      for (var e : sets.entrySet()) {
        if (next.get(e.getKey()) != e.getValue()) {
          retired.add(e.getValue());
        }
      }
      sets.clear();
      sets.putAll(next);
      lastGroups.keySet().retainAll(next.keySet());
      externalLabels = cfg.global().externalLabels();
      alertRelabelConfigs = cfg.alerting().alertRelabelConfigs();
      Map<String, List<DiscoveryConfig>> sd = new LinkedHashMap<>();
      next.forEach((key, set) -> sd.put(key, set.config().serviceDiscoveryConfigs()));
      discovery.applyConfig(sd);
      retired.forEach(AlertmanagerSet::close);
    }
  }

  private void discovered(Map<String, List<TargetGroup>> update) {
    for (var e : update.entrySet()) {
      AlertmanagerSet set;
      synchronized (this) {
        set = sets.get(e.getKey());
        if (set == null) {
          continue;
        }
        lastGroups.put(e.getKey(), e.getValue());
      }
      set.sync(e.getValue());
    }
  }

  /**
   * Queues alerts for every Alertmanager. Returns at once; sending happens on the send loops.
   * Alerts are dropped (and counted) only when a queue overflows or every attempt fails.
   */
  public void send(List<Alert> alerts) {
    List<AlertmanagerSet> targets;
    List<Alert> relabeled;
    synchronized (this) {
      if (closed || alerts.isEmpty()) {
        return;
      }
      relabeled = relabel(alerts, alertRelabelConfigs, externalLabels);
      targets = List.copyOf(sets.values());
    }
    if (relabeled.isEmpty()) {
      return;
    }
    for (AlertmanagerSet s : targets) {
      s.send(relabeled);
    }
  }

  /** The Alertmanagers alerts currently go to, and those relabeling dropped. */
  public Alertmanagers alertmanagers() {
    List<String> active = new ArrayList<>();
    List<String> dropped = new ArrayList<>();
    synchronized (this) {
      for (AlertmanagerSet s : sets.values()) {
        active.addAll(s.activeUrls());
        dropped.addAll(s.droppedUrls());
      }
    }
    return new Alertmanagers(active, dropped);
  }

  private synchronized double activeCount() {
    return sets.values().stream().mapToInt(AlertmanagerSet::size).sum();
  }

  /**
   * Prometheus's {@code relabelAlerts}: each external label is added where the alert lacks it, then
   * the rules run; alerts they drop are left out.
   */
  static List<Alert> relabel(List<Alert> alerts, List<RelabelConfig> rules, Labels externalLabels) {
    if (rules.isEmpty() && externalLabels.isEmpty()) {
      return alerts;
    }
    List<Alert> out = new ArrayList<>(alerts.size());
    Labels.Builder b = new Labels.Builder();
    for (Alert a : alerts) {
      b.reset(a.labels());
      externalLabels.forEach((name, value) -> {
        if (!a.labels().has(name)) {
          b.set(name, value);
        }
      });
      if (Relabeler.process(b, rules)) {
        out.add(a.withLabels(b.build()));
      }
    }
    return out;
  }

  /**
   * Stops discovery and every send loop; queued alerts are sent first when
   * {@link NotifierOptions#drainOnShutdown()} is set (each batch one attempt).
   */
  @Override
  public void close() {
    List<AlertmanagerSet> all;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      all = List.copyOf(sets.values());
      sets.clear();
    }
    discovery.close();
    all.forEach(AlertmanagerSet::close);
    log.debug("notifier stopped");
  }
}
