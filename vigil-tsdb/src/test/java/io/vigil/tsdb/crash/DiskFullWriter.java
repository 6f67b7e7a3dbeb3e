package io.vigil.tsdb.crash;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.storage.Appender;
import io.vigil.storage.StorageException;
import io.vigil.tsdb.Tsdb;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Child process of the disk-full test: appends batches until a commit fails, prints
 * {@code FULL <message>}, waits for {@code RESUME} on stdin (the parent lifts the file-size limit),
 * retries and appends {@code more} further batches, then closes cleanly and prints {@code DONE}.
 * Batches are those of {@link CrashWriter} for writer 0.
 *
 * <p>Arguments: data dir, series per batch, batches after resuming.
 */
public final class DiskFullWriter {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int perBatch = Integer.parseInt(args[1]);
    int more = Integer.parseInt(args[2]);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    // One large WAL segment: the file-size limit applies per file.
    Tsdb db = Tsdb.open(dir, CrashWriter.options().withCompactionIntervalMs(0).withWalSegmentBytes(128L << 20),
        new PrometheusRegistry());
    Appender a = db.appender();
    long[] refs = new long[perBatch];
    int failures = 0;
    int afterResume = -1;
    for (long b = 0; afterResume < more; ) {
      if (b > 100_000 && afterResume < 0) {
        System.out.println("NEVER_FULL");
        System.exit(2);
      }
      for (int s = 0; s < perBatch; s++) {
        refs[s] = a.append(refs[s], CrashWriter.series(0, s), CrashWriter.BASE + b * CrashWriter.STEP, b);
      }
      try {
        a.commit();
      } catch (StorageException e) {
        failures++;
        a.rollback();
        if (failures == 1) {
          System.out.println("FULL " + e.getMessage());
          System.out.flush();
          String line = in.readLine();
          if (!"RESUME".equals(line)) {
            throw new IllegalStateException("expected RESUME, got " + line);
          }
          afterResume = 0;
        }
        continue; // retry the same batch
      }
      System.out.println("ACK 0 " + b);
      System.out.flush();
      b++;
      if (afterResume >= 0) {
        afterResume++;
      }
    }
    db.close();
    System.out.println("DONE failures=" + failures);
  }
}
