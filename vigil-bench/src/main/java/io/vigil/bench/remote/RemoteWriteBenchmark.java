package io.vigil.bench.remote;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.model.Labels;
import io.vigil.remote.RemoteWriteOptions;
import io.vigil.remote.RemoteWriteReceiver;
import io.vigil.remote.WriteRequestEncoder;
import io.vigil.remote.WriteResult;
import io.vigil.storage.Appendable;
import io.vigil.storage.Appender;
import io.vigil.testkit.workload.FleetWorkload;
import io.vigil.tsdb.Tsdb;
import io.vigil.tsdb.TsdbOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Remote write receiving on one thread: snappy bodies of 2,000 samples each, shaped as Prometheus
 * sends them (one sample per series, consecutive series of the fleet workload, scrape after scrape),
 * decoded, validated and appended, one appender and commit per request. Scores are samples per
 * second per core.
 *
 * <ul>
 *   <li>{@code storage=discard}: an appender that keeps nothing: the receiver's own cost (snappy,
 *       protobuf, labels, series cache);
 *   <li>{@code storage=head}: a TSDB without WAL: decode plus the in-memory head;
 *   <li>{@code storage=wal}: a TSDB with its WAL: every request is a durable, fsynced commit.
 * </ul>
 * Each measurement iteration starts a fresh storage and replays the pre-encoded bodies from the
 * first scrape, so every sample is new to the head (a wrap-around would resend duplicates: the
 * teardown fails if that happens).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
public class RemoteWriteBenchmark {
  static final int BATCH = 2_000; // Prometheus's max_samples_per_send
  static final int HOSTS = 10;
  /** Enough bodies for one iteration at well over 10 M samples/s. */
  static final long SAMPLES = 14_000_000;

  @Param({"discard", "head", "wal"})
  public String storage;

  /** Entries of the receiver's series cache; -p seriesCache=0 measures decoding without it. */
  @Param({"65536"})
  public int seriesCache;

  private byte[][] bodies;
  private int next;
  private Path dir;
  private Tsdb db;
  private RemoteWriteReceiver receiver;

  @Setup(Level.Trial)
  public void encode() {
    FleetWorkload w = FleetWorkload.create(HOSTS, 42);
    List<Labels> series = w.series();
    int scrapes = (int) (SAMPLES / series.size()) + 1;
    long[] ts = new long[series.size()];
    double[] vs = new double[series.size()];
    List<byte[]> out = new ArrayList<>();
    WriteRequestEncoder enc = new WriteRequestEncoder();
    long bytes = 0;
    for (int s = 0; s < scrapes; s++) {
      w.next(ts, vs);
      for (int i = 0; i < series.size(); i++) {
        enc.addSeries(series.get(i), ts[i], vs[i]);
        if (enc.sampleCount() == BATCH) {
          out.add(enc.compressedCopy());
          bytes += out.getLast().length;
          enc.reset();
        }
      }
    }
    bodies = out.toArray(new byte[0][]);
    System.out.printf("%n%d series, %d bodies of %d samples, %.1f bytes per sample compressed%n", series.size(), bodies.length,
        BATCH, (double) bytes / ((long) bodies.length * BATCH));
  }

  @Setup(Level.Iteration)
  public void open() throws IOException {
    next = 0;
    Appendable target;
    if (storage.equals("discard")) {
      target = DiscardingAppender::new;
    } else {
      dir = Files.createTempDirectory("vigil-bench-rw");
      db = Tsdb.open(dir, TsdbOptions.defaults().withCompactionIntervalMs(0).withWalEnabled(storage.equals("wal")),
          new PrometheusRegistry());
      target = db;
    }
    receiver = new RemoteWriteReceiver(target, RemoteWriteOptions.defaults().withSeriesCacheSize(seriesCache),
        new PrometheusRegistry());
  }

  @TearDown(Level.Iteration)
  public void close() throws IOException {
    if (db != null) {
      db.close();
      db = null;
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    if (next > bodies.length) {
      throw new IllegalStateException("ran out of pre-encoded bodies: raise SAMPLES");
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public WriteResult write() {
    byte[] body = bodies[next++ % bodies.length];
    WriteResult r = receiver.write(body, 0, body.length, null);
    if (r.status() != 204) {
      throw new IllegalStateException(r.status() + " " + r.message());
    }
    return r;
  }

  /** Keeps nothing; hands out references so the receiver's cache path is exercised. */
  static final class DiscardingAppender implements Appender {
    private long nextRef = 1;

    @Override
    public long append(long ref, Labels labels, long timestampMs, double value) {
      return ref != 0 ? ref : nextRef++;
    }

    @Override
    public void append(long ref, long timestampMs, double value) {}

    @Override
    public void commit() {}

    @Override
    public void rollback() {}
  }
}
