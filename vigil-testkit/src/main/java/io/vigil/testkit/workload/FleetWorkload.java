package io.vigil.testkit.workload;

import io.vigil.model.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A realistic, deterministic metrics workload: a fleet of hosts, each scraped as two targets (a node
 * exporter, {@code job="node"}, and an application, {@code job="app"}) every 15 s. About 200 metric
 * names; every series has {@code instance}, {@code job} and one to three more labels (dimensions
 * such as cpu/mode/device/method/code/handler, plus {@code le} or {@code quantile}).
 *
 * <p>Values behave like real exporters': integer counters (requests, bytes, packets) grow at rates
 * spread over six orders of magnitude with jitter and rare resets; seconds counters grow in 0.01
 * steps (CPU time); gauges random-walk at realistic magnitudes and resolutions (bytes in 4 KiB
 * pages, temperatures with one decimal, load with two, ratios at full precision, small queue
 * lengths, constants); classic histograms have 12 buckets plus {@code _sum}/{@code _count};
 * summaries have three quantiles plus {@code _sum}/{@code _count}. Scrape timestamps carry a fixed
 * per-target offset and, on a few scrapes, a few milliseconds of jitter.
 *
 * <p>Everything follows from the seed: the same seed gives the same series and the same samples.
 * Not thread-safe: one generator produces one sequence of scrapes.
 */
public final class FleetWorkload {
  /** Number of distinct metric names the catalogue is built to. */
  public static final int METRIC_NAMES = 200;

  /**
   * @param hosts number of hosts (each two targets)
   * @param seed everything derives from it
   * @param startMs time of the first scrape (before per-target offsets)
   * @param intervalMs scrape interval (Prometheus's common 15 s)
   * @param jitterProbability share of scrapes whose timestamp is off by up to {@code jitterMaxMs}
   * @param jitterMaxMs largest jitter in ms (Prometheus aligns timestamps within 2 ms of schedule)
   */
  public record Options(int hosts, long seed, long startMs, long intervalMs, double jitterProbability, int jitterMaxMs) {
    public static Options defaults(int hosts, long seed) {
      return new Options(hosts, seed, 1_700_000_000_000L, 15_000, 0.05, 3);
    }
  }

  private final Options opts;
  private final List<Labels> series = new ArrayList<>();
  private final List<Group> groups = new ArrayList<>();
  private final long[] targetOffsetMs;
  /** For each series, the target whose scrape timestamp it carries. */
  private final int[] targetOf;
  private final SplittableRandom timeRng;
  private final int metricNames;
  private int scrape;

  public FleetWorkload(Options opts) {
    this.opts = opts;
    SplittableRandom rng = new SplittableRandom(opts.seed());
    List<Family> catalogue = Family.catalogue(rng.split());
    this.metricNames = catalogue.stream().mapToInt(f -> f.names().length).sum();
    int targets = opts.hosts() * 2;
    targetOffsetMs = new long[targets];
    List<Integer> targetList = new ArrayList<>();
    for (int h = 0; h < opts.hosts(); h++) {
      for (int j = 0; j < 2; j++) {
        int target = 2 * h + j;
        targetOffsetMs[target] = rng.nextLong(opts.intervalMs());
        String job = j == 0 ? "node" : "app";
        String instance = String.format("host-%04d.dc%d.example.net:%d", h, h % 3 + 1, j == 0 ? 9100 : 8080);
        for (Family f : catalogue) {
          if (f.job().equals(job)) {
            for (Group g : f.instantiate(job, instance, rng.split())) {
              g.firstSeries = series.size();
              series.addAll(g.labels);
              groups.add(g);
              for (int i = 0; i < g.labels.size(); i++) {
                targetList.add(target);
              }
            }
          }
        }
      }
    }
    targetOf = targetList.stream().mapToInt(Integer::intValue).toArray();
    timeRng = rng.split();
  }

  public static FleetWorkload create(int hosts, long seed) {
    return new FleetWorkload(Options.defaults(hosts, seed));
  }

  public Options options() {
    return opts;
  }

  /** Labels of every series; the index in this list is the series' position in scrape arrays. */
  public List<Labels> series() {
    return series;
  }

  public int size() {
    return series.size();
  }

  /** Distinct metric names (the catalogue's, shared by all hosts). */
  public int metricNames() {
    return metricNames;
  }

  /** Scrapes produced so far. */
  public int scrapes() {
    return scrape;
  }

