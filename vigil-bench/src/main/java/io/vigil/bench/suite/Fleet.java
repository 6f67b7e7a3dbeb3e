package io.vigil.bench.suite;

import io.vigil.model.Labels;
import io.vigil.testkit.workload.FleetWorkload;
import java.util.BitSet;
import java.util.List;

/**
 * The benchmark's data: a {@link FleetWorkload} sized to about the requested number of series,
 * placed in time so that its last scrape ends just before {@code endMs} ("now" when the run starts),
 * which every server accepts (Prometheus's head takes samples within an hour of its newest one and
 * nothing from the future). It also remembers where sample timestamps fall within the scrape
 * interval, so that query times can be chosen that no sample window boundary touches: Prometheus 2.42
 * includes a sample exactly at t - range, Prometheus 3 (and Vigil) do not, and the suite wants to
 * compare engines, not that boundary.
 */
final class Fleet {
  private final FleetWorkload workload;
  final int scrapes;
  final long[] ts;
  final double[] vs;
  private final BitSet residues;
  private long minTimestampMs = Long.MAX_VALUE;
  private long maxTimestampMs = Long.MIN_VALUE;

  private Fleet(FleetWorkload workload, int scrapes) {
    this.workload = workload;
    this.scrapes = scrapes;
    this.ts = new long[workload.size()];
    this.vs = new double[workload.size()];
    this.residues = new BitSet((int) workload.options().intervalMs());
  }

  /**
   * @param series about this many series (whole hosts of the fleet, at least one)
   * @param hours this much data at the fleet's 15 s interval
   * @param endMs every sample is older than this
   */
  static Fleet create(int series, double hours, long seed, long endMs) {
    int perHost = FleetWorkload.create(1, seed).size();
    int hosts = Math.max(1, (int) Math.round((double) series / perHost));
    FleetWorkload.Options d = FleetWorkload.Options.defaults(hosts, seed);
    int scrapes = Math.max(1, (int) Math.round(hours * 3_600_000 / d.intervalMs()));
    // The last scrape's base time plus the largest target offset (< interval) plus jitter stays below endMs.
    long startMs = endMs - (long) scrapes * d.intervalMs() - d.jitterMaxMs() - 1;
    return new Fleet(new FleetWorkload(new FleetWorkload.Options(hosts, seed, startMs, d.intervalMs(), d.jitterProbability(),
        d.jitterMaxMs())), scrapes);
  }

  /** Series per host of the fleet with this seed. */
  static int seriesPerHost(long seed) {
    return FleetWorkload.create(1, seed).size();
  }

  int size() {
    return workload.size();
  }

  int hosts() {
    return workload.options().hosts();
  }

  int metricNames() {
    return workload.metricNames();
  }

  long intervalMs() {
    return workload.options().intervalMs();
  }

  List<Labels> series() {
    return workload.series();
  }

  long totalSamples() {
    return (long) scrapes * size();
  }

  /** Produces the next scrape into {@link #ts} and {@link #vs}. */
  void next() {
    workload.next(ts, vs);
    long interval = intervalMs();
    for (long t : ts) {
      residues.set((int) Math.floorMod(t, interval));
      minTimestampMs = Math.min(minTimestampMs, t);
      maxTimestampMs = Math.max(maxTimestampMs, t);
    }
  }

  long minTimestampMs() {
    return minTimestampMs;
  }

  long maxTimestampMs() {
    return maxTimestampMs;
  }

  /**
   * The first time after the newest sample that lies at least {@code marginMs} from every sample
   * timestamp modulo the scrape interval: then no window whose length is a multiple of the interval
   * (5 m lookback, [1h], [5m], steps of 15 s or 60 s) starts exactly on a sample.
   */
  long evalTimeMs(int marginMs) {
    long interval = intervalMs();
    for (long t = maxTimestampMs + 1; t <= maxTimestampMs + interval; t++) {
      if (clear(Math.floorMod(t, interval), marginMs)) {
        return t;
      }
    }
    throw new IllegalStateException("no query time " + marginMs + " ms away from every sample (too many targets?)");
  }

  private boolean clear(long residue, int marginMs) {
    long interval = intervalMs();
    for (int d = -marginMs; d <= marginMs; d++) {
      if (residues.get((int) Math.floorMod(residue + d, interval))) {
        return false;
      }
    }
    return true;
  }
}
