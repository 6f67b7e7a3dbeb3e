package io.vigil.tsdb.chunkenc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.model.StaleNaN;
import io.vigil.storage.SampleIterator;
import io.vigil.tsdb.encoding.ByteBuf;
import io.vigil.tsdb.encoding.DecodeException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PackedChunkTest {
  private static final byte[] PREFIX = {1, 2, 3, 4, 5, 6, 7};

  private static long[] regularTimestamps(Random r, int n) {
    long[] ts = new long[n];
    long t = 1_700_000_000_000L + r.nextInt(15_000);
    for (int i = 0; i < n; i++) {
      t += switch (r.nextInt(12)) {
        case 0 -> 15_000 + r.nextInt(7) - 3; // jitter
        case 1 -> 1 + r.nextInt(1 << 22); // gaps
        case 2 -> 1 + (r.nextLong() >>> 30);
        default -> 15_000;
      };
      ts[i] = t;
    }
    return ts;
  }

  private static double[] values(Random r, int kind, int n) {
    double[] vs = new double[n];
    double v = r.nextInt(1000);
    for (int i = 0; i < n; i++) {
      v = switch (kind) {
        case 0 -> v + r.nextInt(2000); // integer counter
        case 1 -> Math.round((v + r.nextDouble() * 15) * 100) / 100.0; // seconds with 2 decimals
        case 2 -> Math.max(0, v + 4096 * (r.nextInt(5) - 2)); // bytes in pages
        case 3 -> r.nextDouble(); // full precision: XOR
        case 4 -> i % 17 == 5 ? StaleNaN.VALUE : Math.round(v * 10 + r.nextGaussian() * 3) / 10.0; // decimals with markers
        case 5 -> 42; // constant
        case 6 -> i % 9 == 0 ? Double.longBitsToDouble(r.nextLong()) : i; // odd NaN payloads, infinities
        case 7 -> i == n / 2 ? -0.0 : i; // -0.0 must come back as -0.0
        default -> Math.round(r.nextGaussian() * 1e15) * (r.nextBoolean() ? 1 : 1e-3); // huge and tiny
      };
      vs[i] = v;
    }
    return vs;
  }

  @Test
  void roundTripsBitExactlyAfterAPrefix() {
    long seed = System.nanoTime();
    System.out.println("PackedChunkTest seed=" + seed);
    Random r = new Random(seed);
    PackedIterator reused = new PackedIterator();
    for (int round = 0; round < 400; round++) {
      int n = 1 + r.nextInt(PackedLayout.BLOCK_MAX_SAMPLES + 40);
      long[] ts = regularTimestamps(r, n);
      double[] vs = values(r, round % 9, n);
      ByteBuf dst = new ByteBuf(1).put(PREFIX, 0, r.nextInt(PREFIX.length + 1));
      int prefix = dst.length();
      int start = PackedChunk.encode(ts, vs, 0, n, -1, dst);
      assertThat(start).isEqualTo(prefix);
      assertThat(Arrays.copyOf(dst.array(), prefix)).containsExactly(Arrays.copyOf(PREFIX, prefix));
      PackedChunk c = PackedChunk.wrap(Arrays.copyOfRange(dst.array(), start, dst.length()));
      assertThat(c.numSamples()).isEqualTo(n);
      SampleIterator it = c.iterator(reused);
      assertThat(it).isSameAs(reused);
      for (int i = 0; i < n; i++) {
        assertThat(it.next()).isTrue();
        assertThat(it.atT()).isEqualTo(ts[i]);
        assertThat(Double.doubleToRawLongBits(it.atV())).as("round %d value %d of %s", round, i, Arrays.toString(vs))
            .isEqualTo(Double.doubleToRawLongBits(vs[i]));
      }
      assertThat(it.next()).isFalse();
    }
  }

  @Test
  void sharedColumnsAreResolvedThroughTheCaller() {
    long[] ts = {1000, 16000, 31000, 46000};
    double[] vs = {1, 2, 3, 4};
    ByteBuf col = new ByteBuf();
    TimestampColumn.encode(ts, 0, 4, col);
    ByteBuf dst = new ByteBuf();
    PackedChunk.encode(ts, vs, 0, 4, 77, dst);
    long[] decoded = TimestampColumn.decode(java.lang.foreign.MemorySegment.ofArray(col.toByteArray()), 0, col.length());
    assertThat(decoded).containsExactly(ts);
    PackedIterator it = new PackedIterator().reset(java.lang.foreign.MemorySegment.ofArray(dst.toByteArray()), 0, dst.length(),
        ref -> {
          assertThat(ref).isEqualTo(77);
          return decoded;
        });
    assertThat(it.seek(20000)).isTrue();
    assertThat(it.atT()).isEqualTo(31000);
    assertThat(it.atV()).isEqualTo(3);
    assertThatThrownBy(() -> new PackedIterator().reset(dst.toByteArray(), 0, dst.length(), new long[] {1, 2}))
        .isInstanceOf(DecodeException.class).hasMessageContaining("holds 2 timestamps, the chunk 4");
  }

  @Test
  void decimalValuesPackTightly() {
    int n = PackedLayout.BLOCK_MAX_SAMPLES;
    long[] ts = new long[n];
    double[] counter = new double[n];
    double[] seconds = new double[n];
    double[] pages = new double[n];
    Random r = new Random(1);
    for (int i = 0; i < n; i++) {
      ts[i] = i * 15_000L;
      counter[i] = (i == 0 ? 1e6 : counter[i - 1]) + 1000 + r.nextInt(300);
      seconds[i] = Math.round(((i == 0 ? 5000 : seconds[i - 1]) + 14 + r.nextDouble()) * 100) / 100.0;
      pages[i] = 8_000_000_000.0 + 4096L * r.nextInt(8);
    }
    assertThat(PackedChunk.decimalExponent(counter, 0, n)).isZero();
    assertThat(PackedChunk.decimalExponent(seconds, 0, n)).isEqualTo(2);
    assertThat(bytesPerValue(counter)).isLessThan(1.3);
    assertThat(bytesPerValue(seconds)).isLessThan(1.3);
    assertThat(bytesPerValue(pages)).isLessThan(0.7); // the 4096 divisor is found: 4 bits a value
  }

  private static double bytesPerValue(double[] vs) {
    ByteBuf b = new ByteBuf();
    PackedChunk.encodeValues(vs, 0, vs.length, b);
    return (double) b.length() / vs.length;
  }

  @Test
  void damagedDataIsReported() {
    long[] ts = {1, 2, 3};
    double[] vs = {1, 2, 3};
    ByteBuf dst = new ByteBuf();
    PackedChunk.encode(ts, vs, 0, 3, -1, dst);
    byte[] b = dst.toByteArray();
    b[1] = 9; // timestamp mode
    assertThatThrownBy(() -> PackedChunk.wrap(b).iterator(null)).isInstanceOf(DecodeException.class)
        .hasMessageContaining("unknown PACKED timestamp mode 9");
    byte[] big = dst.toByteArray();
    big[0] = 100; // 100 samples announced, far fewer encoded
    assertThatThrownBy(() -> PackedChunk.wrap(big).iterator(null)).isInstanceOf(DecodeException.class);
  }
}
