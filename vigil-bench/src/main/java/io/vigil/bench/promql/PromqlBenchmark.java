package io.vigil.bench.promql;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.model.Labels;
import io.vigil.promql.Engine;
import io.vigil.promql.EngineOptions;
import io.vigil.promql.Result;
import io.vigil.storage.Appender;
import io.vigil.tsdb.head.Head;
import io.vigil.tsdb.head.HeadMetrics;
import io.vigil.tsdb.head.HeadOptions;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The PromQL engine on the five reference queries, against vigil-tsdb's in-memory head
 * (no WAL) holding synthetic data scraped every 15 s:
 * (a) sum by (job) (rate(x[5m])) over 10k series, 2 h range at 15 s step;
 * (b) histogram_quantile(0.99, sum by (le) (rate(b_bucket[5m]))) over 1k histograms of 12 buckets, 1 h at 15 s;
 * (c) a regex selector over 100k series (instant);
 * (d) rate over one series for 24 h at 15 s step;
 * (e) topk(10, ...) over 100k series (instant).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgs = {"-Xmx8g"})
public class PromqlBenchmark {
  private static final long SCRAPE_MS = 15_000;
  private static final long HOUR_MS = 3_600_000;
  /** Data starts at t=0; queries end at END_MS. */
  private static final long END_MS = 25 * HOUR_MS;

  private Head head;
  private Engine engine;

  @Setup(Level.Trial)
  public void load() {
    // Block range and out-of-order window wide enough to load series one after another.
    long wide = 400L * 24 * HOUR_MS;
    head = new Head(new HeadOptions(wide, wide, 0), new HeadMetrics(new PrometheusRegistry()), null);
    engine = new Engine(EngineOptions.DEFAULTS);
    long from = END_MS - 2 * HOUR_MS - 5 * 60_000;
    // (a) 10k counters over the last 2h05m, 10 jobs.
    for (int s = 0; s < 10_000; s++) {
      Labels l = Labels.of("__name__", "x", "job", "job-" + (s % 10), "instance", "host-" + s + ":9100");
      appendCounter(l, from, END_MS, s);
    }
    // (b) 1k histograms of 12 buckets over the last 1h05m.
    String[] les = {"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"};
    long hFrom = END_MS - HOUR_MS - 5 * 60_000;
    for (int h = 0; h < 1_000; h++) {
      for (int b = 0; b < les.length; b++) {
        Labels l = Labels.of("__name__", "b_bucket", "le", les[b], "instance", "host-" + h + ":9100", "job", "api");
        appendCounter(l, hFrom, END_MS, b + 1);
      }
    }
    // (c)/(e) 100k series with the last 10 minutes of samples.
    for (int s = 0; s < 100_000; s++) {
      Labels l = Labels.of("__name__", "wide", "instance", "host-" + s + ":9100", "job", "job-" + (s % 100));
      appendCounter(l, END_MS - 10 * 60_000, END_MS, s);
    }
    // (d) one series over 24h05m.
    appendCounter(Labels.of("__name__", "single_total", "job", "one"), END_MS - 24 * HOUR_MS - 5 * 60_000, END_MS, 7);
  }

  private void appendCounter(Labels l, long from, long to, int seed) {
    Appender app = head.appender();
    long ref = 0;
    double v = seed % 7;
    for (long t = from; t <= to; t += SCRAPE_MS) {
      v += 1 + (seed + t / SCRAPE_MS) % 5;
      ref = app.append(ref, l, t, v);
    }
    app.commit();
  }

  @TearDown(Level.Trial)
  public void close() {
    head.close();
  }

  @Benchmark
  public Result a_sumByJobRate10kSeries2h() {
    return engine.rangeQuery(head::querier, "sum by (job) (rate(x[5m]))", END_MS - 2 * HOUR_MS, END_MS, SCRAPE_MS)
        .execute();
  }

  @Benchmark
  public Result b_histogramQuantile1kHistograms1h() {
    return engine.rangeQuery(head::querier, "histogram_quantile(0.99, sum by (le) (rate(b_bucket[5m])))",
        END_MS - HOUR_MS, END_MS, SCRAPE_MS).execute();
  }

  @Benchmark
  public Result c_regexSelector100kSeries() {
    return engine.instantQuery(head::querier, "wide{instance=~\"host-1[0-9]*5:9100\"}", END_MS).execute();
  }

  @Benchmark
  public Result d_singleSeries24hRange() {
    return engine.rangeQuery(head::querier, "rate(single_total[5m])", END_MS - 24 * HOUR_MS, END_MS, SCRAPE_MS)
        .execute();
  }

  @Benchmark
  public Result e_topk10Of100kSeries() {
    return engine.instantQuery(head::querier, "topk(10, wide)", END_MS).execute();
  }
}
