package io.vigil.web.api;

import io.vigil.model.Labels;
import io.vigil.model.Matcher;
import io.vigil.storage.LabelHints;
import io.vigil.storage.Querier;
import io.vigil.storage.Queryable;
import io.vigil.storage.SampleIterator;
import io.vigil.storage.SelectHints;
import io.vigil.storage.Series;
import io.vigil.storage.SeriesSet;
import io.vigil.testkit.MemoryStorage;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A storage whose selects never end: an endless series set yielding one series every few
 * milliseconds. A query over it finishes only when cancelled; {@link #closed} opens when the engine
 * gives its querier back.
 */
final class SlowQueryable implements Queryable {
  final CountDownLatch started = new CountDownLatch(1);
  final CountDownLatch closed = new CountDownLatch(1);
  final AtomicInteger produced = new AtomicInteger();

  @Override
  public Querier querier(long mint, long maxt) {
    return new Querier() {
      @Override
      public SeriesSet select(boolean sortSeries, SelectHints hints, Matcher... matchers) {
        started.countDown();
        return new SeriesSet() {
          private int n;

          @Override
          public boolean next() {
            try {
              Thread.sleep(2);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return false;
            }
            n++;
            produced.incrementAndGet();
            return true;
          }

          @Override
          public Series at() {
            Labels l = Labels.of("__name__", "slow", "i", Integer.toString(n));
            long t = hints == null ? maxt : hints.endMs();
            return new Series() {
              @Override
              public Labels labels() {
                return l;
              }

              @Override
              public SampleIterator iterator(SampleIterator reuse) {
                return new MemoryStorage.ArrayIterator(new long[] {t}, new double[] {1});
              }
            };
          }
        };
      }

      @Override
      public List<String> labelValues(String name, LabelHints hints, Matcher... matchers) {
        return List.of();
      }

      @Override
      public List<String> labelNames(LabelHints hints, Matcher... matchers) {
        return List.of();
      }

      @Override
      public void close() {
        closed.countDown();
      }
    };
  }
}
