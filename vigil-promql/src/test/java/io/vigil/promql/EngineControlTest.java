package io.vigil.promql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.model.Labels;
import io.vigil.model.Matcher;
import io.vigil.storage.Appender;
import io.vigil.storage.LabelHints;
import io.vigil.storage.Querier;
import io.vigil.storage.Queryable;
import io.vigil.storage.SelectHints;
import io.vigil.storage.SeriesSet;
import io.vigil.testkit.MemoryStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Limits and control: max samples, timeout, cancellation, the concurrency queue, the query log, the API shape. */
class EngineControlTest {
  private final MemoryStorage storage = new MemoryStorage();
  private final ExecutorService pool = Executors.newCachedThreadPool();

  EngineControlTest() {
    Appender app = storage.appender();
    for (int s = 0; s < 20; s++) {
      for (int i = 0; i <= 100; i++) {
        app.append(Labels.of("__name__", "x_total", "job", "j" + (s % 2), "i", "" + s), i * 15_000L, i * 10.0);
      }
    }
    app.commit();
  }

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  @Test
  void tooManySamplesFailsCleanlyAndTheEngineKeepsServing() {
    Engine engine = new Engine(EngineOptions.DEFAULTS.withMaxSamples(500));
    Query big = engine.rangeQuery(storage, "sum(rate(x_total[5m]))", 0, 1_500_000, 15_000);
    assertThatThrownBy(big::execute).isInstanceOf(QueryException.class)
        .hasMessage("query processing would load too many samples into memory in query execution")
        .satisfies(e -> assertThat(((QueryException) e).kind()).isEqualTo(QueryException.Kind.EXECUTION));
    Result ok = engine.instantQuery(storage, "count(x_total)", 1_500_000).execute();
    assertThat(((Vector) ok.value()).values()).containsExactly(20);
  }

  @Test
  void timeoutYieldsPrometheusError() {
    Engine engine = new Engine(EngineOptions.DEFAULTS.withTimeout(Duration.ofNanos(1)));
    assertThatThrownBy(() -> engine.instantQuery(storage, "x_total", 0).execute())
        .isInstanceOf(QueryException.class).hasMessage("query timed out in expression evaluation");
  }

  @Test
  void cancelStopsARunningQuery() throws Exception {
    BlockingQueryable blocking = new BlockingQueryable(storage);
    Engine engine = new Engine(EngineOptions.DEFAULTS);
    Query q = engine.instantQuery(blocking, "x_total", 0);
    Future<Result> f = pool.submit(q::execute);
    assertThat(blocking.entered.await(10, TimeUnit.SECONDS)).isTrue();
    q.cancel();
    blocking.release.countDown();
    assertThatThrownBy(f::get).hasCauseInstanceOf(QueryException.class)
        .cause().hasMessage("query was canceled in expression evaluation");
  }

  @Test
  void queriesBeyondMaxConcurrencyWaitInTheQueue() throws Exception {
    BlockingQueryable blocking = new BlockingQueryable(storage);
    Engine engine = new Engine(EngineOptions.DEFAULTS.withMaxConcurrency(1).withTimeout(Duration.ofMillis(300)));
    Future<Result> first = pool.submit(() -> engine.instantQuery(blocking, "x_total", 0).execute());
    assertThat(blocking.entered.await(10, TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(() -> engine.instantQuery(storage, "x_total", 0).execute())
        .hasMessage("query timed out in query queue");
    blocking.release.countDown();
    assertThatThrownBy(first::get).cause().hasMessage("query timed out in expression evaluation");
    // The slot is free again.
    assertThat(engine.instantQuery(storage, "count(x_total)", 0).execute().value()).isInstanceOf(Vector.class);
  }

  @Test
  void queryLogWritesOneJsonLinePerQuery(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("queries.log");
    Engine engine = new Engine(EngineOptions.DEFAULTS.withQueryLogFile(log));
    engine.instantQuery(storage, "up{a=\"\\\"q\\\"\"}", 0).execute();
    engine.rangeQuery(storage, "sum(x_total)", 0, 60_000, 15_000).execute();
    List<String> lines = Files.readAllLines(log);
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).startsWith("{\"params\":{\"end\":\"1970-01-01T00:00:00.000Z\",\"query\":\"up{a=\\\"\\\\\\\"q\\\\\\\"\\\"}\"")
        .contains("\"stats\":{\"timings\":{\"evalTotalTime\":").contains("\"ts\":\"");
    assertThat(lines.get(1)).contains("\"query\":\"sum(x_total)\"").contains("\"step\":15");
  }

  @Test
  void rangeQueryReturnsSortedMatrixAndStats() {
    Engine engine = new Engine(EngineOptions.DEFAULTS);
    Result r = engine.rangeQuery(storage, "sum by (job) (rate(x_total[1m]))", 60_000, 120_000, 30_000).execute();
    Matrix m = (Matrix) r.value();
    assertThat(m.series()).extracting(s -> s.labels().get("job")).containsExactly("j0", "j1");
    assertThat(m.series().get(0).timestamps()).containsExactly(60_000, 90_000, 120_000);
    assertThat(m.series().get(0).values()[0]).isCloseTo(10 * 10.0 / 15, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(r.stats().totalQueryableSamples()).isPositive();
    assertThat(r.infos()).isEmpty();
    Result scalar = engine.rangeQuery(storage, "time()", 0, 30_000, 15_000).execute();
    assertThat(((Matrix) scalar.value()).series().get(0).values()).containsExactly(0, 15, 30);
  }

  @Test
  void rejectsBadRangeQueries() {
    Engine engine = new Engine(EngineOptions.DEFAULTS);
    assertThatThrownBy(() -> engine.rangeQuery(storage, "x_total[5m]", 0, 10, 1)).isInstanceOf(QueryException.class)
        .hasMessage("invalid expression type \"range vector\" for range query, must be Scalar or instant Vector");
    assertThatThrownBy(() -> engine.rangeQuery(storage, "x_total", 10, 0, 1)).isInstanceOf(QueryException.class);
  }

  @Test
  void infoForRateOnNonCounterName() {
    Appender app = storage.appender();
    app.append(Labels.of("__name__", "gauge_x"), 0, 1);
    app.append(Labels.of("__name__", "gauge_x"), 15_000, 2);
    app.commit();
    Result r = new Engine(EngineOptions.DEFAULTS).instantQuery(storage, "rate(gauge_x[1m])", 30_000).execute();
    assertThat(r.infos()).containsExactly(
        "PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: \"gauge_x\"");
  }

  /** A storage whose select blocks until released: a query that is "running" for as long as the test wants. */
  static final class BlockingQueryable implements Queryable {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    private final Queryable inner;

    BlockingQueryable(Queryable inner) {
      this.inner = inner;
    }

    @Override
    public Querier querier(long mint, long maxt) {
      Querier q = inner.querier(mint, maxt);
      return new Querier() {
        @Override
        public SeriesSet select(boolean sort, SelectHints hints, Matcher... matchers) {
          entered.countDown();
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return q.select(sort, hints, matchers);
        }

        @Override
        public List<String> labelValues(String name, LabelHints hints, Matcher... matchers) {
          return q.labelValues(name, hints, matchers);
        }

        @Override
        public List<String> labelNames(LabelHints hints, Matcher... matchers) {
          return q.labelNames(hints, matchers);
        }

        @Override
        public void close() {
          q.close();
        }
      };
    }
  }
}
