package io.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Labels;
import io.vigil.notify.Alert;
import io.vigil.promql.parser.ParserOptions;
import io.vigil.storage.Appender;
import io.vigil.testkit.MemoryStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.LongToDoubleFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backup alert pack shipped in rules/backup: every rule fires on realistic data (restic runs of
 * the fixtures pushed as gauges, exporter metrics with their real names and labels) and resolves
 * when the cause goes away, evaluated by the rule manager on a manual clock.
 */
class BackupPackTest {
  static final long MIN = 60_000;
  static final long HOUR = 60 * MIN;
  static final long SCRAPE = 15_000;
  @TempDir
  Path dir;
  RuleHarness h;
  long t0;

  static Path pack() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("rules/backup"))) {
        return p.resolve("rules/backup");
      }
    }
    throw new IllegalStateException("rules/backup not found above " + Path.of("").toAbsolutePath());
  }

  @BeforeEach
  void load() throws Exception {
    h = new RuleHarness(new MemoryStorage(), dir, MIN, RuleHarness.START);
    h.loadPattern(pack().resolve("*.yml").toString());
    t0 = RuleHarness.START;
  }

  @AfterEach
  void close() {
    h.close();
  }

  /** Scrapes of one series every 15 s from {@code from} to {@code to}, values from {@code value}. */
  void scrape(Labels series, long from, long to, LongToDoubleFunction value) {
    Appender app = h.storage.appender();
    for (long t = from; t <= to; t += SCRAPE) {
      app.append(series, t, value.applyAsDouble(t));
    }
    app.commit();
  }

  /** Evaluates group {@code g} at its first slot at or after {@code t}; returns that slot. */
  long eval(String group, long t) {
    long slot = h.slotAtOrAfter(group, t);
    h.evaluateAt(group, slot);
    return slot;
  }

  RuleStatus.Alerting rule(String group, String name) {
    return (RuleStatus.Alerting) h.rule(group, name);
  }

  List<Alert> sentFor(String alertname) {
    return h.sent().stream().flatMap(List::stream).filter(a -> a.name().equals(alertname)).toList();
  }

  @Test
  void thePackLoadsAndEveryRuleHasSummaryAndDescription() {
    assertThat(h.manager.groups()).extracting(RuleStatus.Group::name)
        .containsExactlyInAnyOrder("kasten", "kubedr", "restic-push", "stash", "velero");
    RuleChecker checker = new RuleChecker(ParserOptions.DEFAULT);
    for (RuleStatus.Group g : h.manager.groups()) {
      assertThat(checker.checkFile(Path.of(g.file())).ok()).isTrue();
      for (RuleStatus.Rule r : g.rules()) {
        if (r instanceof RuleStatus.Alerting a) {
          assertThat(a.annotations().names()).as(a.name()).containsExactly("description", "summary");
          assertThat(a.labels().get("severity")).as(a.name()).isIn("critical", "warning");
        }
      }
    }
  }

  @Test
  void kastenFailedAction() {
    Labels failed = Labels.of("__name__", "catalog_actions_count", "app", "mysql", "policy", "mysql-backup",
        "status", "failed", "type", "BackupAction");
    Labels ok = Labels.of("__name__", "catalog_actions_count", "app", "mysql", "policy", "mysql-backup",
        "status", "succeeded", "type", "BackupAction");
    long failureAt = t0 + 20 * MIN;
    scrape(failed, t0, t0 + 45 * MIN, t -> t < failureAt ? 3 : 4);
    scrape(ok, t0, t0 + 45 * MIN, t -> 100 + (t - t0) / HOUR); // successes keep counting: no alert
    eval("kasten", t0 + 15 * MIN);
    assertThat(rule("kasten", "KastenActionFailed").state()).isEqualTo("inactive");
    eval("kasten", failureAt + 2 * MIN);
    RuleStatus.Alerting r = rule("kasten", "KastenActionFailed");
    assertThat(r.state()).isEqualTo("firing");
    assertThat(r.alerts()).singleElement().satisfies(a -> {
      assertThat(a.labels().get("status")).isEqualTo("failed");
      assertThat(a.annotations().get("summary")).isEqualTo("Kasten BackupAction action failed for mysql");
    });
    eval("kasten", failureAt + 12 * MIN);
    assertThat(rule("kasten", "KastenActionFailed").state()).isEqualTo("inactive");
    assertThat(sentFor("KastenActionFailed")).hasSize(2).last().satisfies(a -> assertThat(a.endsAt()).isNotNull());
  }

  @Test
  void kastenCatalogVolumeMoreThanHalfUsed() {
    Labels free = Labels.of("__name__", "catalog_persistent_volume_free_space_percent", "job", "k10");
    long fillsAt = t0 + 10 * MIN;
    long expandedAt = t0 + 40 * MIN;
    scrape(free, t0, t0 + HOUR, t -> t < fillsAt ? 62 : t < expandedAt ? 45 : 81);
    eval("kasten", t0 + 5 * MIN);
    assertThat(rule("kasten", "KastenCatalogVolumeFilling").state()).isEqualTo("inactive");
    long first = eval("kasten", fillsAt + MIN);
    assertThat(rule("kasten", "KastenCatalogVolumeFilling").state()).isEqualTo("pending");
    eval("kasten", first + 15 * MIN);
    RuleStatus.Alerting r = rule("kasten", "KastenCatalogVolumeFilling");
    assertThat(r.state()).isEqualTo("firing");
    assertThat(r.alerts().getFirst().annotations().get("summary")).isEqualTo("Kasten catalog volume is 55% used");
    eval("kasten", expandedAt + MIN);
    assertThat(rule("kasten", "KastenCatalogVolumeFilling").state()).isEqualTo("inactive");
  }

  @Test
  void stashFailedSession() {
    PushedGroup nginx = new PushedGroup("job", "demo-deployment-backup", "app", "nginx");
    nginx.push(t0, Map.of("restic_session_success", 0.0, "restic_session_fail", 1.0,
        "restic_session_duration_seconds_total", 42.0)).sample(h.storage, t0, t0 + 30 * MIN, SCRAPE);
    eval("stash", t0 + MIN);
    RuleStatus.Alerting r = rule("stash", "StashBackupSessionFailed");
    assertThat(r.state()).isEqualTo("firing");
    assertThat(r.alerts().getFirst().annotations().get("summary")).isEqualTo("Stash backup of nginx failed");
    long next = t0 + 31 * MIN;
    nginx.push(next, Map.of("restic_session_success", 1.0, "restic_session_fail", 0.0,
        "restic_session_duration_seconds_total", 40.0)).sample(h.storage, next, next + 10 * MIN, SCRAPE);
    eval("stash", next + MIN);
    assertThat(rule("stash", "StashBackupSessionFailed").state()).isEqualTo("inactive");
  }

  @Test
  void kubedrFailedBackup() {
    Labels failures = Labels.of("__name__", "kubedr_num_failed_backups", "policyName", "cluster-backup");
    long failedAt = t0 + 2 * HOUR;
    scrape(failures, t0, t0 + 4 * HOUR, t -> t < failedAt ? 0 : 1);
    eval("kubedr", t0 + HOUR + 30 * MIN);
    assertThat(rule("kubedr", "KubeDRBackupFailed").state()).isEqualTo("inactive");
    eval("kubedr", failedAt + 5 * MIN);
    RuleStatus.Alerting r = rule("kubedr", "KubeDRBackupFailed");
    assertThat(r.state()).isEqualTo("firing");
    assertThat(r.alerts().getFirst().annotations().get("summary")).isEqualTo("KubeDR backup of policy cluster-backup failed");
    eval("kubedr", failedAt + HOUR + 5 * MIN);
    assertThat(rule("kubedr", "KubeDRBackupFailed").state()).isEqualTo("inactive");
  }

  @Test
  void kubedrSlowBackups() {
    // hourly backups of 4 minutes, six of 1h 23m, then 4 minutes again; the histogram's buckets as KubeDR has them
    double[] le = {15, 30, 60, 300, 600, 900, 1800, 3600, 7200, 10800, 14400, 18000, 21600, 25200, 28800, 32400,
        36000, Double.POSITIVE_INFINITY};
    long slowFrom = t0 + 12 * HOUR;
    long slowTo = t0 + 18 * HOUR;
    LongToDoubleFunction duration = t -> t >= slowFrom && t < slowTo ? 5000 : 240;
    for (double bound : le) {
      Labels bucket = Labels.of("__name__", "kubedr_backup_duration_seconds_bucket", "le",
          bound == Double.POSITIVE_INFINITY ? "+Inf" : io.vigil.promql.parser.GoFloat.formatF(bound),
          "policyName", "cluster-backup");
      Appender app = h.storage.appender();
      double count = 0;
      for (long t = t0; t <= t0 + 26 * HOUR; t += 5 * MIN) {
        if ((t - t0) % HOUR == 0 && duration.applyAsDouble(t) <= bound) {
          count++; // a backup finished
        }
        app.append(bucket, t, count);
      }
      app.commit();
    }
    eval("kubedr", t0 + 11 * HOUR);
    assertThat(rule("kubedr", "KubeDRBackupSlow").state()).isEqualTo("inactive");
    eval("kubedr", slowTo - 5 * MIN);
    RuleStatus.Alerting r = rule("kubedr", "KubeDRBackupSlow");
    assertThat(r.state()).isEqualTo("firing");
    assertThat(r.alerts().getFirst().value()).isGreaterThan(3600);
    assertThat(r.alerts().getFirst().annotations().get("summary")).startsWith("KubeDR backups of policy cluster-backup take 1h ");
    eval("kubedr", slowTo + 6 * HOUR + 10 * MIN);
    assertThat(rule("kubedr", "KubeDRBackupSlow").state()).isEqualTo("inactive");
  }

  @Test
  void veleroFailedBackup() {
    Labels failures = Labels.of("__name__", "velero_backup_failure_total", "schedule", "daily");
    long failedAt = t0 + 3 * HOUR;
    scrape(failures, t0, t0 + 5 * HOUR, t -> t < failedAt ? 2 : 3); // two old failures: months of uptime
    eval("velero", t0 + 2 * HOUR);
    assertThat(rule("velero", "VeleroBackupFailed").state()).isEqualTo("inactive");
    eval("velero", failedAt + MIN);
    assertThat(rule("velero", "VeleroBackupFailed").state()).isEqualTo("firing");
    assertThat(rule("velero", "VeleroBackupFailed").alerts().getFirst().annotations().get("summary"))
        .isEqualTo("Velero backup of schedule daily failed");
    eval("velero", failedAt + HOUR + 2 * MIN);
    assertThat(rule("velero", "VeleroBackupFailed").state()).isEqualTo("inactive");
  }

  @Test
  void veleroLastSuccessTooOld() {
    Labels daily = Labels.of("__name__", "velero_backup_last_successful_timestamp", "schedule", "daily");
    Labels manual = Labels.of("__name__", "velero_backup_last_successful_timestamp", "schedule", "");
    long lastSuccess = t0 - HOUR;
    long recovered = t0 + 26 * HOUR;
    for (long t = t0; t <= t0 + 27 * HOUR; t += 5 * MIN) {
      long tt = t;
      scrape(daily, t, t, x -> (tt < recovered ? lastSuccess : recovered) / 1000.0);
      scrape(manual, t, t, x -> (t0 - 90 * 24 * HOUR) / 1000.0); // a hand-made backup months ago: ignored
    }
    eval("velero", t0 + 10 * MIN);
    assertThat(rule("velero", "VeleroBackupTooOld").state()).isEqualTo("inactive");
    eval("velero", lastSuccess + 25 * HOUR + 5 * MIN);
    RuleStatus.Alerting r = rule("velero", "VeleroBackupTooOld");
    assertThat(r.state()).isEqualTo("firing");
    assertThat(r.alerts()).singleElement().satisfies(a -> {
      assertThat(a.labels().get("schedule")).isEqualTo("daily");
      assertThat(a.annotations().get("summary")).startsWith("No successful Velero backup of schedule daily for 1d 1h ");
    });
    eval("velero", recovered + 5 * MIN);
    assertThat(rule("velero", "VeleroBackupTooOld").state()).isEqualTo("inactive");
  }

  @Test
  void resticJobThatStoppedPushing() {
    ResticRun run = ResticRun.load("backup-1-initial");
    PushedGroup host1 = new PushedGroup("job", "restic", "instance", "host1", "repo", "s3:bucket/path");
    PushedGroup host2 = new PushedGroup("job", "restic", "instance", "host2");
    long pushed = t0 - HOUR;
    host1.push(pushed, run.gauges(pushed / 1000.0, 1));
    // host2 runs hourly and says so: it pushes its own limit of one hour and a half
    Map<String, Double> hourly = new java.util.HashMap<>(run.gauges(pushed / 1000.0, 1));
    hourly.put("backup_max_age_seconds", 5400.0);
    host2.push(t0 - 2 * HOUR, hourly);
    host1.sample(h.storage, t0 - HOUR, t0 + 26 * HOUR, 5 * MIN);
    host2.sample(h.storage, t0 - 2 * HOUR, t0 + 26 * HOUR, 5 * MIN);
    eval("restic-push", t0);
    assertThat(rule("restic-push", "BackupNotPushed").alerts()).singleElement().satisfies(a -> {
      assertThat(a.labels().get("instance")).isEqualTo("host2");
      assertThat(a.annotations().get("summary")).startsWith("Backup job restic on host2 has not pushed for 2h 0m ");
      assertThat(a.annotations().get("description")).contains("longer than its allowed 1h 30m 0s");
    });
    long late = eval("restic-push", pushed + 26 * HOUR + MIN);
    RuleStatus.Alerting r = rule("restic-push", "BackupNotPushed");
    assertThat(r.alerts()).extracting(a -> a.labels().get("instance")).containsExactly("host1", "host2");
    assertThat(r.alerts().getFirst().annotations().get("description")).contains("longer than its allowed 1d 2h 0m 0s");
    // host1 pushes again
    ResticRun next = ResticRun.load("backup-2-unchanged");
    host1.push(late + MIN, next.gauges((late + MIN) / 1000.0, 1)).sample(h.storage, late + MIN, late + 10 * MIN, MIN);
    eval("restic-push", late + 2 * MIN);
    assertThat(rule("restic-push", "BackupNotPushed").alerts()).extracting(a -> a.labels().get("instance"))
        .containsExactly("host2");
  }

  @Test
  void resticPushRejected() {
    ResticRun run = ResticRun.load("backup-3-changed");
    PushedGroup g = new PushedGroup("job", "restic", "instance", "host1", "repo", "s3:bucket/path");
    g.push(t0, run.gauges(t0 / 1000.0, 1)).sample(h.storage, t0, t0 + 10 * MIN, MIN);
    eval("restic-push", t0 + 5 * MIN);
    assertThat(rule("restic-push", "BackupPushFailed").state()).isEqualTo("inactive");
    long rejected = t0 + 11 * MIN; // e.g. a conflicting TYPE line: 400, push_failure_time_seconds moves
    g.fail(rejected).sample(h.storage, rejected, rejected + 20 * MIN, MIN);
    eval("restic-push", rejected + MIN);
    RuleStatus.Alerting r = rule("restic-push", "BackupPushFailed");
    assertThat(r.state()).isEqualTo("firing");
    assertThat(r.alerts().getFirst().annotations().get("summary"))
        .isEqualTo("The last push of restic on host1 was rejected");
    long fixed = rejected + 21 * MIN;
    g.push(fixed, run.gauges(fixed / 1000.0, 1)).sample(h.storage, fixed, fixed + 5 * MIN, MIN);
    eval("restic-push", fixed + MIN);
    assertThat(rule("restic-push", "BackupPushFailed").state()).isEqualTo("inactive");
  }

  @Test
  void resticBackupMuchSlowerThanItsWeek() {
    // a week of nightly runs from the fixtures (durations x100: a data set a hundred times larger), then the
    // upload-throttled run (backup-9, 4.3 s -> 431 s), then a normal night again
    List<ResticRun> week = List.of("backup-1-initial", "backup-2-unchanged", "backup-3-changed",
        "backup-6-partial-missing-path", "backup-8-read-error-incomplete", "backup-2-unchanged", "backup-3-changed")
        .stream().map(ResticRun::load).toList();
    PushedGroup g = new PushedGroup("job", "restic", "instance", "host1", "repo", "s3:bucket/path");
    long day = 24 * HOUR;
    long start = t0 - 7 * day;
    for (int d = 0; d < 7; d++) {
      long at = start + d * day;
      g.push(at, week.get(d).gauges(at / 1000.0, 100)).sample(h.storage, at, at + day - 5 * MIN, 5 * MIN);
    }
    ResticRun throttled = ResticRun.load("backup-9-large-throttled");
    g.push(t0, throttled.gauges(t0 / 1000.0, 100)).sample(h.storage, t0, t0 + day - 5 * MIN, 5 * MIN);
    eval("restic-push", t0 + 5 * MIN);
    RuleStatus.Alerting r = rule("restic-push", "BackupMuchSlowerThanUsual");
    assertThat(r.state()).isEqualTo("firing");
    assertThat(r.alerts().getFirst().value()).isEqualTo(throttled.durationSeconds() * 100);
    assertThat(r.alerts().getFirst().annotations().get("summary")).isEqualTo("Backup restic on host1 took 7m 11s");
    ResticRun normal = ResticRun.load("backup-2-unchanged");
    g.push(t0 + day, normal.gauges((t0 + day) / 1000.0, 100)).sample(h.storage, t0 + day, t0 + day + HOUR, 5 * MIN);
    eval("restic-push", t0 + day + 5 * MIN);
    assertThat(rule("restic-push", "BackupMuchSlowerThanUsual").state()).isEqualTo("inactive");
    assertThat(sentFor("BackupMuchSlowerThanUsual")).isNotEmpty();
  }
}
