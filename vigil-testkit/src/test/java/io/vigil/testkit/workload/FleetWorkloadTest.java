package io.vigil.testkit.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Labels;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FleetWorkloadTest {
  @Test
  void sameSeedSameSeriesAndSamples() {
    FleetWorkload a = FleetWorkload.create(3, 42);
    FleetWorkload b = FleetWorkload.create(3, 42);
    assertThat(a.series()).isEqualTo(b.series());
    long[] ta = new long[a.size()];
    long[] tb = new long[b.size()];
    double[] va = new double[a.size()];
    double[] vb = new double[b.size()];
    for (int i = 0; i < 20; i++) {
      a.next(ta, va);
      b.next(tb, vb);
      assertThat(ta).isEqualTo(tb);
      assertThat(va).isEqualTo(vb);
    }
    assertThat(FleetWorkload.create(3, 43).series()).isNotEqualTo(a.series());
  }

  @Test
  void hasAFleetsLabelShape() {
    FleetWorkload w = FleetWorkload.create(4, 7);
    Set<String> names = new HashSet<>();
    for (Labels l : w.series()) {
      names.add(l.metricName());
      assertThat(l.has("instance")).isTrue();
      assertThat(l.has("job")).isTrue();
      assertThat(l.size() - 3).as("labels beyond __name__, instance, job in %s", l).isBetween(1, 3);
    }
    assertThat(names.size()).isBetween(195, 210).isEqualTo(w.metricNames());
    assertThat(new HashSet<>(w.series())).hasSize(w.size());
    assertThat(w.size() / 4).as("series per host").isBetween(300, 5000);
  }

  @Test
  void countersGrowTimestampsFollowTheIntervalHistogramsAreCumulative() {
    FleetWorkload w = FleetWorkload.create(2, 11);
    long[] t0 = new long[w.size()];
    double[] v0 = new double[w.size()];
    long[] t1 = new long[w.size()];
    double[] v1 = new double[w.size()];
    w.next(t0, v0);
    int drops = 0;
    int counters = 0;
    for (int s = 0; s < 40; s++) {
      w.next(t1, v1);
      for (int i = 0; i < w.size(); i++) {
        assertThat(t1[i] - t0[i]).isBetween(15_000L - 6, 15_000L + 6);
        String name = w.series().get(i).metricName();
        if (name.endsWith("_total")) {
          counters++;
          if (v1[i] < v0[i]) {
            drops++;
          }
        }
      }
      System.arraycopy(t1, 0, t0, 0, t1.length);
      System.arraycopy(v1, 0, v0, 0, v1.length);
    }
    assertThat(drops).as("counter resets are rare").isLessThan(counters / 1000 + 5);
    // Buckets are cumulative: +Inf equals _count.
    for (int i = 0; i < w.size(); i++) {
      Labels l = w.series().get(i);
      if ("+Inf".equals(l.get("le"))) {
        assertThat(v1[i + 2]).isEqualTo(v1[i]);
        assertThat(v1[i]).isGreaterThanOrEqualTo(v1[i - 1]);
      }
    }
  }
}
