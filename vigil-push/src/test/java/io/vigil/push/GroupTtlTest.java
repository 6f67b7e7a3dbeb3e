package io.vigil.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Labels;
import io.vigil.testkit.MemoryStorage;
import io.vigil.web.Authenticator;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Group TTL: off by default, --push.group-ttl, and the per-group ?ttl= override. */
class GroupTtlTest {
  @TempDir
  Path dir;

  @Test
  void expiredGroupsAreDeletedDurablyAndTheirSeriesEnd() throws Exception {
    MemoryStorage storage = new MemoryStorage();
    PushOptions options = PushServer.options(dir).withGroupTtl(Duration.ofMillis(1500));
    try (PushServer s = PushServer.start(options, storage, Duration.ofHours(1), Authenticator.ALLOW_ALL)) {
      assertThat(s.put("/metrics/job/nfs_backup/instance/a", "restic_backup_processed_files 10\n").status()).isEqualTo(200);
      assertThat(s.put("/metrics/job/nfs_backup/instance/forever?ttl=0", "restic_backup_processed_files 11\n").status())
          .isEqualTo(200);
      assertThat(s.put("/metrics/job/nfs_backup/instance/short?ttl=100ms", "restic_backup_processed_files 12\n").status())
          .isEqualTo(200);
      Stored.await("the 100ms group to expire", () -> s.service.groupCount() == 2);
      // a refresh keeps a group alive
      for (int i = 0; i < 4; i++) {
        Thread.sleep(500);
        assertThat(s.post("/metrics/job/nfs_backup/instance/a", "").status()).isEqualTo(200);
      }
      assertThat(s.service.groups()).extracting(g -> g.groupingKey().get("instance")).containsExactly("a", "forever");
      Stored.await("the default TTL to expire group a", () -> s.service.groupCount() == 1);
      Labels a = Labels.of("__name__", "restic_backup_processed_files", "job", "nfs_backup", "instance", "a");
      Stored.await("a staleness marker", () -> Stored.series(storage, a).getLast().stale());
      assertThat(Stored.series(storage, Labels.of("__name__", "restic_backup_processed_files", "job", "nfs_backup",
          "instance", "short")).getLast().stale()).isTrue();
      assertThat(s.metrics()).contains("vigil_push_groups_expired_total 2\n");
    }
    // the expiry was journaled: the groups stay gone after a restart
    try (PushServer s = PushServer.start(PushServer.options(dir))) {
      assertThat(s.service.groups()).extracting(g -> g.groupingKey().get("instance")).containsExactly("forever");
    }
  }

  @Test
  void offByDefaultAndABadTtlIsAClearError() throws Exception {
    try (PushServer s = PushServer.start(PushServer.options(dir))) {
      Http.Response r = s.put("/metrics/job/j?ttl=3x", "m 1\n");
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.body()).startsWith("invalid ttl parameter \"3x\": ");
      assertThat(s.service.groupCount()).isZero();
      assertThat(s.put("/metrics/job/j", "m 1\n").status()).isEqualTo(200);
      Thread.sleep(1200);
      assertThat(s.service.groupCount()).isEqualTo(1);
    }
  }
}
