package io.vigil.push;

import io.vigil.model.Labels;
import io.vigil.model.Matcher;
import io.vigil.model.StaleNaN;
import io.vigil.storage.Querier;
import io.vigil.storage.Queryable;
import io.vigil.storage.SampleIterator;
import io.vigil.storage.SeriesSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Reads back what the sampler wrote. */
final class Stored {
  record Sample(long t, double v) {
    boolean stale() {
      return StaleNaN.is(v);
    }
  }

  private Stored() {}

  /** Every matching series with all its samples, sorted by labels. */
  static Map<Labels, List<Sample>> read(Queryable storage, Matcher... matchers) {
    Map<Labels, List<Sample>> out = new LinkedHashMap<>();
    try (Querier q = storage.querier(Long.MIN_VALUE / 2, Long.MAX_VALUE / 2)) {
      SeriesSet set = q.select(true, null, matchers);
      SampleIterator it = null;
      while (set.next()) {
        List<Sample> samples = new ArrayList<>();
        it = set.at().iterator(it);
        while (it.next()) {
          samples.add(new Sample(it.atT(), it.atV()));
        }
        out.put(set.at().labels(), samples);
      }
    }
    return out;
  }

  static Map<Labels, List<Sample>> metric(Queryable storage, String name) {
    return read(storage, Matcher.equal(Labels.METRIC_NAME, name));
  }

  /** The samples of exactly this series (empty if none). */
  static List<Sample> series(Queryable storage, Labels labels) {
    List<Matcher> m = new ArrayList<>();
    labels.forEach((n, v) -> m.add(Matcher.equal(n, v)));
    return read(storage, m.toArray(Matcher[]::new)).getOrDefault(labels, List.of());
  }

  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
