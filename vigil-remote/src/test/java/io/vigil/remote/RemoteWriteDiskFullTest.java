package io.vigil.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.model.Labels;
import io.vigil.remote.Stored.Point;
import io.vigil.tsdb.Tsdb;
import io.vigil.tsdb.TsdbOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real full file system under the TSDB: remote writes get 500 (retryable) and store nothing until space returns. */
class RemoteWriteDiskFullTest {
  @TempDir
  Path tmp;

  @Test
  void fullDiskIs500UntilSpaceReturnsAndNothingHalfWritten() throws Exception {
    Path mnt = tmp.resolve("mnt");
    Files.createDirectories(mnt);
    Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mnt.toString()).redirectErrorStream(true).start();
    String out = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assumeTrue(mount.waitFor() == 0, "cannot mount a tmpfs here (needs root): " + out.trim());
    try {
      Path data = mnt.resolve("data");
      long now = System.currentTimeMillis();
      long acked = 0;
      int status = 0;
      String message = "";
      try (Tsdb db = Tsdb.open(data, TsdbOptions.defaults().withCompactionIntervalMs(0), new PrometheusRegistry())) {
        RemoteWriteReceiver receiver = new RemoteWriteReceiver(db, RemoteWriteOptions.defaults(), new PrometheusRegistry());
        Path filler = mnt.resolve("filler");
        fill(filler);
        WriteRequestEncoder enc = new WriteRequestEncoder();
        for (long b = 0; b < 100_000; b++) {
          enc.reset();
          for (int s = 0; s < 100; s++) {
            enc.addSeries(series(s), now + b, b);
          }
          byte[] body = enc.compressedCopy();
          WriteResult r = receiver.write(body, 0, body.length, null);
          status = r.status();
          message = r.message();
          if (status != 204) {
            break;
          }
          acked = b + 1;
        }
        assertThat(status).isEqualTo(500);
        assertThat(message).startsWith("storage error: ").contains("No space left on device");
        Files.delete(filler); // space returns: the sender's retry succeeds
        enc.reset();
        for (int s = 0; s < 100; s++) {
          enc.addSeries(series(s), now + acked, acked);
        }
        byte[] body = enc.compressedCopy();
        assertThat(receiver.write(body, 0, body.length, null).status()).isEqualTo(204);
        acked++;
      }
      try (Tsdb db = Tsdb.open(data, TsdbOptions.defaults().withCompactionIntervalMs(0), new PrometheusRegistry())) {
        Map<Labels, List<Point>> stored = Stored.all(db);
        assertThat(stored).hasSize(100);
        for (List<Point> points : stored.values()) {
          // every acknowledged batch, each whole, and no trace of the refused one
          assertThat(points).hasSize((int) acked);
          for (int b = 0; b < acked; b++) {
            assertThat(points.get(b)).isEqualTo(Point.of(now + b, b));
          }
        }
      }
    } finally {
      new ProcessBuilder("umount", mnt.toString()).inheritIO().start().waitFor();
    }
  }

  static Labels series(int s) {
    return Labels.of("__name__", "disk_full_test", "series", "s" + s);
  }

  private static void fill(Path filler) throws IOException {
    try (OutputStream f = Files.newOutputStream(filler)) {
      byte[] chunk = new byte[64 * 1024];
      for (int i = 0; i < 64; i++) {
        f.write(chunk);
      }
    } catch (IOException expected) {
      // the file system is full
    }
  }
}
