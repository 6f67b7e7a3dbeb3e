package io.vigil.tsdb.query;

import io.vigil.model.Labels;
import io.vigil.model.Matcher;
import io.vigil.storage.LabelHints;
import io.vigil.storage.Querier;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/**
 * Label name and value lookups shared by the head and block queriers. Without matchers the
 * source's whole index answers (as in Prometheus); with matchers, the labels of matching series
 * that have data in the querier's range.
 */
public abstract class LabelQuerier implements Querier {
  /** @throws io.vigil.storage.StorageException if the querier is closed */
  protected abstract void ensureOpen();

  /** Sorted values of {@code name} in the whole source. */
  protected abstract List<String> allLabelValues(String name);

  /** Sorted label names in the whole source. */
  protected abstract List<String> allLabelNames();

  /** Labels of the series matching all matchers that have data in the querier's range. */
  protected abstract Iterator<Labels> labelsWithData(Matcher... matchers);

  @Override
  public final List<String> labelValues(String name, LabelHints hints, Matcher... matchers) {
    ensureOpen();
    if (matchers.length == 0) {
      return limit(allLabelValues(name), hints);
    }
    TreeSet<String> set = new TreeSet<>();
    for (Iterator<Labels> it = labelsWithData(matchers); it.hasNext(); ) {
      String v = it.next().get(name);
      if (!v.isEmpty()) {
        set.add(v);
      }
    }
    return limit(new ArrayList<>(set), hints);
  }

  @Override
  public final List<String> labelNames(LabelHints hints, Matcher... matchers) {
    ensureOpen();
    if (matchers.length == 0) {
      return limit(allLabelNames(), hints);
    }
    TreeSet<String> set = new TreeSet<>();
    for (Iterator<Labels> it = labelsWithData(matchers); it.hasNext(); ) {
      set.addAll(it.next().names());
    }
    return limit(new ArrayList<>(set), hints);
  }

  /** The first {@code hints.limit()} entries when a limit is set. */
  static List<String> limit(List<String> list, LabelHints hints) {
    return hints != null && hints.limit() > 0 && list.size() > hints.limit() ? list.subList(0, hints.limit()) : list;
  }
}
