package io.vigil.bench.remote;

import io.vigil.model.Labels;
import io.vigil.remote.WriteRequestEncoder;
import io.vigil.testkit.workload.FleetWorkload;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The sending side: building and snappy-compressing a 2,000-sample WriteRequest of the fleet
 * workload with a reused {@link WriteRequestEncoder}, as the benchmark suite's workload generator
 * does before each POST. Scores are samples per second per core.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RemoteWriteEncodeBenchmark {
  static final int BATCH = 2_000;

  private Labels[] series;
  private long[] ts;
  private double[] vs;
  private int offset;
  private final WriteRequestEncoder enc = new WriteRequestEncoder();

  @Setup
  public void setup() {
    FleetWorkload w = FleetWorkload.create(10, 42);
    List<Labels> all = w.series();
    series = all.toArray(new Labels[0]);
    ts = new long[series.length];
    vs = new double[series.length];
    w.next(ts, vs);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int encodeAndCompress() {
    enc.reset();
    for (int i = 0; i < BATCH; i++) {
      int s = (offset + i) % series.length;
      enc.addSeries(series[s], ts[s] + offset, vs[s]);
    }
    offset += BATCH;
    return enc.compress();
  }
}
