package io.vigil.storage;

import io.vigil.model.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Merges series sets that are each sorted by labels into one sorted set. Series with equal labels
 * in several sets become one series whose samples are merged with {@link MergeSampleIterator}
 * (earlier sets win on equal timestamps). Warnings of all sets are kept.
 */
public final class MergeSeriesSet implements SeriesSet {
  private final SeriesSet[] sets;
  private final PriorityQueue<Integer> heap;
  private final List<String> warnings = new ArrayList<>();
  private boolean started;
  private Series current;

  public MergeSeriesSet(SeriesSet... sets) {
    this.sets = sets;
    this.heap = new PriorityQueue<>(Math.max(1, sets.length), (a, b) -> {
      int c = sets[a].at().labels().compareTo(sets[b].at().labels());
      return c != 0 ? c : Integer.compare(a, b);
    });
  }

  @Override
  public boolean next() {
    if (!started) {
      started = true;
      for (int i = 0; i < sets.length; i++) {
        if (sets[i].next()) {
          heap.add(i);
        }
      }
    }
    if (heap.isEmpty()) {
      collectWarnings();
      return false;
    }
    int first = heap.poll();
    Labels labels = sets[first].at().labels();
    List<Series> same = null;
    while (!heap.isEmpty() && sets[heap.peek()].at().labels().equals(labels)) {
      if (same == null) {
        same = new ArrayList<>(4);
        same.add(sets[first].at());
      }
      int i = heap.poll();
      same.add(sets[i].at());
      if (sets[i].next()) {
        heap.add(i);
      }
    }
    current = same == null ? sets[first].at() : new MergedSeries(labels, same.toArray(Series[]::new));
    if (sets[first].next()) {
      heap.add(first);
    }
    return true;
  }

  private void collectWarnings() {
    if (warnings.isEmpty()) {
      for (SeriesSet s : sets) {
        warnings.addAll(s.warnings());
      }
    }
  }

  @Override
  public Series at() {
    return current;
  }

  @Override
  public List<String> warnings() {
    collectWarnings();
    return warnings;
  }

  /** One series present in several sources. */
  private record MergedSeries(Labels labels, Series[] parts) implements Series {
    @Override
    public SampleIterator iterator(SampleIterator reuse) {
      SampleIterator[] its = new SampleIterator[parts.length];
      SampleIterator[] old = reuse instanceof MergeSampleIterator m && m.sources().length == parts.length ? m.sources() : null;
      for (int i = 0; i < parts.length; i++) {
        its[i] = parts[i].iterator(old == null ? null : old[i]);
      }
      return reuse instanceof MergeSampleIterator m ? m.reset(its) : new MergeSampleIterator(its);
    }
  }
}
