package io.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.model.Labels;
import io.vigil.notify.Alert;
import io.vigil.notify.MetricValues;
import io.vigil.promql.Engine;
import io.vigil.promql.EngineOptions;
import io.vigil.promql.Result;
import io.vigil.promql.Vector;
import io.vigil.storage.Appender;
import io.vigil.storage.Storage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A rule manager on a storage with a manual clock, a capturing alert sink and helpers to write
 * samples, step through evaluation slots and query the results (tests only).
 */
final class RuleHarness implements AutoCloseable {
  static final long START = 1_800_000_000_000L; // a fixed "now" in 2027
  final Storage storage;
  final ManualClock clock;
  final Engine engine = new Engine(EngineOptions.DEFAULTS);
  final PrometheusRegistry registry = new PrometheusRegistry();
  final List<List<Alert>> sent = new ArrayList<>();
  final Path dir;
  final long intervalMs;
  RuleManager manager;

  RuleHarness(Storage storage, Path dir, long intervalMs, long startMs) {
    this.storage = storage;
    this.dir = dir;
    this.intervalMs = intervalMs;
    this.clock = new ManualClock(startMs);
  }

  RuleOptions options() {
    return RuleOptions.DEFAULTS.withClock(clock).withExternalUrl("http://vigil.example:9090/");
  }

  /** Writes rules.yml and loads it. */
  RuleHarness load(String rulesYaml) throws RuleLoadException {
    write("rules.yml", rulesYaml);
    if (manager == null) {
      manager = new RuleManager(engine, storage, storage, this::capture, options(), registry);
    }
    manager.update(List.of(dir.resolve("*.yml").toString()), intervalMs, 0, Labels.of("monitor", "vigil"));
    return this;
  }

  /** Loads rule files by glob pattern (e.g. the shipped backup pack). */
  RuleHarness loadPattern(String pattern) throws RuleLoadException {
    if (manager == null) {
      manager = new RuleManager(engine, storage, storage, this::capture, options(), registry);
    }
    manager.update(List.of(pattern), intervalMs, 0, Labels.of("monitor", "vigil"));
    return this;
  }

  /** The first evaluation slot of a loaded group at or after {@code t}. */
  long slotAtOrAfter(String group, long t) {
    long offset = RuleGroup.offsetMs(group(group).file(), group, intervalMs);
    long adjusted = t - offset;
    long floor = adjusted - Math.floorMod(adjusted, intervalMs) + offset;
    return floor >= t ? floor : floor + intervalMs;
  }

  void write(String name, String text) {
    try {
      Files.writeString(dir.resolve(name), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private synchronized void capture(List<Alert> alerts) {
    sent.add(List.copyOf(alerts));
  }

  synchronized List<List<Alert>> sent() {
    return List.copyOf(sent);
  }

  synchronized void clearSent() {
    sent.clear();
  }

  String file() {
    return dir.resolve("rules.yml").toString();
  }

  /** The k-th evaluation slot of group {@code name} after the manager started at {@link #START}-like time. */
  long slot(String group, long startMs, int k) {
    long offset = RuleGroup.offsetMs(file(), group, intervalMs);
    long adjusted = startMs - offset;
    long first = adjusted - Math.floorMod(adjusted, intervalMs) + offset + intervalMs;
    return first + k * intervalMs;
  }

  /** Appends one sample now-ish. */
  void set(Labels series, long tMs, double v) {
    Appender app = storage.appender();
    app.append(series, tMs, v);
    app.commit();
  }

  /**
   * Moves the clock to {@code t} and waits until the group has evaluated at it. Waits on the
   * evaluation timestamp (the group's last_evaluation_timestamp metric), not on the start time of
   * the last evaluation: a group catching up on a missed slot starts it after the clock moved on.
   */
  void evaluateAt(String group, long t) {
    clock.advanceTo(t);
    String key = group(group).file() + ";" + group;
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      double last = MetricValues.value(registry, "vigil_rule_group_last_evaluation_timestamp_seconds", "rule_group",
          key);
      RuleStatus.Group g = group(group);
      if (last >= t / 1000.0 && g.lastEvaluation() != null) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("group " + group + " did not evaluate at " + t + ": " + g);
      }
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  RuleStatus.Group group(String name) {
    return manager.groups().stream().filter(g -> g.name().equals(name)).findFirst().orElse(null);
  }

  RuleStatus.Rule rule(String group, String name) {
    return group(group).rules().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
  }

  /** An instant query on the storage. */
  Vector query(String q, long tMs) {
    Result r = engine.instantQuery(storage, q, tMs).execute();
    return (Vector) r.value();
  }

  List<String> seriesAt(String q, long tMs) {
    Vector v = query(q, tMs);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      out.add(v.labels().get(i) + " " + v.values()[i]);
    }
    return out;
  }

  static void assertNoneSent(RuleHarness h) {
    assertThat(h.sent()).isEmpty();
  }

  @Override
  public void close() {
    if (manager != null) {
      manager.close();
    }
  }
}
