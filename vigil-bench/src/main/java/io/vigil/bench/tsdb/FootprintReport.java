package io.vigil.bench.tsdb;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.storage.Appender;
import io.vigil.tsdb.block.BlockMeta;
import io.vigil.tsdb.block.BlockWriter;
import io.vigil.tsdb.head.Head;
import io.vigil.tsdb.head.HeadMetrics;
import io.vigil.tsdb.head.HeadOptions;
import io.vigil.tsdb.head.HeadQuerier;
import io.vigil.testkit.workload.FleetWorkload;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Space figures that JMH does not measure: heap bytes per active series in the head, and bytes per
 * sample on disk once the data is compacted into a block, on the fleet workload.
 *
 * <p>Run: {@code java -cp vigil-bench/target/benchmarks.jar io.vigil.bench.tsdb.FootprintReport [hosts] [scrapes]}
 * (default 46 hosts, about 100 k series, and 240 scrapes = 1 h at 15 s).
 */
public final class FootprintReport {
  public static void main(String[] args) throws IOException {
    int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 46;
    int scrapes = args.length > 1 ? Integer.parseInt(args[1]) : 240;
    FleetWorkload w = FleetWorkload.create(hosts, 5);
    int n = w.size();
    System.out.printf("workload: %d hosts, %d series, %d metric names, %d scrapes (%d samples)%n", hosts, n, w.metricNames(),
        scrapes, (long) n * scrapes);
    long[] ts = new long[n];
    double[] vs = new double[n];
    long before = usedHeapAfterGc();
    Head head = new Head(new HeadOptions(2 * 3_600_000, 0, 0), new HeadMetrics(new PrometheusRegistry()), null);
    long[] refs = new long[n];
    for (int s = 0; s < scrapes; s++) {
      w.next(ts, vs);
      Appender a = head.appender();
      for (int i = 0; i < n; i++) {
        refs[i] = a.append(refs[i], w.series().get(i), ts[i], vs[i]);
      }
      a.commit();
      if (s + 1 == 120 || s + 1 == 240 || s + 1 == scrapes) {
        long used = usedHeapAfterGc() - before;
        System.out.printf("head after %d scrapes: %.0f heap bytes per active series (measured), %.0f estimated by the head%n",
            s + 1, (double) used / n, (double) head.estimatedMemoryBytes() / n);
      }
    }
    Path dir = Files.createTempDirectory("vigil-footprint");
    try (HeadQuerier q = head.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      BlockMeta meta = BlockWriter.write(dir, q, head.minTime(), head.maxTime() + 1,
          new BlockMeta.Compaction(1, List.of(), List.of()));
      long chunkBytes = meta.files().stream().filter(f -> f.name().startsWith("chunks/")).mapToLong(BlockMeta.FileInfo::sizeBytes).sum();
      long indexBytes = meta.files().stream().filter(f -> f.name().equals("index")).mapToLong(BlockMeta.FileInfo::sizeBytes).sum();
      long samples = meta.stats().numSamples();
      System.out.printf("block: %d samples, %d chunks; chunk files %.3f bytes/sample, with index %.3f bytes/sample%n",
          samples, meta.stats().numChunks(), (double) chunkBytes / samples, (double) (chunkBytes + indexBytes) / samples);
    } finally {
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    refs[0] = refs[n - 1]; // keep the head reachable until here
    System.out.println(head.numSeries() > 0 ? "" : "empty");
  }

  private static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
