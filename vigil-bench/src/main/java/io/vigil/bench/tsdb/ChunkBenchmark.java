package io.vigil.bench.tsdb;

import io.vigil.tsdb.chunkenc.PackedChunk;
import io.vigil.tsdb.chunkenc.PackedIterator;
import io.vigil.tsdb.chunkenc.XorEncoder;
import io.vigil.tsdb.chunkenc.XorIterator;
import io.vigil.tsdb.encoding.ByteBuf;
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
 * Chunk encode and decode on the fleet workload: 1000 series taken evenly across the fleet, one
 * 120-sample chunk each (30 min at 15 s), in the head's XOR encoding and the blocks' PACKED encoding.
 * Scores are samples per second on one thread (one core).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ChunkBenchmark {
  static final int SERIES = 1000;
  static final int SAMPLES = 120;

  private long[][] ts;
  private double[][] vs;
  private byte[][] chunks;
  private final ByteBuf buf = new ByteBuf(512);
  private final XorEncoder enc = new XorEncoder();
  private final XorIterator it = new XorIterator();
  private byte[][] packedInline;
  private byte[][] packedShared;
  private long[][] columns;
  private final PackedIterator packedIt = new PackedIterator();

  @Setup
  public void setup() {
    WorkloadData w = new WorkloadData(20, SAMPLES, 1);
    ts = new long[SERIES][SAMPLES];
    vs = new double[SERIES][SAMPLES];
    chunks = new byte[SERIES][];
    long bytes = 0;
    for (int s = 0; s < SERIES; s++) {
      int src = (int) ((long) s * w.size() / SERIES);
      for (int i = 0; i < SAMPLES; i++) {
        ts[s][i] = w.ts[i][src];
        vs[s][i] = w.vs[i][src];
      }
      ByteBuf b = new ByteBuf();
      XorEncoder e = new XorEncoder();
      e.reset(b);
      for (int i = 0; i < SAMPLES; i++) {
        e.append(ts[s][i], vs[s][i]);
      }
      chunks[s] = b.toByteArray();
      bytes += chunks[s].length;
    }
    System.out.printf("%nXOR chunk bytes per sample on this data: %.3f%n", (double) bytes / (SERIES * SAMPLES));
    packedInline = new byte[SERIES][];
    packedShared = new byte[SERIES][];
    columns = new long[SERIES][];
    long inline = 0;
    long shared = 0;
    for (int s = 0; s < SERIES; s++) {
      ByteBuf b = new ByteBuf();
      PackedChunk.encode(ts[s], vs[s], 0, SAMPLES, -1, b);
      packedInline[s] = b.toByteArray();
      inline += b.length();
      b = new ByteBuf();
      PackedChunk.encode(ts[s], vs[s], 0, SAMPLES, 1L << 32 | s, b); // a column reference, as in blocks
      packedShared[s] = b.toByteArray();
      shared += b.length();
      columns[s] = ts[s];
    }
    System.out.printf("PACKED bytes per sample: %.3f with inline timestamps, %.3f with a shared column%n",
        (double) inline / (SERIES * SAMPLES), (double) shared / (SERIES * SAMPLES));
  }

  @Benchmark
  @OperationsPerInvocation(SERIES * SAMPLES)
  public int packedEncode() {
    int total = 0;
    for (int s = 0; s < SERIES; s++) {
      buf.clear();
      PackedChunk.encode(ts[s], vs[s], 0, SAMPLES, 1L << 32 | s, buf);
      total += buf.length();
    }
    return total;
  }

  /** Block reads: the column is already decoded (cached per block), values are decoded per chunk. */
  @Benchmark
  @OperationsPerInvocation(SERIES * SAMPLES)
  public long packedDecodeShared() {
    long acc = 0;
    for (int s = 0; s < SERIES; s++) {
      long[] col = columns[s];
      packedIt.reset(packedShared[s], 0, packedShared[s].length, col);
      while (packedIt.next()) {
        acc += packedIt.atT() ^ Double.doubleToRawLongBits(packedIt.atV());
      }
    }
    return acc;
  }

  @Benchmark
  @OperationsPerInvocation(SERIES * SAMPLES)
  public long packedDecodeInline() {
    long acc = 0;
    for (byte[] c : packedInline) {
      packedIt.reset(c, 0, c.length, null);
      while (packedIt.next()) {
        acc += packedIt.atT() ^ Double.doubleToRawLongBits(packedIt.atV());
      }
    }
    return acc;
  }

  @Benchmark
  @OperationsPerInvocation(SERIES * SAMPLES)
  public int encode() {
    int total = 0;
    for (int s = 0; s < SERIES; s++) {
      buf.clear();
      enc.reset(buf);
      long[] t = ts[s];
      double[] v = vs[s];
      for (int i = 0; i < SAMPLES; i++) {
        enc.append(t[i], v[i]);
      }
      total += buf.length();
    }
    return total;
  }

  @Benchmark
  @OperationsPerInvocation(SERIES * SAMPLES)
  public long decode() {
    long acc = 0;
    for (byte[] c : chunks) {
      it.reset(c, 0, c.length);
      while (it.next()) {
        acc += it.atT() ^ it.atValueBits();
      }
    }
    return acc;
  }
}
