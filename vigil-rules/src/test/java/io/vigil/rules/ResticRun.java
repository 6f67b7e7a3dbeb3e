package io.vigil.rules;

import io.vigil.notify.AlertmanagerPeer;
import io.vigil.testkit.Fixtures;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * One real restic run of the fixtures (restic 0.14 JSON output and exit code), turned into the
 * gauges a backup script pushes, named as in fixtures/pushgateway/push-body-restic-backup.txt.
 *
 * @param name the fixture name, e.g. backup-1-initial
 */
record ResticRun(String name, int exitCode, double durationSeconds, double addedBytes, long filesNew,
    long filesChanged, long filesUnmodified) {
  static ResticRun load(String name) {
    int exit = Integer.parseInt(Fixtures.fixtureText("restic/" + name + ".exitcode").strip());
    JsonNode summary = null;
    try {
      for (String line : Fixtures.fixtureText("restic/" + name + ".stdout.jsonl").split("\n")) {
        JsonNode n = AlertmanagerPeer.JSON.readTree(line);
        if (n.path("message_type").stringValue("").equals("summary")) {
          summary = n;
        }
      }
    } catch (IllegalStateException e) {
      // runs that failed before backing up anything print no JSON
    }
    if (summary == null) {
      return new ResticRun(name, exit, 0, 0, 0, 0, 0);
    }
    return new ResticRun(name, exit, summary.get("total_duration").asDouble(), summary.get("data_added").asDouble(),
        summary.get("files_new").asLong(), summary.get("files_changed").asLong(),
        summary.get("files_unmodified").asLong());
  }

  /** The gauges pushed after this run finished at {@code finishedSeconds}; {@code scale} stretches durations. */
  Map<String, Double> gauges(double finishedSeconds, double scale) {
    Map<String, Double> g = new LinkedHashMap<>();
    g.put("restic_backup_exit_code", (double) exitCode);
    g.put("restic_backup_duration_seconds", durationSeconds * scale);
    g.put("restic_backup_added_bytes", addedBytes);
    g.put("restic_backup_files_new", (double) filesNew);
    g.put("restic_backup_files_changed", (double) filesChanged);
    g.put("restic_backup_files_unmodified", (double) filesUnmodified);
    if (exitCode == 0) {
      g.put("restic_backup_last_success_timestamp_seconds", finishedSeconds);
    }
    return g;
  }
}
