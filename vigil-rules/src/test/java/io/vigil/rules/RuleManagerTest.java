package io.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.config.Config;
import io.vigil.config.ConfigLoader;
import io.vigil.promql.Engine;
import io.vigil.promql.EngineOptions;
import io.vigil.testkit.Fixtures;
import io.vigil.testkit.MemoryStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading rule files from a configuration: globs, intervals, failed reloads, the API snapshots. */
class RuleManagerTest {
  @TempDir
  Path dir;

  RuleManager manager(MemoryStorage storage) {
    return new RuleManager(new Engine(EngineOptions.DEFAULTS), storage, storage, AlertSink.NONE,
        RuleOptions.DEFAULTS.withClock(new ManualClock(RuleHarness.START)), new PrometheusRegistry());
  }

  Config config(String yaml) throws Exception {
    return new ConfigLoader().parse(yaml, "prometheus.yml", dir);
  }

  @Test
  void loadsTheFixtureRulesLikePrometheusShowsThem() throws Exception {
    Files.createDirectories(dir.resolve("rules"));
    Files.copy(Fixtures.fixture("prometheus-api/rules.yml"), dir.resolve("rules/backup.yml"));
    Files.writeString(dir.resolve("rules/other.yml"), "groups:\n  - name: other\n    interval: 2m\n    rules:\n"
        + "      - record: r\n        expr: vector(1)\n");
    try (RuleManager m = manager(new MemoryStorage())) {
      m.applyConfig(config("""
          global:
            evaluation_interval: 5s
          rule_files: ['rules/*.yml', 'missing.yml']
          """));
      List<RuleStatus.Group> groups = m.groups();
      assertThat(groups).extracting(RuleStatus.Group::name).containsExactly("vigil-backup", "other");
      RuleStatus.Group g = groups.getFirst();
      assertThat(g.file()).isEqualTo(dir.resolve("rules/backup.yml").toString());
      assertThat(g.intervalSeconds()).isEqualTo(5);
      assertThat(groups.get(1).intervalSeconds()).isEqualTo(120);
      assertThat(g.lastEvaluation()).isNull();
      assertThat(g.rules()).hasSize(3);
      assertThat(g.rules().getFirst()).isInstanceOfSatisfying(RuleStatus.Recording.class, r -> {
        assertThat(r.query()).isEqualTo("sum by (job) (up)");
        assertThat(r.health()).isEqualTo(RuleStatus.Health.UNKNOWN);
      });
      assertThat(g.rules().get(1)).isInstanceOfSatisfying(RuleStatus.Alerting.class, r -> {
        assertThat(r.name()).isEqualTo("BackupTooOld");
        assertThat(r.query()).isEqualTo("time() - restic_backup_last_success_timestamp_seconds > 3600");
        assertThat(r.durationSeconds()).isEqualTo(15);
        assertThat(r.state()).isEqualTo("inactive");
        assertThat(r.labels().get("severity")).isEqualTo("warning");
        assertThat(r.annotations().get("summary")).isEqualTo("Backup on {{ $labels.instance }} is too old");
      });
      assertThat(m.alerts()).isEmpty();
    }
  }

  @Test
  void aBrokenReloadKeepsThePreviousRules() throws Exception {
    Files.writeString(dir.resolve("a.yml"), "groups:\n  - name: a\n    rules:\n      - record: r\n        expr: vector(1)\n");
    try (RuleManager m = manager(new MemoryStorage())) {
      Config cfg = config("rule_files: ['*.yml']\n");
      m.applyConfig(cfg);
      Files.copy(Fixtures.fixture("prometheus-api/rules-broken-semantic.yml"), dir.resolve("b.yml"));
      assertThatThrownBy(() -> m.applyConfig(cfg)).isInstanceOfSatisfying(RuleLoadException.class,
          e -> assertThat(e.errors()).hasSize(5));
      assertThat(m.groups()).extracting(RuleStatus.Group::name).containsExactly("a");
    }
  }

  @Test
  void globsMatchTheLastComponentOnly() throws Exception {
    Files.createDirectories(dir.resolve("d"));
    for (String f : List.of("b.yml", "a.yml", "c.yaml", "x{y}.yml")) {
      Files.writeString(dir.resolve("d").resolve(f), "");
    }
    assertThat(RuleFiles.expand(List.of(dir.resolve("d/*.yml").toString(), dir.resolve("d/a.yml").toString(),
        dir.resolve("d/none.yml").toString(), dir.resolve("nodir/*.yml").toString())))
        .extracting(p -> p.getFileName().toString()).containsExactly("a.yml", "b.yml", "x{y}.yml");
    assertThat(RuleFiles.expand(List.of(dir.resolve("d/?.yaml").toString())))
        .extracting(p -> p.getFileName().toString()).containsExactly("c.yaml");
  }
}
