package io.vigil.notify;

import io.vigil.config.AlertmanagerConfig;
import io.vigil.model.Labels;
import io.vigil.model.relabel.Relabeler;
import io.vigil.scrape.discovery.TargetGroup;
import io.vigil.scrape.discovery.TargetLabels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Alertmanagers of one {@code alerting.alertmanagers} entry (Prometheus's
 * {@code alertmanagerSet}): turns discovered target groups into alert-receiving URLs through the
 * entry's relabel_configs, keeps one {@link SendLoop} per distinct URL, and applies the entry's
 * alert_relabel_configs to what it is given. Thread-safe.
 */
final class AlertmanagerSet implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AlertmanagerSet.class);
  static final String ALERTS_PATH = "__alerts_path__";

  private final AlertmanagerConfig cfg;
  private final AlertmanagerClient client;
  private final NotifierOptions options;
  private final NotifierMetrics metrics;
  private final Map<String, SendLoop> loops = new LinkedHashMap<>();
  private List<String> dropped = List.of();
  private boolean closed;

  AlertmanagerSet(AlertmanagerConfig cfg, AlertmanagerClient client, NotifierOptions options, NotifierMetrics metrics) {
    this.cfg = cfg;
    this.client = client;
    this.options = options;
    this.metrics = metrics;
  }

  AlertmanagerConfig config() {
    return cfg;
  }

  /** The URLs of one target group: active ones first, then dropped ones (as built before relabeling). */
  record Urls(List<String> active, List<String> dropped) {}

  /**
   * Prometheus's {@code AlertmanagerFromGroup}: each target gets {@code __scheme__} and
   * {@code __alerts_path__} from the configuration and the group's labels (its own win), then the
   * relabel rules. A group holding an address with a '/' is rejected as a whole.
   *
   * @throws IllegalArgumentException when an address is not a valid host[:port]
   */
  static Urls urls(TargetGroup group, AlertmanagerConfig cfg) {
    List<String> active = new ArrayList<>();
    List<String> droppedUrls = new ArrayList<>();
    String alertsPath = postPath(cfg.pathPrefix());
    for (Labels target : group.targets()) {
      Labels.Builder b = new Labels.Builder(target);
      b.set(TargetLabels.SCHEME, cfg.scheme());
      b.set(ALERTS_PATH, alertsPath);
      group.labels().forEach((name, value) -> {
        if (!target.has(name)) {
          b.set(name, value);
        }
      });
      Labels before = b.build();
      Labels after = Relabeler.process(before, cfg.relabelConfigs());
      if (after == null) {
        droppedUrls.add(url(before));
        continue;
      }
      String address = after.get(TargetLabels.ADDRESS);
      if (address.contains("/")) {
        throw new IllegalArgumentException("\"" + address + "\" is not a valid hostname");
      }
      active.add(url(after));
    }
    return new Urls(active, droppedUrls);
  }

  private static String url(Labels l) {
    return l.get(TargetLabels.SCHEME) + "://" + l.get(TargetLabels.ADDRESS) + l.get(ALERTS_PATH);
  }

  /** Go's {@code path.Join("/", prefix, "/api/v2/alerts")}: one leading slash, no empty or dot segments. */
  static String postPath(String prefix) {
    List<String> parts = new ArrayList<>();
    for (String s : (prefix + "/api/" + AlertmanagerConfig.API_V2 + "/alerts").split("/")) {
      if (s.isEmpty() || s.equals(".")) {
        continue;
      }
      if (s.equals("..")) {
        if (!parts.isEmpty()) {
          parts.removeLast();
        }
        continue;
      }
      parts.add(s);
    }
    return "/" + String.join("/", parts);
  }

  /** Replaces the Alertmanagers with those of the given groups; loops of unchanged URLs keep running. */
  void sync(List<TargetGroup> groups) {
    Set<String> active = new LinkedHashSet<>();
    List<String> droppedUrls = new ArrayList<>();
    for (TargetGroup g : groups) {
      try {
        Urls u = urls(g, cfg);
        active.addAll(u.active());
        droppedUrls.addAll(u.dropped());
      } catch (IllegalArgumentException e) {
        log.error("Creating discovered Alertmanagers failed: {}", e.getMessage());
      }
    }
    List<SendLoop> stopping = new ArrayList<>();
    synchronized (this) {
      if (closed) {
        return;
      }
      for (var it = loops.entrySet().iterator(); it.hasNext(); ) {
        var e = it.next();
        if (!active.contains(e.getKey())) {
          stopping.add(e.getValue());
          it.remove();
        }
      }
      for (String url : active) {
        loops.computeIfAbsent(url, u -> new SendLoop(u, client, options, metrics));
      }
      dropped = List.copyOf(droppedUrls);
    }
    stopping.forEach(l -> l.stop(false));
  }

  /** Queues alerts (after this entry's alert relabeling) on every Alertmanager of the set. */
  void send(List<Alert> alerts) {
    List<Alert> relabeled = cfg.alertRelabelConfigs().isEmpty() ? alerts
        : Notifier.relabel(alerts, cfg.alertRelabelConfigs(), Labels.EMPTY);
    if (relabeled.isEmpty()) {
      return;
    }
    List<SendLoop> targets;
    synchronized (this) {
      targets = List.copyOf(loops.values());
    }
    for (SendLoop l : targets) {
      l.add(relabeled);
    }
  }

  synchronized List<String> activeUrls() {
    return List.copyOf(loops.keySet());
  }

  synchronized List<String> droppedUrls() {
    return dropped;
  }

  synchronized int size() {
    return loops.size();
  }

  /** Stops every send loop (draining queues when configured) and the HTTP client. */
  @Override
  public void close() {
    List<SendLoop> all;
    synchronized (this) {
      closed = true;
      all = List.copyOf(loops.values());
      loops.clear();
    }
    all.forEach(l -> l.stop(options.drainOnShutdown()));
    client.close();
  }
}
