package io.vigil.scrape;

import io.vigil.model.Labels;
import io.vigil.model.Matcher;
import io.vigil.model.StaleNaN;
import io.vigil.storage.Querier;
import io.vigil.storage.Queryable;
import io.vigil.storage.SampleIterator;
import io.vigil.storage.SeriesSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads what a scrape stored, through the storage's public Querier. */
final class Stored {
  record Point(long t, double v) {
    boolean stale() {
      return StaleNaN.is(v);
    }
  }

  private Stored() {}

  /** Every series matching, with all its samples. */
  static Map<Labels, List<Point>> select(Queryable db, Matcher... matchers) {
    Map<Labels, List<Point>> out = new TreeMap<>();
    try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet ss = q.select(true, null, matchers);
      SampleIterator it = null;
      while (ss.next()) {
        List<Point> points = new ArrayList<>();
        it = ss.at().iterator(it);
        while (it.next()) {
          points.add(new Point(it.atT(), it.atV()));
        }
        out.put(ss.at().labels(), points);
      }
    }
    return out;
  }

  static Map<Labels, List<Point>> job(Queryable db, String job) {
    return select(db, Matcher.equal("job", job));
  }

  static List<Point> series(Queryable db, String... namesAndValues) {
    Matcher[] ms = new Matcher[namesAndValues.length / 2];
    for (int i = 0; i < ms.length; i++) {
      ms[i] = Matcher.equal(namesAndValues[2 * i], namesAndValues[2 * i + 1]);
    }
    Map<Labels, List<Point>> m = select(db, ms);
    if (m.size() != 1) {
      throw new AssertionError("expected one series for " + List.of(namesAndValues) + ", found " + m.keySet());
    }
    return m.values().iterator().next();
  }

  /** Waits until the condition holds, or fails with the message after the timeout. */
  static void await(long timeoutMs, String what, java.util.function.BooleanSupplier cond) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (!cond.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out after " + timeoutMs + " ms waiting for: " + what);
      }
      Thread.sleep(20);
    }
  }
}
