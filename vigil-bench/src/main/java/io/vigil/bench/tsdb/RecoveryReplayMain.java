package io.vigil.bench.tsdb;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.model.Labels;
import io.vigil.storage.Appender;
import io.vigil.testkit.workload.FleetWorkload;
import io.vigil.tsdb.Tsdb;
import io.vigil.tsdb.TsdbOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * WAL replay at the scale of bench/run's recovery measurement, without the HTTP servers: writes (once)
 * a data directory whose WAL has the shape remote write leaves behind (batches of about 2,000
 * samples, each carrying {@code runLength} consecutive scrapes of 2000 / runLength series), then
 * opens it {@code runs} times and prints replay seconds, per million series and per 100 M samples.
 * A main rather than JMH because one iteration takes seconds and needs gigabytes of WAL on disk.
 *
 * <pre>
 * java -Xms4g -Xmx4g -XX:+UseCompactObjectHeaders -cp vigil-bench/target/benchmarks.jar \
 *     io.vigil.bench.tsdb.RecoveryReplayMain DIR [series=200000] [scrapes=480] [runs=3]
 * </pre>
 * The series count is rounded to whole hosts of the fleet workload; the directory is kept for later runs.
 */
public final class RecoveryReplayMain {
  private static final int BATCH_SAMPLES = 2000;
  private static final int RUN_LENGTH = 10;

  private RecoveryReplayMain() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    int wantSeries = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
    int scrapes = args.length > 2 ? Integer.parseInt(args[2]) : 480;
    int runs = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    if (!Files.isDirectory(dir.resolve("wal"))) {
      generate(dir, wantSeries, scrapes);
    }
    for (int r = 0; r < runs; r++) {
      long start = System.nanoTime();
      int series;
      long samples;
      try (Tsdb db = Tsdb.open(dir, options(), new PrometheusRegistry())) {
        series = db.head().numSeries();
        samples = (long) series * scrapes; // every sample of the workload is inside the head's window
      }
      double secs = (System.nanoTime() - start) / 1e9;
      System.out.printf("open+replay %.2f s: %,d series, %,d samples; %.2f s per million series, %.2f s per 100 M samples%n",
          secs, series, samples, secs / (series / 1e6), secs / (samples / 1e8));
    }
  }

  private static TsdbOptions options() {
    return TsdbOptions.defaults().withCompactionIntervalMs(0);
  }

  /** Appends the workload the way the remote-write receiver does: per request, a run of scrapes per series. */
  private static void generate(Path dir, int wantSeries, int scrapes) throws IOException {
    // Whole hosts, as bench/run's Fleet does.
    int hosts = Math.max(1, Math.round((float) wantSeries / FleetWorkload.create(1, 42).size()));
    FleetWorkload w = FleetWorkload.create(hosts, 42);
    List<Labels> labels = w.series();
    int n = w.size();
    long[][] ts = new long[RUN_LENGTH][n];
    double[][] vs = new double[RUN_LENGTH][n];
    long[] refs = new long[n];
    long start = System.nanoTime();
    try (Tsdb db = Tsdb.open(dir, options(), new PrometheusRegistry())) {
      for (int done = 0; done < scrapes; done += RUN_LENGTH) {
        int run = Math.min(RUN_LENGTH, scrapes - done);
        for (int j = 0; j < run; j++) {
          w.next(ts[j], vs[j]);
        }
        Appender a = db.appender();
        int inBatch = 0;
        for (int s = 0; s < n; s++) {
          for (int j = 0; j < run; j++) {
            refs[s] = a.append(refs[s], labels.get(s), ts[j][s], vs[j][s]);
          }
          inBatch += run;
          if (inBatch >= BATCH_SAMPLES) {
            a.commit();
            a = db.appender();
            inBatch = 0;
          }
        }
        a.commit();
      }
    }
    System.out.printf("generated %,d series x %d scrapes in %.1f s%n", n, scrapes, (System.nanoTime() - start) / 1e9);
  }
}
