package io.vigil.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** file_sd_configs end to end: real files, changed while the manager runs. */
class FileDiscoveryTest {
  @TempDir Path dir;

  /**
   * Writes as a file_sd producer should: a temporary file renamed over the target, so readers never
   * see a truncated file (an empty YAML file is a valid file without groups, as in Prometheus).
   */
  private static void write(Path file, String content) throws java.io.IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.writeString(tmp, content);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private Set<String> addresses(ScrapeTestSupport s) {
    return s.manager.activeTargets().stream().map(t -> t.discoveredLabels().get("__address__")).collect(Collectors.toSet());
  }

  private static double counter(ScrapeTestSupport s, String name) {
    return s.registry.scrape().stream().filter(m -> m.getMetadata().getPrometheusName().equals(name.replaceFirst("_total$", "")))
        .flatMap(m -> m.getDataPoints().stream())
        .mapToDouble(d -> ((io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot) d).getValue())
        .sum();
  }

  @Test
  void readsGlobbedJsonAndYamlFilesAndFollowsChanges() throws Exception {
    Path sd = Files.createDirectories(dir.resolve("sd"));
    write(sd.resolve("a.json"), """
        [{"targets": ["10.0.0.1:9100", "10.0.0.2:9100"], "labels": {"team": "backup"}}]
        """);
    write(sd.resolve("b.yml"), """
        - targets: ['10.0.1.1:9100']
          labels: {team: db}
        - targets: ['10.0.1.2:9100']
        """);
    write(sd.resolve("ignored.txt"), "[]");
    try (ScrapeTestSupport s = new ScrapeTestSupport(dir)) {
      s.apply("""
          scrape_configs:
            - job_name: files
              scrape_interval: 1h
              file_sd_configs:
                - files: ['%1$s/*.json', '%1$s/*.yml']
                  refresh_interval: 1s
              relabel_configs:
                - {source_labels: [team], regex: dropme, action: drop}
          """.formatted(sd));
      Stored.await(10_000, "initial targets", () -> addresses(s).size() == 4);
      assertThat(addresses(s)).containsExactlyInAnyOrder("10.0.0.1:9100", "10.0.0.2:9100", "10.0.1.1:9100", "10.0.1.2:9100");
      ActiveTarget t = s.manager.activeTargets().stream()
          .filter(x -> x.discoveredLabels().get("__address__").equals("10.0.1.1:9100")).findFirst().orElseThrow();
      assertThat(t.discoveredLabels().get("__meta_filepath")).isEqualTo(sd.resolve("b.yml").toString());
      assertThat(t.labels().toMap()).containsEntry("team", "db").doesNotContainKey("__meta_filepath");

      // change a file: a target added, and one dropped by relabeling shows as dropped
      write(sd.resolve("a.json"), """
          [{"targets": ["10.0.0.1:9100", "10.0.0.3:9100"], "labels": {"team": "backup"}},
           {"targets": ["10.0.9.9:9100"], "labels": {"team": "dropme"}}]
          """);
      Stored.await(10_000, "changed file", () -> addresses(s).contains("10.0.0.3:9100") && !addresses(s).contains("10.0.0.2:9100"));
      assertThat(s.manager.droppedTargets()).extracting(d -> d.discoveredLabels().get("__address__"))
          .containsExactly("10.0.9.9:9100");

      // a broken file keeps its previous targets
      double errorsBefore = counter(s, "vigil_sd_file_read_errors_total");
      write(sd.resolve("a.json"), "[{\"targets\": [\"10.0.0.1:9100\"");
      Stored.await(10_000, "read error counted", () -> counter(s, "vigil_sd_file_read_errors_total") > errorsBefore);
      write(sd.resolve("b.yml"), "- targets: ['10.0.1.1:9100']\n  labels: {'bad name': x}\n");
      Stored.await(10_000, "second read error", () -> counter(s, "vigil_sd_file_read_errors_total") > errorsBefore + 1);
      Thread.sleep(300);
      assertThat(addresses(s)).containsExactlyInAnyOrder("10.0.0.1:9100", "10.0.0.3:9100", "10.0.1.1:9100", "10.0.1.2:9100");

      // a new file matching the glob, and a deleted one
      write(sd.resolve("c.json"), "[{\"targets\": [\"10.0.2.1:9100\"]}]");
      Files.delete(sd.resolve("b.yml"));
      Stored.await(10_000, "new and deleted files",
          () -> addresses(s).equals(Set.of("10.0.0.1:9100", "10.0.0.3:9100", "10.0.2.1:9100")));

      // the broken file is repaired
      write(sd.resolve("a.json"), "[{\"targets\": [\"10.0.0.4:9100\"]}]");
      Stored.await(10_000, "repaired file", () -> addresses(s).equals(Set.of("10.0.0.4:9100", "10.0.2.1:9100")));
      assertThat(s.manager.droppedTargets()).isEmpty();
    }
  }
}
