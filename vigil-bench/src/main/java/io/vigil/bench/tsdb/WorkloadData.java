package io.vigil.bench.tsdb;

import io.vigil.model.Labels;
import io.vigil.testkit.workload.FleetWorkload;
import java.util.List;

/** Pre-generated scrapes of the fleet workload in primitive arrays, so benchmarks time storage only. */
final class WorkloadData {
  final List<Labels> series;
  final long[][] ts;
  final double[][] vs;
  final long intervalMs;

  WorkloadData(int hosts, int scrapes, long seed) {
    FleetWorkload w = FleetWorkload.create(hosts, seed);
    series = w.series();
    ts = new long[scrapes][w.size()];
    vs = new double[scrapes][w.size()];
    for (int s = 0; s < scrapes; s++) {
      w.next(ts[s], vs[s]);
    }
    intervalMs = w.options().intervalMs();
  }

  int size() {
    return series.size();
  }

  int scrapes() {
    return ts.length;
  }
}
