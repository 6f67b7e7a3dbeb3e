package io.vigil.tsdb.head;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Labels;
import io.vigil.model.StaleNaN;
import io.vigil.tsdb.chunkenc.XorChunk;
import io.vigil.tsdb.chunkenc.XorIterator;
import io.vigil.tsdb.chunkenc.XorLayout;
import io.vigil.tsdb.encoding.ByteBuf;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A series encodes its open chunk with inherited state and sizes each new chunk from the last one:
 * its chunks must be exactly those {@link XorChunk#encode} writes for the same samples, cut where the
 * head cuts them, and its memory accounting must match the arrays it holds.
 */
class MemSeriesTest {
  @Test
  void chunksMatchTheStandAloneEncoderAndTheAccountingAddsUp() {
    long seed = System.nanoTime();
    System.out.println("MemSeriesTest seed=" + seed);
    Random r = new Random(seed);
    for (int round = 0; round < 60; round++) {
      long rangeMs = switch (r.nextInt(3)) {
        case 0 -> 7_200_000;
        case 1 -> 600_000;
        default -> 60_000 + r.nextInt(3_600_000);
      };
      int n = 1 + r.nextInt(1500);
      long[] ts = new long[n];
      double[] vs = new double[n];
      randomSamples(r, ts, vs);
      MemSeries s = new MemSeries(1, Labels.of("job", "x"));
      long accounted = 0;
      for (int i = 0; i < n; i++) {
        accounted += s.appendInOrder(ts[i], Double.doubleToRawLongBits(vs[i]), rangeMs);
        assertThat(s.maxT()).isEqualTo(ts[i]);
      }
      String why = "seed " + seed + " round " + round;
      assertThat(s.chunkBytes()).as(why).isEqualTo(accounted);

      ChunkSnapshot snap = s.snapshot(Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE);
      int next = 0;
      XorIterator it = new XorIterator();
      for (int c = 0; c < snap.n(); c++) {
        byte[] data = snap.data()[c];
        int length = snap.lengths()[c];
        int count = snap.counts()[c] < 0 ? ((data[0] & 0xFF) << 8) | (data[1] & 0xFF) : snap.counts()[c];
        assertThat(count).as(why).isBetween(1, XorLayout.HEAD_MAX_SAMPLES);
        // Cut at the block boundary after the chunk's first sample, or at 120 samples.
        long boundary = MemSeries.nextBoundary(ts[next], rangeMs);
        assertThat(ts[next + count - 1]).as(why).isLessThan(boundary);
        if (next + count < n) {
          assertThat(count == XorLayout.HEAD_MAX_SAMPLES || ts[next + count] >= boundary).as(why).isTrue();
        }
        ByteBuf expected = new ByteBuf();
        XorChunk.encode(ts, vs, next, next + count, expected);
        assertThat(length).as(why).isBetween(expected.length(), expected.length() + 7);
        assertThat(Arrays.copyOf(data, expected.length())).as("%s chunk %d", why, c).isEqualTo(expected.toByteArray());
        if (c < snap.n() - 1) {
          byte[] slack = Arrays.copyOfRange(data, expected.length(), data.length);
          assertThat(slack).as("slack of a cut chunk").isEqualTo(new byte[slack.length]);
        }
        it.reset(data, 0, length, count);
        for (int i = next; i < next + count; i++) {
          assertThat(it.next()).isTrue();
          assertThat(it.atT()).isEqualTo(ts[i]);
          assertThat(Double.doubleToRawLongBits(it.atV())).isEqualTo(Double.doubleToRawLongBits(vs[i]));
        }
        next += count;
      }
      assertThat(next).as(why).isEqualTo(n);
    }
  }

  /** Scrape-like series: mostly regular intervals with gaps and jitter, values of every kind. */
  private static void randomSamples(Random r, long[] ts, double[] vs) {
    long interval = 1000L * (1 + r.nextInt(60));
    long t = 1_700_000_000_000L + r.nextInt(1 << 30);
    double v = r.nextInt(1000);
    int kind = r.nextInt(4);
    for (int i = 0; i < ts.length; i++) {
      t += r.nextInt(50) == 0 ? interval * (2 + r.nextInt(200)) : interval + (r.nextInt(10) == 0 ? r.nextInt(5) - 2 : 0);
      v = switch (r.nextInt(40) == 0 ? 4 : kind) {
        case 0 -> v + r.nextInt(1000); // counter
        case 1 -> Math.round(r.nextGaussian() * 100) / 10.0; // gauge with one decimal
        case 2 -> r.nextDouble(); // full precision
        case 3 -> v; // constant
        default -> r.nextBoolean() ? StaleNaN.VALUE : Double.longBitsToDouble(r.nextLong());
      };
      ts[i] = t;
      vs[i] = v;
    }
  }
}
