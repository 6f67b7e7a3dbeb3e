package io.vigil.tsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.model.Matcher;
import io.vigil.storage.Appender;
import io.vigil.storage.StorageException;
import io.vigil.tsdb.crash.ChildJvm;
import io.vigil.tsdb.crash.CrashWriter;
import io.vigil.tsdb.crash.DiskFullWriter;
import io.vigil.tsdb.testutil.Read;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk: commits fail with a clear error, nothing of a failed batch survives, the store stays
 * consistent and takes writes again once space returns.
 */
class DiskFullTest {
  private static final int PER_BATCH = 20;
  @TempDir Path tmp;

  /**
   * The child JVM runs under a small RLIMIT_FSIZE (bash {@code ulimit -S -f}): writes past it fail
   * with EFBIG (the JVM ignores SIGXFSZ). The parent then lifts the limit with {@code prlimit}.
   */
  @Test
  void fileSizeLimitFailsCommitsUntilLifted() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/prlimit")) || Files.isExecutable(Path.of("/bin/prlimit")),
        "prlimit (util-linux) is needed to lift the limit of the running child");
    Path data = tmp.resolve("data");
    ProcessBuilder child = ChildJvm.builder(DiskFullWriter.class, data.toString(), "" + PER_BATCH, "50");
    String cmd = String.join(" ", child.command().stream().map(DiskFullTest::shellQuote).toList());
    Process p = new ProcessBuilder("bash", "-c", "ulimit -S -f 256; exec " + cmd)
        .redirectError(tmp.resolve("child.log").toFile()).start();
    Set<Long> acked = new TreeSet<>();
    String full = null;
    String done = null;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        OutputStream stdin = p.getOutputStream()) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("ACK 0 ")) {
          acked.add(Long.parseLong(line.substring(6)));
        } else if (line.startsWith("FULL ")) {
          full = line.substring(5);
          Process lift = new ProcessBuilder("prlimit", "--pid", "" + p.pid(), "--fsize=unlimited").inheritIO().start();
          assertThat(lift.waitFor()).as("prlimit exit code").isZero();
          stdin.write("RESUME\n".getBytes(StandardCharsets.UTF_8));
          stdin.flush();
        } else if (line.startsWith("DONE")) {
          done = line;
        }
      }
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(full).as("the child never hit the limit").isNotNull();
    assertThat(p.exitValue()).as("child log: %s", Files.readString(tmp.resolve("child.log"))).isZero();
    assertThat(full).as("a commit failed once the WAL reached the limit").isNotNull()
        .startsWith("commit failed: writing the WAL: File too large").endsWith("the batch is not visible and later commits may succeed");
    assertThat(done).isNotNull();
    assertThat(acked.size()).isGreaterThan(50);
    verifyExactly(data, acked);
  }

  /** A real full file system: a 4 MiB tmpfs (needs root to mount; skipped with a reason otherwise). */
  @Test
  void fullTmpfsFailsCommitsUntilSpaceReturns() throws Exception {
    Path mnt = tmp.resolve("mnt");
    Files.createDirectories(mnt);
    Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mnt.toString()).redirectErrorStream(true).start();
    String out = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assumeTrue(mount.waitFor() == 0, "cannot mount a tmpfs here (needs root): " + out.trim());
    try {
      Path data = mnt.resolve("data");
      Set<Long> acked = new TreeSet<>();
      try (Tsdb db = Tsdb.open(data, CrashWriter.options().withCompactionIntervalMs(0).withWalSegmentBytes(128L << 20),
          new PrometheusRegistry())) {
        Path filler = mnt.resolve("filler");
        try (OutputStream f = Files.newOutputStream(filler)) {
          byte[] mb = new byte[64 * 1024];
          try {
            for (int i = 0; i < 64; i++) {
              f.write(mb);
            }
          } catch (IOException expected) {
            // the file system is full
          }
        }
        Appender a = db.appender();
        long[] refs = new long[PER_BATCH];
        StorageException failure = null;
        long b = 0;
        for (int tries = 0; tries < 100_000 && failure == null; tries++) {
          for (int s = 0; s < PER_BATCH; s++) {
            refs[s] = a.append(refs[s], CrashWriter.series(0, s), CrashWriter.BASE + b * CrashWriter.STEP, b);
          }
          try {
            a.commit();
            acked.add(b++);
          } catch (StorageException e) {
            failure = e;
            a.rollback();
          }
        }
        assertThat(failure).isNotNull();
        assertThat(failure.getMessage()).startsWith("commit failed: writing the WAL: No space left on device");
        Files.delete(filler); // space returns
        for (int i = 0; i < 50; i++, b++) {
          for (int s = 0; s < PER_BATCH; s++) {
            refs[s] = a.append(refs[s], CrashWriter.series(0, s), CrashWriter.BASE + b * CrashWriter.STEP, b);
          }
          a.commit();
          acked.add(b);
        }
      }
      verifyExactly(data, acked);
    } finally {
      new ProcessBuilder("umount", mnt.toString()).inheritIO().start().waitFor();
    }
  }

  /** Every acknowledged batch is present whole, and nothing else is. */
  private static void verifyExactly(Path data, Set<Long> acked) {
    try (Tsdb db = Tsdb.open(data, CrashWriter.options().withCompactionIntervalMs(0).withWalSegmentBytes(128L << 20),
        new PrometheusRegistry())) {
      var all = Read.all(db, Long.MIN_VALUE, Long.MAX_VALUE, Matcher.equal("__name__", "crash"));
      assertThat(all).hasSize(PER_BATCH);
      all.forEach((l, pts) -> {
        List<Long> batches = new ArrayList<>();
        pts.forEach(pt -> batches.add((pt.t() - CrashWriter.BASE) / CrashWriter.STEP));
        assertThat(batches).as("batches of %s", l).containsExactlyElementsOf(acked);
      });
    }
  }

  private static String shellQuote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
