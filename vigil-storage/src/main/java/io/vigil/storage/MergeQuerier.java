package io.vigil.storage;

import io.vigil.model.Matcher;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A querier over several queriers of the same data space (e.g. a TSDB's blocks and head, or local
 * and remote storage): series with equal labels are merged and duplicate samples (equal timestamps)
 * collapse, the earlier querier in the list winning. Closing it closes all of them.
 */
public final class MergeQuerier implements Querier {
  private final List<Querier> queriers;

  public MergeQuerier(List<Querier> queriers) {
    this.queriers = List.copyOf(queriers);
  }

  @Override
  public SeriesSet select(boolean sortSeries, SelectHints hints, Matcher... matchers) {
    if (queriers.isEmpty()) {
      return SeriesSet.EMPTY;
    }
    if (queriers.size() == 1) {
      return queriers.get(0).select(sortSeries, hints, matchers);
    }
    // Merging needs every input sorted, whatever the caller asked for.
    SeriesSet[] sets = new SeriesSet[queriers.size()];
    for (int i = 0; i < sets.length; i++) {
      sets[i] = queriers.get(i).select(true, hints, matchers);
    }
    return new MergeSeriesSet(sets);
  }

  @Override
  public List<String> labelValues(String name, LabelHints hints, Matcher... matchers) {
    if (queriers.size() == 1) {
      return queriers.get(0).labelValues(name, hints, matchers);
    }
    TreeSet<String> all = new TreeSet<>();
    for (Querier q : queriers) {
      all.addAll(q.labelValues(name, hints, matchers));
    }
    return limit(all, hints);
  }

  @Override
  public List<String> labelNames(LabelHints hints, Matcher... matchers) {
    if (queriers.size() == 1) {
      return queriers.get(0).labelNames(hints, matchers);
    }
    TreeSet<String> all = new TreeSet<>();
    for (Querier q : queriers) {
      all.addAll(q.labelNames(hints, matchers));
    }
    return limit(all, hints);
  }

  private static List<String> limit(TreeSet<String> all, LabelHints hints) {
    List<String> out = new ArrayList<>(all);
    return hints != null && hints.limit() > 0 && out.size() > hints.limit() ? out.subList(0, hints.limit()) : out;
  }

  @Override
  public void close() {
    RuntimeException first = null;
    for (Querier q : queriers) {
      try {
        q.close();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
