package io.vigil.tsdb.query;

import io.vigil.model.Labels;
import io.vigil.storage.LabelHints;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/** Label name and value lists over matched series, shared by the head and block queriers. */
public final class LabelLookup {
  private LabelLookup() {}

  /** Sorted distinct values of {@code name} among the series' labels, limited by the hints. */
  public static List<String> values(String name, Iterator<Labels> series, LabelHints hints) {
    TreeSet<String> set = new TreeSet<>();
    while (series.hasNext()) {
      String v = series.next().get(name);
      if (!v.isEmpty()) {
        set.add(v);
      }
    }
    return limit(new ArrayList<>(set), hints);
  }

  /** Sorted distinct label names among the series' labels, limited by the hints. */
  public static List<String> names(Iterator<Labels> series, LabelHints hints) {
    TreeSet<String> set = new TreeSet<>();
    while (series.hasNext()) {
      set.addAll(series.next().names());
    }
    return limit(new ArrayList<>(set), hints);
  }

  /** The first {@code hints.limit()} entries when a limit is set. */
  public static List<String> limit(List<String> list, LabelHints hints) {
    return hints != null && hints.limit() > 0 && list.size() > hints.limit() ? list.subList(0, hints.limit()) : list;
  }
}
