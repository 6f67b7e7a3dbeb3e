package io.vigil.bench.scrape;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.exposition.ParserOptions;
import io.vigil.model.Labels;
import io.vigil.scrape.AppendOptions;
import io.vigil.scrape.BodyAppender;
import io.vigil.scrape.ScrapeCache;
import io.vigil.storage.Appender;
import io.vigil.tsdb.Tsdb;
import io.vigil.tsdb.TsdbOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * CPU per scraped sample on the parse-and-append path: one 1,000-series text body (shaped like
 * node_exporter's: a few dozen families, 0-3 labels each, HELP/TYPE lines) appended through a
 * {@link BodyAppender} into a real TSDB head and committed, as a scrape loop does after the HTTP
 * read. Results are per sample ({@code OperationsPerInvocation = 1000}); {@code -prof gc} gives
 * bytes allocated per sample.
 *
 * <ul>
 *   <li>{@code steadyState}: every series is in the scrape cache (the normal case): lookup of the
 *       raw series bytes, append by reference, staleness bookkeeping.
 *   <li>{@code firstScrape}: an empty cache each time: labels parsed, target labels added,
 *       relabeled (one drop rule), limits checked, series looked up in the head by labels. The
 *       head already holds the series after the first call, so this is a restarted loop's first
 *       scrape; creating head series is the TSDB's cost and measured there.
 * </ul>
 *
 * <p>The TSDB runs without WAL ({@code wal=false}, the scrape's own cost) or with it
 * ({@code wal=true}: one WAL record and group-committed fsync per scrape). A fresh TSDB per
 * iteration bounds head memory.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx2g", "-XX:+UseParallelGC"})
public class ScrapeAppendBenchmark {
  static final int SERIES = 1000;

  @Param({"false", "true"})
  public boolean wal;

  private byte[] body;
  private Path dir;
  private Tsdb db;
  private BodyAppender steady;
  private AppendOptions options;
  private long ts;

  @Setup(Level.Trial)
  public void body() {
    body = nodeExporterLikeBody().getBytes(StandardCharsets.UTF_8);
    Labels target = Labels.of("job", "node", "instance", "host-17:9100", "env", "prod");
    options = new AppendOptions(target, false, true, false,
        List.of(io.vigil.model.relabel.RelabelConfig.builder().sourceLabels("__name__").regex("go_gc_.*")
            .action(io.vigil.model.relabel.RelabelAction.DROP).build()),
        0, 0, 0, 0, null, ParserOptions.DEFAULTS);
  }

  @Setup(Level.Iteration)
  public void openHead() throws IOException {
    dir = Files.createTempDirectory("vigil-bench-scrape");
    TsdbOptions o = TsdbOptions.defaults().withWalEnabled(wal).withCompactionIntervalMs(0);
    db = Tsdb.open(dir, o, new PrometheusRegistry());
    ts = System.currentTimeMillis();
    steady = new BodyAppender(options, new ScrapeCache(null));
    scrape(steady); // fills the cache and creates the head series
  }

  @TearDown(Level.Iteration)
  public void closeHead() throws IOException {
    db.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private int scrape(BodyAppender b) {
    ts += 15_000;
    Appender app = db.appender();
    BodyAppender.Result r = b.append(app, body, 0, body.length, "text/plain; version=0.0.4", ts);
    if (r.error != null) {
      throw new IllegalStateException(r.error);
    }
    app.commit();
    return r.added;
  }

  @Benchmark
  @OperationsPerInvocation(SERIES)
  public int steadyState() {
    return scrape(steady);
  }

  @Benchmark
  @OperationsPerInvocation(SERIES)
  public int firstScrape() {
    return scrape(new BodyAppender(options, new ScrapeCache(null)));
  }

  /** 1,000 samples in families of node_exporter's shapes. */
  static String nodeExporterLikeBody() {
    StringBuilder sb = new StringBuilder(64 * 1024);
    int n = 0;
    String[] modes = {"idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user"};
    sb.append("# HELP node_cpu_seconds_total Seconds the CPUs spent in each mode.\n# TYPE node_cpu_seconds_total counter\n");
    for (int cpu = 0; cpu < 16; cpu++) {
      for (String m : modes) {
        sb.append("node_cpu_seconds_total{cpu=\"").append(cpu).append("\",mode=\"").append(m).append("\"} ")
            .append(123456.78 + cpu * 10 + m.length()).append('\n');
        n++;
      }
    }
    String[] devices = {"eth0", "eth1", "lo", "docker0", "veth1a2b3c", "br-0f1e2d", "wlan0", "tun0"};
    for (String fam : new String[] {"receive_bytes", "transmit_bytes", "receive_packets", "transmit_packets",
        "receive_errs", "transmit_errs", "receive_drop", "transmit_drop"}) {
      sb.append("# HELP node_network_").append(fam).append("_total Network device statistic ").append(fam).append(".\n");
      sb.append("# TYPE node_network_").append(fam).append("_total counter\n");
      for (String d : devices) {
        sb.append("node_network_").append(fam).append("_total{device=\"").append(d).append("\"} ")
            .append(9.87654321e9 + n).append('\n');
        n++;
      }
    }
    String[] mounts = {"/", "/boot", "/home", "/var", "/srv/backup", "/run", "/tmp", "/var/lib/docker"};
    for (String fam : new String[] {"avail_bytes", "free_bytes", "size_bytes", "files", "files_free", "readonly"}) {
      sb.append("# HELP node_filesystem_").append(fam).append(" Filesystem ").append(fam).append(".\n");
      sb.append("# TYPE node_filesystem_").append(fam).append(" gauge\n");
      for (String m : mounts) {
        sb.append("node_filesystem_").append(fam).append("{device=\"/dev/sda").append(m.length())
            .append("\",fstype=\"ext4\",mountpoint=\"").append(m).append("\"} ").append(4.2e11 + n).append('\n');
        n++;
      }
    }
    sb.append("# HELP node_disk_io_time_seconds_total Total seconds spent doing I/Os.\n");
    sb.append("# TYPE node_disk_io_time_seconds_total counter\n");
    for (int i = 0; n < SERIES - 300; i++) {
      sb.append("node_disk_io_time_seconds_total{device=\"nvme").append(i / 8).append("n").append(i % 8).append("\"} ")
          .append(1234.5 + i).append('\n');
      n++;
    }
    for (int i = 0; n < SERIES; i++) {
      String name = "node_memory_Field" + i + "_bytes";
      sb.append("# HELP ").append(name).append(" Memory information field Field").append(i).append("_bytes.\n");
      sb.append("# TYPE ").append(name).append(" gauge\n").append(name).append(' ').append(1.6e10 - i * 4096).append('\n');
      n++;
    }
    return sb.toString();
  }
}
