package io.vigil.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Labels;
import io.vigil.model.Matcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class MergeQuerierTest {
  /** A querier over fixed sorted series, each with parallel timestamp/value arrays. */
  private static final class ListQuerier implements Querier {
    final TreeMap<Labels, double[][]> data = new TreeMap<>();
    boolean closed;

    ListQuerier add(Labels l, double[]... tv) {
      data.put(l, tv);
      return this;
    }

    @Override
    public SeriesSet select(boolean sortSeries, SelectHints hints, Matcher... matchers) {
      List<Series> list = new ArrayList<>();
      data.forEach((l, tv) -> {
        for (Matcher m : matchers) {
          if (!m.matches(l.get(m.name()))) {
            return;
          }
        }
        list.add(new Series() {
          @Override
          public Labels labels() {
            return l;
          }

          @Override
          public SampleIterator iterator(SampleIterator reuse) {
            return new SampleIterator() {
              int i = -1;

              @Override
              public boolean next() {
                return ++i < tv.length;
              }

              @Override
              public boolean seek(long t) {
                if (i < 0) {
                  i = 0;
                }
                while (i < tv.length && tv[i][0] < t) {
                  i++;
                }
                return i < tv.length;
              }

              @Override
              public long atT() {
                return (long) tv[i][0];
              }

              @Override
              public double atV() {
                return tv[i][1];
              }
            };
          }
        });
      });
      var it = list.iterator();
      return new SeriesSet() {
        Series cur;

        @Override
        public boolean next() {
          if (!it.hasNext()) {
            return false;
          }
          cur = it.next();
          return true;
        }

        @Override
        public Series at() {
          return cur;
        }
      };
    }

    @Override
    public List<String> labelValues(String name, LabelHints hints, Matcher... matchers) {
      return data.keySet().stream().map(l -> l.get(name)).filter(v -> !v.isEmpty()).distinct().sorted().toList();
    }

    @Override
    public List<String> labelNames(LabelHints hints, Matcher... matchers) {
      return data.keySet().stream().flatMap(l -> l.names().stream()).distinct().sorted().toList();
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  private static Map<String, List<String>> read(SeriesSet ss) {
    Map<String, List<String>> out = new TreeMap<>();
    SampleIterator reuse = null;
    while (ss.next()) {
      List<String> pts = new ArrayList<>();
      reuse = ss.at().iterator(reuse);
      while (reuse.next()) {
        pts.add(reuse.atT() + "=" + reuse.atV());
      }
      out.put(ss.at().labels().toString(), pts);
    }
    return out;
  }

  @Test
  void mergesSeriesAndDeduplicatesSamplesFirstQuerierWinning() {
    Labels a = Labels.of("__name__", "m", "i", "a");
    Labels b = Labels.of("__name__", "m", "i", "b");
    Labels c = Labels.of("__name__", "m", "i", "c");
    ListQuerier blocks = new ListQuerier().add(a, new double[] {1, 10}, new double[] {2, 20}).add(c, new double[] {5, 50});
    ListQuerier head = new ListQuerier().add(a, new double[] {2, 99}, new double[] {3, 30}).add(b, new double[] {1, 1});
    MergeQuerier q = new MergeQuerier(List.of(blocks, head));
    Map<String, List<String>> got = read(q.select(false, null, Matcher.equal("__name__", "m")));
    assertThat(got).containsExactly(
        Map.entry(a.toString(), List.of("1=10.0", "2=20.0", "3=30.0")),
        Map.entry(b.toString(), List.of("1=1.0")),
        Map.entry(c.toString(), List.of("5=50.0")));
    assertThat(q.labelValues("i", LabelHints.NONE)).containsExactly("a", "b", "c");
    assertThat(q.labelValues("i", new LabelHints(2))).containsExactly("a", "b");
    assertThat(q.labelNames(LabelHints.NONE)).containsExactly("__name__", "i");
    q.close();
    assertThat(blocks.closed && head.closed).isTrue();
  }

  @Test
  void mergedIteratorSeeksAcrossSources() {
    ListQuerier one = new ListQuerier().add(Labels.of("a", "1"), new double[] {1, 1}, new double[] {4, 4}, new double[] {9, 9});
    ListQuerier two = new ListQuerier().add(Labels.of("a", "1"), new double[] {2, 2}, new double[] {4, 40}, new double[] {7, 7});
    SeriesSet s1 = one.select(true, null);
    SeriesSet s2 = two.select(true, null);
    s1.next();
    s2.next();
    MergeSampleIterator it = new MergeSampleIterator(s1.at().iterator(null), s2.at().iterator(null));
    assertThat(it.seek(3)).isTrue();
    assertThat(it.atT()).isEqualTo(4);
    assertThat(it.atV()).isEqualTo(4); // the first source wins on equal timestamps
    assertThat(it.seek(2)).isTrue(); // never backwards
    assertThat(it.atT()).isEqualTo(4);
    assertThat(it.next()).isTrue();
    assertThat(it.atT()).isEqualTo(7);
    assertThat(it.next()).isTrue();
    assertThat(it.atT()).isEqualTo(9);
    assertThat(it.next()).isFalse();
    assertThat(it.next()).isFalse();
  }
}