  /**
   * Produces the next scrape of every series into caller-owned arrays of length {@link #size()}:
   * the sample time of each series and its value.
   */
  public void next(long[] timestampsMs, double[] values) {
    long base = opts.startMs() + (long) scrape * opts.intervalMs();
    long[] targetTs = new long[targetOffsetMs.length];
    for (int t = 0; t < targetTs.length; t++) {
      long jitter = timeRng.nextDouble() < opts.jitterProbability() ? timeRng.nextInt(-opts.jitterMaxMs(), opts.jitterMaxMs() + 1) : 0;
      targetTs[t] = base + targetOffsetMs[t] + jitter;
    }
    for (int i = 0; i < timestampsMs.length && i < targetOf.length; i++) {
      timestampsMs[i] = targetTs[targetOf[i]];
    }
    for (Group g : groups) {
      g.advance(scrape, values);
    }
    scrape++;
  }

  /** One metric family of the catalogue: a name (or name stem), a type, a job and dimension labels. */
  record Family(String[] names, Kind kind, String job, String[] dimNames, String[][] dimValues, double scale) {
    enum Kind { COUNTER_INT, COUNTER_SECONDS, GAUGE_BYTES, GAUGE_RATIO, GAUGE_SMALL_INT, GAUGE_DECIMAL, GAUGE_CONST, HISTOGRAM, SUMMARY }

    private static final String[][] DIMS = {
        {"cpu", "0", "1", "2", "3", "4", "5", "6", "7"},
        {"mode", "idle", "user", "system", "iowait", "irq", "softirq", "steal", "nice"},
        {"device", "sda", "sdb", "nvme0n1", "dm-0"},
        {"device", "eth0", "eth1", "lo"},
        {"method", "GET", "POST", "PUT", "DELETE"},
        {"code", "200", "201", "400", "404", "500"},
        {"handler", "/api/v1/query", "/api/v1/write", "/metrics", "/healthz", "/api/v1/backup"},
        {"queue", "default", "priority", "bulk"},
        {"repository", "primary", "offsite"},
        {"state", "running", "sleeping", "waiting"},
    };
    private static final String[] NODE_STEMS = {"cpu", "memory", "disk", "network", "filesystem", "vmstat", "netstat",
        "sockstat", "hwmon", "pressure", "schedstat", "entropy", "timex", "nf_conntrack", "softnet"};
    private static final String[] APP_STEMS = {"http", "rpc", "db", "cache", "queue", "backup", "restic", "jvm", "process",
        "go", "scheduler", "storage", "auth", "replication", "snapshot"};
    private static final String[] NOUNS = {"requests", "errors", "bytes", "packets", "operations", "retries", "reads", "writes",
        "allocations", "objects", "files", "connections", "events", "items", "chunks", "drops", "waits", "syncs", "locks", "pages"};
    private static final double[] LE = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    /** About METRIC_NAMES names: counters 45 %, gauges 40 %, histograms 10 %, summaries 5 % of families. */
    static List<Family> catalogue(SplittableRandom rng) {
      List<Family> out = new ArrayList<>();
      java.util.Set<String> used = new java.util.HashSet<>();
      int names = 0;
      while (names < METRIC_NAMES) {
        boolean node = rng.nextBoolean();
        String stem = (node ? "node_" + NODE_STEMS[rng.nextInt(NODE_STEMS.length)] : APP_STEMS[rng.nextInt(APP_STEMS.length)])
            + "_" + NOUNS[rng.nextInt(NOUNS.length)];
        double p = rng.nextDouble();
        Kind kind;
        String[] fam;
        if (p < 0.35) {
          kind = Kind.COUNTER_INT;
          fam = new String[] {stem + "_total"};
        } else if (p < 0.45) {
          kind = Kind.COUNTER_SECONDS;
          fam = new String[] {stem + "_seconds_total"};
        } else if (p < 0.55) {
          kind = Kind.GAUGE_BYTES;
          fam = new String[] {stem + "_bytes"};
        } else if (p < 0.62) {
          kind = Kind.GAUGE_RATIO;
          fam = new String[] {stem + "_ratio"};
        } else if (p < 0.70) {
          kind = Kind.GAUGE_SMALL_INT;
          fam = new String[] {stem + "_current"};
        } else if (p < 0.78) {
          kind = Kind.GAUGE_DECIMAL;
          fam = new String[] {stem + (rng.nextBoolean() ? "_celsius" : "_load")};
        } else if (p < 0.85) {
          kind = Kind.GAUGE_CONST;
          fam = new String[] {stem + "_info"};
        } else if (p < 0.95) {
          kind = Kind.HISTOGRAM;
          fam = new String[] {stem + "_duration_seconds_bucket", stem + "_duration_seconds_sum", stem + "_duration_seconds_count"};
        } else {
          kind = Kind.SUMMARY;
          fam = new String[] {stem + "_latency_seconds", stem + "_latency_seconds_sum", stem + "_latency_seconds_count"};
        }
        if (!used.add(fam[0])) {
          continue;
        }
        // 1-2 dimensions (plus le/quantile): every series has 1-3 labels beyond instance and job.
        int ndims = 1 + rng.nextInt(2);
        if (rng.nextInt(5) == 0 && kind != Kind.HISTOGRAM && kind != Kind.SUMMARY) {
          ndims = 1;
        }
        List<String[]> dims = new ArrayList<>();
        java.util.Set<String> dimNames = new java.util.HashSet<>();
        while (dims.size() < ndims) {
          String[] d = DIMS[rng.nextInt(DIMS.length)];
          if (dimNames.add(d[0])) {
            int card = 2 + rng.nextInt(d.length - 2);
            String[] vals = java.util.Arrays.copyOfRange(d, 1, 1 + card);
            dims.add(prepend(d[0], vals));
          }
        }
        String[] dn = dims.stream().map(d -> d[0]).toArray(String[]::new);
        String[][] dv = dims.stream().map(d -> java.util.Arrays.copyOfRange(d, 1, d.length)).toArray(String[][]::new);
        double scale = Math.pow(10, rng.nextDouble() * 6 - 2); // rates from 0.01/s to 10000/s
        out.add(new Family(fam, kind, node ? "node" : "app", dn, dv, scale));
        names += fam.length;
      }
      return out;
    }

