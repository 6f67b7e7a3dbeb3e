package io.vigil.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Labels;
import io.vigil.model.MetricType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded property: random families written in each format parse back to the same families. The
 * seed is printed; rerun one with -Dvigil.seed=N (and more rounds with -Dvigil.rounds=N).
 */
class RandomRoundTripTest {
  private static final String[] LABEL_VALUE_PARTS = {"a", "x y", "\\", "\"", "\n", "\t", "é", "✓", "😀", "{}", ",", "=", "#", "0"};

  @Test
  void textFormat() throws Exception {
    run(ExpositionFormat.PROMETHEUS_TEXT, Integer.getInteger("vigil.rounds", 300));
  }

  @Test
  void openMetrics() throws Exception {
    run(ExpositionFormat.OPENMETRICS_TEXT, Integer.getInteger("vigil.rounds", 300));
  }

  static long seed() {
    String s = System.getProperty("vigil.seed");
    return s != null ? Long.parseLong(s) : System.nanoTime();
  }

  private static void run(ExpositionFormat format, int rounds) throws Exception {
    long seed = seed();
    System.out.println("RandomRoundTripTest " + format + " seed=" + seed);
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int round = 0; round < rounds; round++) {
      List<MetricFamily> families = randomFamilies(rnd, format);
      byte[] written = FixtureRoundTripTest.write(format, families);
      List<MetricFamily> back;
      try {
        back = FixtureRoundTripTest.collect(format, written);
      } catch (ExpositionException e) {
        throw new AssertionError("seed " + seed + " round " + round + ": " + e.getMessage() + " in\n"
            + new String(written, java.nio.charset.StandardCharsets.UTF_8), e);
      }
      assertThat(back).as("seed %d round %d:\n%s", seed, round, new String(written, java.nio.charset.StandardCharsets.UTF_8))
          .isEqualTo(FixtureRoundTripTest.sorted(families));
    }
  }

  static List<MetricFamily> randomFamilies(SplittableRandom rnd, ExpositionFormat format) {
    boolean om = format == ExpositionFormat.OPENMETRICS_TEXT;
    MetricType[] types = om ? MetricType.values()
        : new MetricType[] {MetricType.COUNTER, MetricType.GAUGE, MetricType.UNKNOWN, MetricType.HISTOGRAM, MetricType.SUMMARY};
    int n = 1 + rnd.nextInt(6);
    List<MetricFamily> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      MetricType type = types[rnd.nextInt(types.length)];
      // A unique "f<i>_" prefix keeps families from owning each other's samples (f1 vs f1_sum).
      String base = "f" + i + "_" + word(rnd) + (rnd.nextBoolean() ? ":" + word(rnd) : "");
      String unit = "";
      if (om && rnd.nextInt(3) == 0) {
        unit = word(rnd);
        base = base + "_" + unit;
      }
      String name = base + (type == MetricType.COUNTER && (om || rnd.nextBoolean()) ? "_total"
          : type == MetricType.INFO ? "_info" : "");
      String help = rnd.nextInt(4) == 0 ? null : text(rnd);
      List<MetricPoint> points = new ArrayList<>();
      Set<Labels> seen = new HashSet<>();
      int np = 1 + rnd.nextInt(4);
      for (int k = 0; k < np; k++) {
        Labels labels = labels(rnd, type);
        if (!seen.add(labels)) {
          continue;
        }
        boolean ts = rnd.nextInt(3) == 0;
        long tsMs = rnd.nextLong(-10_000_000_000L, 4_000_000_000_000L);
        boolean created = om && (type == MetricType.COUNTER || type == MetricType.HISTOGRAM || type == MetricType.SUMMARY)
            && rnd.nextBoolean();
        points.add(new MetricPoint(labels, value(rnd, type, om), ts, tsMs,
            created ? rnd.nextDouble() * 2e9 : Double.NaN));
      }
      out.add(new MetricFamily(name, type, help, unit, points));
    }
    return out;
  }

  private static PointValue value(SplittableRandom rnd, MetricType type, boolean om) {
    return switch (type) {
      case HISTOGRAM, GAUGE_HISTOGRAM -> {
        List<PointValue.Bucket> buckets = new ArrayList<>();
        Set<Double> bounds = new HashSet<>();
        int nb = rnd.nextInt(5);
        for (int i = 0; i < nb; i++) {
          double bound = number(rnd);
          if (!Double.isNaN(bound) && bounds.add(bound == 0 ? 0.0 : bound)) {
            buckets.add(new PointValue.Bucket(bound, count(rnd), om ? exemplar(rnd) : null));
          }
        }
        yield new PointValue.Histogram(count(rnd), number(rnd), buckets);
      }
      case SUMMARY -> {
        List<PointValue.Quantile> qs = new ArrayList<>();
        Set<Double> seen = new HashSet<>();
        for (int i = rnd.nextInt(4); i > 0; i--) {
          double q = rnd.nextInt(101) / 100.0;
          if (seen.add(q)) {
            qs.add(new PointValue.Quantile(q, number(rnd)));
          }
        }
        yield new PointValue.Summary(count(rnd), number(rnd), qs);
      }
      default -> new PointValue.Scalar(number(rnd), om ? exemplar(rnd) : null);
    };
  }

  private static Exemplar exemplar(SplittableRandom rnd) {
    if (rnd.nextInt(3) != 0) {
      return null;
    }
    Labels l = rnd.nextBoolean() ? Labels.of("trace_id", Long.toHexString(rnd.nextLong())) : Labels.EMPTY;
    boolean ts = rnd.nextBoolean();
    return new Exemplar(l, number(rnd), ts, ts ? rnd.nextLong(0, 4_000_000_000_000L) : 0);
  }

  private static double count(SplittableRandom rnd) {
    return rnd.nextInt(4) == 0 ? number(rnd) : rnd.nextInt(1_000_000);
  }

  static double number(SplittableRandom rnd) {
    return switch (rnd.nextInt(10)) {
      case 0 -> Double.NaN;
      case 1 -> rnd.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
      case 2 -> -0.0;
      case 3 -> Double.longBitsToDouble(rnd.nextLong()) ; // any bits, NaNs and subnormals included
      case 4 -> rnd.nextInt(2000) - 1000;
      case 5 -> rnd.nextDouble() * Math.pow(10, rnd.nextInt(-20, 20));
      default -> rnd.nextLong(0, 1L << 53);
    };
  }

  private static Labels labels(SplittableRandom rnd, MetricType type) {
    Labels.Builder b = new Labels.Builder();
    for (int i = rnd.nextInt(4); i > 0; i--) {
      String name = rnd.nextInt(5) == 0 ? "__x" + i : word(rnd);
      if (name.equals("le") || name.equals("quantile")) {
        continue;
      }
      b.set(name, text(rnd));
    }
    if (type == MetricType.STATESET) {
      b.set("state_" + word(rnd), word(rnd));
    }
    return b.build();
  }

  private static String word(SplittableRandom rnd) {
    String letters = "abcdefghijklmnopqrstuvwxyz_";
    StringBuilder sb = new StringBuilder();
    sb.append((char) ('a' + rnd.nextInt(26)));
    for (int i = rnd.nextInt(6); i > 0; i--) {
      sb.append(letters.charAt(rnd.nextInt(letters.length())));
    }
    return sb.toString();
  }

  private static String text(SplittableRandom rnd) {
    StringBuilder sb = new StringBuilder();
    for (int i = rnd.nextInt(5); i > 0; i--) {
      sb.append(LABEL_VALUE_PARTS[rnd.nextInt(LABEL_VALUE_PARTS.length)]);
    }
    return sb.toString();
  }
}
