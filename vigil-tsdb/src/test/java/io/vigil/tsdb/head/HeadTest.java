package io.vigil.tsdb.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.vigil.model.Labels;
import io.vigil.model.Matcher;
import io.vigil.model.StaleNaN;
import io.vigil.storage.Appender;
import io.vigil.storage.LabelHints;
import io.vigil.storage.Querier;
import io.vigil.storage.SampleRejectedException;
import io.vigil.storage.SampleRejectedException.Reason;
import io.vigil.tsdb.testutil.Read;
import io.vigil.tsdb.testutil.Read.Point;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class HeadTest {
  private static final long HOUR = 3_600_000;
  private final PrometheusRegistry registry = new PrometheusRegistry();

  private Head head(long oooWindow) {
    return new Head(new HeadOptions(2 * HOUR, oooWindow, 0), new HeadMetrics(registry), null);
  }

  private static Labels l(String... kv) {
    return Labels.of(kv);
  }

  private double counter(String name) {
    return registry.scrape().stream().filter(m -> m.getMetadata().getPrometheusName().equals(name.replace("_total", "")))
        .map(m -> ((CounterSnapshot) m).getDataPoints().get(0).getValue()).findFirst().orElseThrow();
  }

  @Test
  void appendsAreInvisibleUntilCommitAndRefsAreStable() {
    Head h = head(0);
    Appender a = h.appender();
    long ref = a.append(0, l("__name__", "up", "job", "a"), 1000, 1);
    assertThat(ref).isPositive();
    assertThat(Read.all(h::querier, 0, 10_000, Matcher.equal("job", "a"))).isEmpty();
    a.commit();
    a.append(ref, 2000, 2);
    assertThat(a.append(ref, l("__name__", "up", "job", "a"), 3000, StaleNaN.VALUE)).isEqualTo(ref);
    a.commit();
    Map<Labels, List<Point>> got = Read.all(h::querier, 0, 10_000, Matcher.equal("__name__", "up"));
    assertThat(got).containsOnlyKeys(l("__name__", "up", "job", "a"));
    assertThat(got.values().iterator().next()).containsExactly(Point.of(1000, 1), Point.of(2000, 2), Point.of(3000, StaleNaN.VALUE));
  }

  @Test
  void rejectsLikePrometheus() {
    Head h = head(0);
    Appender a = h.appender();
    long ref = a.append(l("__name__", "m"), 10 * HOUR, 1);
    a.commit();
    assertThatThrownBy(() -> a.append(ref, 10 * HOUR - 1, 1)).isInstanceOfSatisfying(SampleRejectedException.class,
        e -> assertThat(e.reason()).isEqualTo(Reason.OUT_OF_ORDER));
    assertThatThrownBy(() -> a.append(ref, 10 * HOUR, 2)).isInstanceOfSatisfying(SampleRejectedException.class,
        e -> assertThat(e.reason()).isEqualTo(Reason.DUPLICATE_TIMESTAMP));
    a.append(ref, 10 * HOUR, 1); // same value: ignored, no error
    // A new series more than half a block range behind the head's newest sample is out of bounds.
    assertThatThrownBy(() -> a.append(l("__name__", "n"), 10 * HOUR - HOUR - 1, 1))
        .isInstanceOfSatisfying(SampleRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.OUT_OF_BOUNDS));
    a.append(l("__name__", "n"), 10 * HOUR - HOUR, 1);
    // Within one batch, the appender's own pending samples count too.
    long r2 = a.append(l("__name__", "o"), 10 * HOUR + 5, 1);
    assertThatThrownBy(() -> a.append(r2, 10 * HOUR + 4, 1)).isInstanceOf(SampleRejectedException.class);
    assertThatThrownBy(() -> a.append(l(), 1, 1)).isInstanceOfSatisfying(SampleRejectedException.class,
        e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_LABELS));
    assertThatThrownBy(() -> a.append(999_999, 1, 1)).isInstanceOfSatisfying(SampleRejectedException.class,
        e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_SERIES));
    a.commit();
    assertThat(counter("vigil_tsdb_out_of_order_samples_total")).isEqualTo(2);
    assertThat(counter("vigil_tsdb_out_of_bounds_samples_total")).isEqualTo(1);
    assertThat(counter("vigil_tsdb_duplicate_samples_total")).isEqualTo(1);
    assertThat(Read.all(h::querier, 0, 100 * HOUR).get(l("__name__", "n"))).containsExactly(Point.of(9 * HOUR, 1));
  }

  @Test
  void rollbackDiscardsTheBatch() {
    Head h = head(0);
    Appender a = h.appender();
    a.append(l("__name__", "m"), 1000, 1);
    a.rollback();
    a.rollback();
    assertThat(Read.all(h::querier, 0, 10_000, Matcher.equal("__name__", "m"))).isEmpty();
    a.append(l("__name__", "m"), 500, 1); // nothing was committed: an older sample is fine
    a.commit();
    assertThat(Read.all(h::querier, 0, 10_000, Matcher.equal("__name__", "m")).values().iterator().next())
        .containsExactly(Point.of(500, 1));
  }

  @Test
  void outOfOrderWindowAcceptsAndMergesAtQueryTime() {
    Head h = head(HOUR);
    Appender a = h.appender();
    long ref = a.append(l("__name__", "m"), 10 * HOUR, 10);
    a.commit();
    a.append(ref, 10 * HOUR - 30 * 60_000, 5);
    a.append(ref, 10 * HOUR - 20 * 60_000, 6);
    a.commit();
    a.append(ref, 10 * HOUR - 25 * 60_000, 5.5);
    a.append(ref, 10 * HOUR + 1, 11);
    a.commit();
    assertThatThrownBy(() -> a.append(ref, 10 * HOUR - 2 * HOUR, 1)).isInstanceOfSatisfying(SampleRejectedException.class,
        e -> assertThat(e.reason()).isEqualTo(Reason.OUT_OF_ORDER));
    List<Point> pts = Read.all(h::querier, 0, 100 * HOUR).get(l("__name__", "m"));
    assertThat(pts).containsExactly(Point.of(10 * HOUR - 30 * 60_000, 5), Point.of(10 * HOUR - 25 * 60_000, 5.5),
        Point.of(10 * HOUR - 20 * 60_000, 6), Point.of(10 * HOUR, 10), Point.of(10 * HOUR + 1, 11));
    try (Querier q = h.querier(10 * HOUR - 26 * 60_000, 10 * HOUR)) {
      assertThat(Read.all(q).get(l("__name__", "m"))).containsExactly(Point.of(10 * HOUR - 25 * 60_000, 5.5),
          Point.of(10 * HOUR - 20 * 60_000, 6), Point.of(10 * HOUR, 10));
    }
  }

  @Test
  void querierSeesASnapshot() {
    Head h = head(0);
    Appender a = h.appender();
    long r1 = a.append(l("__name__", "m", "i", "1"), 1000, 1);
    long r2 = a.append(l("__name__", "m", "i", "2"), 1000, 1);
    a.commit();
    try (Querier q = h.querier(0, Long.MAX_VALUE)) {
      for (int i = 2; i < 300; i++) { // enough to cut several chunks
        a.append(r1, i * 1000L, i);
        a.append(r2, i * 1000L, i);
        a.append(l("__name__", "m", "i", "3"), i * 1000L, i);
        a.commit();
      }
      Map<Labels, List<Point>> got = Read.all(q, Matcher.equal("__name__", "m"));
      assertThat(got).hasSize(2);
      got.values().forEach(p -> assertThat(p).containsExactly(Point.of(1000, 1)));
    }
    Map<Labels, List<Point>> now = Read.all(h::querier, 0, Long.MAX_VALUE, Matcher.equal("__name__", "m"));
    assertThat(now).hasSize(3);
    assertThat(now.get(l("__name__", "m", "i", "1"))).hasSize(299);
  }

  @Test
  void concurrentCommitsAreAtomicForReaders() throws Exception {
    Head h = head(0);
    int writers = 4;
    int seriesPerBatch = 50;
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread[] ts = new Thread[writers];
    for (int w = 0; w < writers; w++) {
      int wid = w;
      ts[w] = Thread.ofPlatform().start(() -> {
        Appender a = h.appender();
        long[] refs = new long[seriesPerBatch];
        for (int b = 1; b <= 400; b++) {
          for (int s = 0; s < seriesPerBatch; s++) {
            refs[s] = a.append(refs[s], l("__name__", "x", "w", "" + wid, "s", "" + s), b * 1000L, b);
          }
          a.commit();
        }
      });
    }
    Thread reader = Thread.ofPlatform().start(() -> {
      try {
        while (!stop.get()) {
          // Every writer's series must all end at the same batch: a batch is all or nothing.
          Map<Labels, List<Point>> got = Read.all(h::querier, 0, Long.MAX_VALUE, Matcher.equal("__name__", "x"));
          for (int w = 0; w < writers; w++) {
            long last = -1;
            for (int s = 0; s < seriesPerBatch; s++) {
              List<Point> p = got.get(l("__name__", "x", "w", "" + w, "s", "" + s));
              long t = p == null ? 0 : p.get(p.size() - 1).t();
              if (last >= 0 && t != last) {
                throw new AssertionError("writer " + w + " partly visible: series " + s + " ends at " + t + ", others at " + last);
              }
              last = t;
            }
          }
        }
      } catch (Throwable e) {
        failure.set(e);
      }
    });
    for (Thread t : ts) {
      t.join();
    }
    stop.set(true);
    reader.join();
    assertThat(failure.get()).isNull();
    assertThat(Read.all(h::querier, 0, Long.MAX_VALUE, Matcher.equal("__name__", "x"))).hasSize(writers * seriesPerBatch)
        .allSatisfy((k, v) -> assertThat(v).hasSize(400));
  }

  @Test
  void truncationDropsOldChunksAndEmptySeries() {
    Head h = head(0);
    Appender a = h.appender();
    for (long t = 0; t < 3 * HOUR; t += 15_000) {
      a.append(l("__name__", "keep"), t, t);
      if (t < HOUR) {
        a.append(l("__name__", "gone"), t, t);
      }
      a.commit();
    }
    assertThat(h.numSeries()).isEqualTo(2);
    int removed = h.truncate(2 * HOUR, Long.MAX_VALUE, 1000, 60_000, 60_000);
    assertThat(removed).isEqualTo(1);
    assertThat(h.numSeries()).isEqualTo(1);
    assertThat(h.minValidTime()).isEqualTo(2 * HOUR);
    List<Point> pts = Read.all(h::querier, 0, Long.MAX_VALUE).get(l("__name__", "keep"));
    assertThat(pts.get(0).t()).isEqualTo(2 * HOUR);
    assertThat(pts).hasSize((int) (HOUR / 15_000));
    // The removed series' ref is unknown now; with labels it is recreated.
    Appender b = h.appender();
    b.append(l("__name__", "gone"), 3 * HOUR, 1);
    b.commit();
    assertThat(h.numSeries()).isEqualTo(2);
  }

  @Test
  void labelNamesAndValues() {
    Head h = head(0);
    Appender a = h.appender();
    a.append(l("__name__", "a", "job", "x", "zone", "1"), 1, 1);
    a.append(l("__name__", "b", "job", "y"), 1, 1);
    a.append(l("__name__", "c", "job", "z"), 1, 1);
    a.commit();
    try (Querier q = h.querier(0, 10)) {
      assertThat(q.labelNames(LabelHints.NONE)).containsExactly("__name__", "job", "zone");
      assertThat(q.labelValues("job", LabelHints.NONE)).containsExactly("x", "y", "z");
      assertThat(q.labelValues("job", new LabelHints(2))).containsExactly("x", "y");
      assertThat(q.labelValues("job", LabelHints.NONE, Matcher.regex("__name__", "a|b"))).containsExactly("x", "y");
      assertThat(q.labelNames(LabelHints.NONE, Matcher.equal("job", "y"))).containsExactly("__name__", "job");
    }
  }

  @Test
  void matchersFollowPrometheusSemantics() {
    Head h = head(0);
    Appender a = h.appender();
    a.append(l("__name__", "m", "a", "1"), 1, 1);
    a.append(l("__name__", "m", "a", "2"), 1, 1);
    a.append(l("__name__", "m", "a", "10", "b", "x"), 1, 1);
    a.append(l("__name__", "m"), 1, 1);
    a.commit();
    assertThat(names(h, Matcher.equal("__name__", "m"), Matcher.notEqual("a", "1"))).containsExactly("{__name__=\"m\"}",
        "{__name__=\"m\", a=\"10\", b=\"x\"}", "{__name__=\"m\", a=\"2\"}");
    assertThat(names(h, Matcher.equal("__name__", "m"), Matcher.equal("a", ""))).containsExactly("{__name__=\"m\"}");
    assertThat(names(h, Matcher.equal("__name__", "m"), Matcher.regex("a", "1.*"))).containsExactly(
        "{__name__=\"m\", a=\"1\"}", "{__name__=\"m\", a=\"10\", b=\"x\"}");
    assertThat(names(h, Matcher.equal("__name__", "m"), Matcher.notRegex("a", "1|2"))).containsExactly(
        "{__name__=\"m\"}", "{__name__=\"m\", a=\"10\", b=\"x\"}");
    assertThat(names(h, Matcher.equal("__name__", "m"), Matcher.regex("a", "|2"))).containsExactly(
        "{__name__=\"m\"}", "{__name__=\"m\", a=\"2\"}");
    assertThat(names(h, Matcher.regex("a", ".+"))).hasSize(3);
    assertThat(names(h, Matcher.equal("__name__", "m"), Matcher.notRegex("b", ".*"))).isEmpty();
    assertThat(names(h, Matcher.equal("__name__", "m"), Matcher.regex("b", ".*"))).hasSize(4);
    assertThat(names(h, Matcher.notEqual("b", ""))).containsExactly("{__name__=\"m\", a=\"10\", b=\"x\"}");
  }

  private static List<String> names(Head h, Matcher... ms) {
    return Read.all(h::querier, 0, 10, ms).keySet().stream().map(Labels::toString).toList();
  }
}
