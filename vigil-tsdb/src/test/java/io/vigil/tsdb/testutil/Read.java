package io.vigil.tsdb.testutil;

import io.vigil.model.Labels;
import io.vigil.model.Matcher;
import io.vigil.storage.Querier;
import io.vigil.storage.Queryable;
import io.vigil.storage.SampleIterator;
import io.vigil.storage.SeriesSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads whole result sets into plain maps for assertions. */
public final class Read {
  private Read() {}

  /** One sample with raw value bits, so staleness markers compare exactly. */
  public record Point(long t, long bits) {
    public static Point of(long t, double v) {
      return new Point(t, Double.doubleToRawLongBits(v));
    }

    public double value() {
      return Double.longBitsToDouble(bits);
    }

    @Override
    public String toString() {
      return t + "=" + value();
    }
  }

  public static Map<Labels, List<Point>> all(Querier q, Matcher... matchers) {
    Map<Labels, List<Point>> out = new LinkedHashMap<>();
    SeriesSet ss = q.select(true, null, matchers);
    SampleIterator reuse = null;
    while (ss.next()) {
      List<Point> pts = new ArrayList<>();
      reuse = ss.at().iterator(reuse);
      while (reuse.next()) {
        pts.add(new Point(reuse.atT(), Double.doubleToRawLongBits(reuse.atV())));
      }
      out.put(ss.at().labels(), pts);
    }
    return out;
  }

  public static Map<Labels, List<Point>> all(Queryable db, long mint, long maxt, Matcher... matchers) {
    try (Querier q = db.querier(mint, maxt)) {
      return all(q, matchers);
    }
  }
}