    private static String[] prepend(String first, String[] rest) {
      String[] out = new String[rest.length + 1];
      out[0] = first;
      System.arraycopy(rest, 0, out, 1, rest.length);
      return out;
    }

    /** One group per combination of dimension values. */
    List<Group> instantiate(String job, String instance, SplittableRandom rng) {
      List<Group> out = new ArrayList<>();
      int combos = 1;
      for (String[] v : dimValues) {
        combos *= v.length;
      }
      for (int c = 0; c < combos; c++) {
        Labels.Builder base = new Labels.Builder().add("instance", instance).add("job", job);
        int rest = c;
        for (int d = 0; d < dimNames.length; d++) {
          base.add(dimNames[d], dimValues[d][rest % dimValues[d].length]);
          rest /= dimValues[d].length;
        }
        out.add(Group.of(this, base, rng.split()));
      }
      return out;
    }
  }

  /** The series of one family and label combination, sharing one value process. */
  private abstract static class Group {
    final List<Labels> labels = new ArrayList<>();
    final SplittableRandom rng;
    int firstSeries;

    Group(SplittableRandom rng) {
      this.rng = rng;
    }

    static Group of(Family f, Labels.Builder base, SplittableRandom rng) {
      return switch (f.kind()) {
        case HISTOGRAM -> new Histogram(f, base, rng);
        case SUMMARY -> new Summary(f, base, rng);
        default -> new Single(f, base, rng);
      };
    }

    abstract void advance(int scrape, double[] values);

    static Labels with(Labels.Builder base, String name, String k, String v) {
      Labels.Builder b = new Labels.Builder(8);
      base.forEach(b::add);
      b.add(Labels.METRIC_NAME, name);
      if (k != null) {
        b.add(k, v);
      }
      return b.build();
    }

    /** Rounds to a number of decimals, as exporters that format values do. */
    static double round(double v, int decimals) {
      double f = Math.pow(10, decimals);
      return Math.round(v * f) / f;
    }
  }

  private static final class Single extends Group {
    private final Family.Kind kind;
    private final double rate;
    private double value;
    private final double step;

    Single(Family f, Labels.Builder base, SplittableRandom rng) {
      super(rng);
      labels.add(with(base, f.names()[0], null, null));
      kind = f.kind();
      rate = f.scale() * Math.exp(rng.nextGaussian() * 0.5);
      value = switch (kind) {
        case COUNTER_INT -> Math.floor(rate * rng.nextDouble(1e3, 1e5));
        case COUNTER_SECONDS -> round(rate * rng.nextDouble(1e3, 1e5), 2);
        case GAUGE_BYTES -> Math.floor(Math.pow(10, rng.nextDouble(6, 11)) / 4096) * 4096;
        case GAUGE_RATIO -> rng.nextDouble();
        case GAUGE_SMALL_INT -> rng.nextInt(20);
        case GAUGE_DECIMAL -> round(rng.nextDouble(10, 80), 1);
        case GAUGE_CONST -> rng.nextInt(4) == 0 ? 1 : Math.floor(1.69e9 + rng.nextInt(1_000_000));
        default -> throw new IllegalStateException(kind.toString());
      };
      step = switch (kind) {
        case GAUGE_BYTES -> Math.max(4096, Math.floor(value * 0.002 / 4096) * 4096);
        case GAUGE_RATIO -> 0.01;
        case GAUGE_DECIMAL -> 0.3;
        default -> 0;
      };
    }

