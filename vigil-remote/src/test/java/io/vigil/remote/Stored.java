package io.vigil.remote;

import io.vigil.model.Labels;
import io.vigil.model.MatchType;
import io.vigil.model.Matcher;
import io.vigil.storage.Querier;
import io.vigil.storage.Queryable;
import io.vigil.storage.SampleIterator;
import io.vigil.storage.SeriesSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads what a storage holds, for assertions: series to (timestamp, raw value bits) pairs. */
final class Stored {
  private Stored() {}

  /** One sample; values compared by raw bits so StaleNaN and NaN stay distinct. */
  record Point(long t, long bits) {
    static Point of(long t, double v) {
      return new Point(t, Double.doubleToRawLongBits(v));
    }

    double value() {
      return Double.longBitsToDouble(bits);
    }
  }

  static Map<Labels, List<Point>> all(Queryable db) {
    return select(db, Long.MIN_VALUE, Long.MAX_VALUE, Matcher.of(MatchType.REGEX, Labels.METRIC_NAME, ".+"));
  }

  static Map<Labels, List<Point>> select(Queryable db, long mint, long maxt, Matcher... matchers) {
    Map<Labels, List<Point>> out = new TreeMap<>();
    try (Querier q = db.querier(mint, maxt)) {
      SeriesSet set = q.select(true, null, matchers);
      SampleIterator it = null;
      while (set.next()) {
        it = set.at().iterator(it);
        List<Point> points = new ArrayList<>();
        while (it.next()) {
          points.add(new Point(it.atT(), Double.doubleToRawLongBits(it.atV())));
        }
        out.put(set.at().labels(), points);
      }
    }
    return out;
  }
}
