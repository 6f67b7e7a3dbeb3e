package io.vigil.bench.exposition;

import io.vigil.exposition.ByteSink;
import io.vigil.exposition.ByteSlice;
import io.vigil.exposition.Entry;
import io.vigil.exposition.ExpositionException;
import io.vigil.exposition.ExpositionFormat;
import io.vigil.exposition.ExpositionParser;
import io.vigil.exposition.FamilyCollector;
import io.vigil.exposition.MetricFamily;
import io.vigil.exposition.ParserOptions;
import io.vigil.exposition.PromTextWriter;
import io.vigil.exposition.ProtobufWriter;
import io.vigil.model.Labels;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Parsing a real node_exporter 1.5.0 scrape (57 KB, text 0.0.4; copied from the shared fixtures
 * into this jar's resources). One operation is the whole body; the {@code bytes} and
 * {@code samples} counters turn that into bytes/s and samples/s on one thread (one core).
 *
 * <ul>
 *   <li>{@code seriesAndValue}: every entry, and for samples the series bytes and value: what a
 *       scrape whose series are all in its cache does.
 *   <li>{@code seriesCacheHit}: the same plus a {@code HashMap<ByteSlice, ...>} lookup per sample
 *       (the scrape cache's hit path, keyed on the view without copying).
 *   <li>{@code seriesAndLabels}: also materialises every label set (the cache-miss path).
 *   <li>{@code protobufSeriesAndValue}: the same body as protobuf MetricFamily messages.
 *   <li>{@code collectAndWriteText}: families from the body, then written back (what push does).
 * </ul>
 *
 * Run: {@code java -jar vigil-bench/target/benchmarks.jar ExpositionParserBenchmark -f 1 -wi 3 -i 5 -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ExpositionParserBenchmark {
  private byte[] text;
  private byte[] protobuf;
  private int sampleCount;
  private ExpositionParser textParser;
  private ExpositionParser protobufParser;
  private final Labels.Builder labels = new Labels.Builder();
  private final Map<ByteSlice, Integer> cache = new HashMap<>();
  private List<MetricFamily> families;
  private final ByteSink sink = new ByteSink(1 << 17);

  /** Per-operation counters that JMH reports as rates: bytes/s and samples/s. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Throughput {
    public long bytes;
    public long samples;

    @Setup(Level.Iteration)
    public void clear() {
      bytes = 0;
      samples = 0;
    }
  }

  @Setup
  public void setUp() throws ExpositionException {
    try (InputStream in = ExpositionParserBenchmark.class.getResourceAsStream("node-exporter-metrics.txt")) {
      text = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    textParser = ExpositionParser.create(ExpositionFormat.PROMETHEUS_TEXT, text, 0, text.length, ParserOptions.DEFAULTS);
    families = FamilyCollector.collect(
        ExpositionParser.create(ExpositionFormat.PROMETHEUS_TEXT, text, 0, text.length, ParserOptions.DEFAULTS));
    ByteSink pb = new ByteSink();
    ProtobufWriter.write(families, pb);
    protobuf = pb.toByteArray();
    protobufParser = ExpositionParser.create(ExpositionFormat.PROMETHEUS_PROTOBUF, protobuf, 0, protobuf.length,
        ParserOptions.DEFAULTS);
    ExpositionParser p = textParser.reset(text, 0, text.length);
    for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
      if (e == Entry.SERIES) {
        cache.put(p.series().copy(), sampleCount++);
      }
    }
  }

  @Benchmark
  public void seriesAndValue(Throughput t, Blackhole bh) throws ExpositionException {
    ExpositionParser p = textParser.reset(text, 0, text.length);
    int n = 0;
    for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
      if (e == Entry.SERIES) {
        ByteSlice s = p.series();
        bh.consume(s.length());
        bh.consume(p.value());
        n++;
      }
    }
    t.bytes += text.length;
    t.samples += n;
  }

  @Benchmark
  public void seriesCacheHit(Throughput t, Blackhole bh) throws ExpositionException {
    ExpositionParser p = textParser.reset(text, 0, text.length);
    int n = 0;
    for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
      if (e == Entry.SERIES) {
        bh.consume(cache.get(p.series()));
        bh.consume(p.value());
        n++;
      }
    }
    t.bytes += text.length;
    t.samples += n;
  }

  @Benchmark
  public void seriesAndLabels(Throughput t, Blackhole bh) throws ExpositionException {
    ExpositionParser p = textParser.reset(text, 0, text.length);
    int n = 0;
    for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
      if (e == Entry.SERIES) {
        p.labels(labels);
        bh.consume(labels.build());
        bh.consume(p.value());
        n++;
      }
    }
    t.bytes += text.length;
    t.samples += n;
  }

  @Benchmark
  public void protobufSeriesAndValue(Throughput t, Blackhole bh) throws ExpositionException {
    ExpositionParser p = protobufParser.reset(protobuf, 0, protobuf.length);
    int n = 0;
    for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
      if (e == Entry.SERIES) {
        bh.consume(p.series().length());
        bh.consume(p.value());
        n++;
      }
    }
    t.bytes += protobuf.length;
    t.samples += n;
  }

  @Benchmark
  public void collectAndWriteText(Throughput t, Blackhole bh) throws ExpositionException {
    List<MetricFamily> fs = FamilyCollector.collect(textParser.reset(text, 0, text.length));
    PromTextWriter.write(fs, sink.reset());
    bh.consume(sink.size());
    t.bytes += text.length;
    t.samples += sampleCount;
  }
}