    @Override
    void advance(int scrape, double[] values) {
      switch (kind) {
        case COUNTER_INT -> {
          if (rng.nextInt(20_000) == 0) {
            value = 0; // process restart
          }
          value += Math.max(0, Math.round(rate * 15 * (1 + 0.3 * rng.nextGaussian())));
        }
        case COUNTER_SECONDS -> {
          if (rng.nextInt(20_000) == 0) {
            value = 0;
          }
          value = round(value + Math.max(0, rate * 15 * (1 + 0.2 * rng.nextGaussian())), 2);
        }
        case GAUGE_BYTES -> value = Math.max(0, value + step * Math.round(rng.nextGaussian() * 2));
        case GAUGE_RATIO -> value = Math.min(1, Math.max(0, value + step * rng.nextGaussian()));
        case GAUGE_SMALL_INT -> value = Math.max(0, value + rng.nextInt(-2, 3));
        case GAUGE_DECIMAL -> value = round(value + step * rng.nextGaussian(), 1);
        default -> { } // constants stay
      }
      values[firstSeries] = value;
    }
  }

  private static final class Histogram extends Group {
    private static final int BUCKETS = Family.LE.length + 1; // 11 bounds + "+Inf" = 12 buckets
    private final double rate;
    private final double medianSeconds;
    private final long[] counts = new long[BUCKETS];
    private double sum;

    Histogram(Family f, Labels.Builder base, SplittableRandom rng) {
      super(rng);
      for (double le : Family.LE) {
        labels.add(with(base, f.names()[0], "le", formatLe(le)));
      }
      labels.add(with(base, f.names()[0], "le", "+Inf"));
      labels.add(with(base, f.names()[1], null, null));
      labels.add(with(base, f.names()[2], null, null));
      rate = Math.min(50, f.scale()) * Math.exp(rng.nextGaussian() * 0.5);
      medianSeconds = Math.pow(10, rng.nextDouble(-2.5, 0));
    }

    private static String formatLe(double le) {
      return le == Math.rint(le) ? String.valueOf((long) le) + ".0" : String.valueOf(le);
    }

    @Override
    void advance(int scrape, double[] values) {
      long n = Math.max(0, Math.round(rate * 15 * (1 + 0.3 * rng.nextGaussian())));
      for (long i = 0; i < Math.min(n, 200); i++) { // sample at most 200 observations a scrape, scale the rest
        double obs = medianSeconds * Math.exp(rng.nextGaussian() * 0.8);
        long weight = n <= 200 ? 1 : (i < n % 200 ? n / 200 + 1 : n / 200);
        sum += obs * weight;
        int b = 0;
        while (b < Family.LE.length && obs > Family.LE[b]) {
          b++;
        }
        counts[b] += weight;
      }
      long cumulative = 0;
      for (int b = 0; b < BUCKETS; b++) {
        cumulative += counts[b];
        values[firstSeries + b] = cumulative;
      }
      values[firstSeries + BUCKETS] = sum;
      values[firstSeries + BUCKETS + 1] = cumulative;
    }
  }

  private static final class Summary extends Group {
    private static final double[] QUANTILES = {0.5, 0.9, 0.99};
    private final double rate;
    private final double median;
    private double sum;
    private long count;

    Summary(Family f, Labels.Builder base, SplittableRandom rng) {
      super(rng);
      for (double q : QUANTILES) {
        labels.add(with(base, f.names()[0], "quantile", String.valueOf(q)));
      }
      labels.add(with(base, f.names()[1], null, null));
      labels.add(with(base, f.names()[2], null, null));
      rate = Math.min(50, f.scale()) * Math.exp(rng.nextGaussian() * 0.5);
      median = Math.pow(10, rng.nextDouble(-3, -0.5));
    }

    @Override
    void advance(int scrape, double[] values) {
      long n = Math.max(0, Math.round(rate * 15 * (1 + 0.3 * rng.nextGaussian())));
      for (int q = 0; q < QUANTILES.length; q++) {
        double z = q == 0 ? 0 : q == 1 ? 1.28 : 2.33;
        values[firstSeries + q] = median * Math.exp(0.8 * z + 0.1 * rng.nextGaussian());
      }
      count += n;
      sum += n * median * Math.exp(0.32 + 0.05 * rng.nextGaussian());
      values[firstSeries + 3] = sum;
      values[firstSeries + 4] = count;
    }
  }
}
