package io.vigil.tsdb.chunkenc;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.StaleNaN;
import io.vigil.tsdb.encoding.ByteBuf;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The flattened encoder state must write the XOR format bit for bit as the format spec says, whatever
 * the array sizes it is given: compared with a plain reference writer built on {@link BitOutput}.
 */
class XorAppendStateTest {
  /** Grows to exactly the bytes asked for, so the byte-wise path at an array's end runs too. */
  private static final class ExactState extends XorAppendState {
    int grows;

    ExactState(int initial) {
      startChunk(new byte[initial], 0);
    }

    @Override
    protected byte[] grow(int minLength) {
      grows++;
      return Arrays.copyOf(chunkArray(), minLength);
    }

    void append(long t, long bits) {
      appendSample(t, bits);
    }

    byte[] bytes() {
      return Arrays.copyOf(chunkArray(), chunkEnd());
    }
  }

  @Test
  void writesTheSameChunksAsAReferenceWriterAtAnyArraySize() {
    long seed = System.nanoTime();
    System.out.println("XorAppendStateTest seed=" + seed);
    Random r = new Random(seed);
    for (int round = 0; round < 400; round++) {
      int n = 1 + r.nextInt(XorLayout.HEAD_MAX_SAMPLES + 100);
      long[] ts = new long[n];
      long[] bits = new long[n];
      randomSeries(r, ts, bits);
      byte[] expected = referenceChunk(ts, bits);

      int initial = XorLayout.HEADER_BYTES + r.nextInt(24);
      ExactState exact = new ExactState(initial);
      ByteBuf dst = new ByteBuf(1).put(new byte[1 + r.nextInt(4)]);
      dst.array()[0] = 0x5A; // a prefix the encoder must not touch
      byte first = dst.array()[0];
      XorEncoder enc = new XorEncoder();
      int start = enc.reset(dst);
      for (int i = 0; i < n; i++) {
        exact.append(ts[i], bits[i]);
        enc.append(ts[i], Double.longBitsToDouble(bits[i]));
        assertThat(exact.numSamples()).isEqualTo(i + 1);
      }
      assertThat(exact.bytes()).as("seed %d round %d, exactly sized arrays", seed, round).isEqualTo(expected);
      assertThat(Arrays.copyOfRange(dst.array(), start, dst.length())).as("seed %d round %d, ByteBuf", seed, round)
          .isEqualTo(expected);
      assertThat(dst.array()[0]).isEqualTo(first);
      assertThat(exact.lastT()).isEqualTo(ts[n - 1]);
      assertThat(exact.lastValueBits()).isEqualTo(bits[n - 1]);
      if (expected.length > initial) {
        assertThat(exact.grows).as("exact arrays grow on the way").isPositive();
      }
    }
  }

  @Test
  void aNewChunkKeepsTheLastSampleAndStartsFresh() {
    ExactState s = new ExactState(8);
    s.append(1000, Double.doubleToRawLongBits(1));
    s.append(2000, Double.doubleToRawLongBits(2));
    s.endChunk();
    assertThat(s.chunkArray()).isNull();
    assertThat(s.lastT()).isEqualTo(2000);
    s.startChunk(new byte[40], 0);
    s.append(3000, Double.doubleToRawLongBits(3));
    s.append(4000, Double.doubleToRawLongBits(5));
    assertThat(s.bytes()).isEqualTo(referenceChunk(new long[] {3000, 4000},
        new long[] {Double.doubleToRawLongBits(3), Double.doubleToRawLongBits(5)}));
  }

  static void randomSeries(Random r, long[] ts, long[] bits) {
    long t = r.nextLong() >> (r.nextInt(40) + 1); // negative and huge starts too
    double v = r.nextGaussian() * 1000;
    for (int i = 0; i < ts.length; i++) {
      t += switch (r.nextInt(6)) {
        case 0 -> 15_000;
        case 1 -> 1 + r.nextInt(20);
        case 2 -> 15_000 + r.nextInt(9000) - 4500;
        case 3 -> 1 + r.nextInt(1 << 20);
        case 4 -> 1 + (r.nextLong() >>> 28);
        default -> 15_000 + r.nextInt(3);
      };
      v = switch (r.nextInt(7)) {
        case 0 -> v;
        case 1 -> v + r.nextInt(100);
        case 2 -> r.nextDouble();
        case 3 -> StaleNaN.VALUE;
        case 4 -> Double.longBitsToDouble(r.nextLong()); // any bit pattern, NaN payloads included
        case 5 -> Math.floor(v) + 1;
        default -> -v;
      };
      ts[i] = t;
      bits[i] = Double.doubleToRawLongBits(v);
    }
  }

  /** The XOR chunk format written the plain way, straight from docs/format/chunks.md. */
  static byte[] referenceChunk(long[] ts, long[] bits) {
    ByteBuf b = new ByteBuf().putShortBE(ts.length);
    BitOutput out = new BitOutput().reset(b);
    long tDelta = 0;
    int leading = -1;
    int trailing = 0;
    for (int i = 0; i < ts.length; i++) {
      if (i == 0) {
        out.writeVarint(ts[0]);
        out.writeBits(bits[0], 64);
        continue;
      }
      long delta = ts[i] - ts[i - 1];
      if (i == 1) {
        out.writeUvarint(delta);
      } else {
        long dod = delta - tDelta;
        if (dod == 0) {
          out.writeBits(0, 1);
        } else if (dod >= -(1 << 13) && dod < (1 << 13)) {
          out.writeBits(0b10, 2);
          out.writeBits(dod, 14);
        } else if (dod >= -(1 << 16) && dod < (1 << 16)) {
          out.writeBits(0b110, 3);
          out.writeBits(dod, 17);
        } else if (dod >= -(1 << 19) && dod < (1 << 19)) {
          out.writeBits(0b1110, 4);
          out.writeBits(dod, 20);
        } else {
          out.writeBits(0b1111, 4);
          out.writeBits(dod, 64);
        }
      }
      tDelta = delta;
      long x = bits[i] ^ bits[i - 1];
      if (x == 0) {
        out.writeBits(0, 1);
        continue;
      }
      int lz = Math.min(Long.numberOfLeadingZeros(x), 31);
      int tz = Long.numberOfTrailingZeros(x);
      if (leading >= 0 && lz >= leading && tz >= trailing) {
        out.writeBits(0b10, 2);
        out.writeBits(x >>> trailing, 64 - leading - trailing);
      } else {
        leading = lz;
        trailing = tz;
        out.writeBits(0b11, 2);
        out.writeBits(lz, 5);
        out.writeBits(64 - lz - tz, 6); // 64 wraps to 0 in 6 bits
        out.writeBits(x >>> tz, 64 - lz - tz);
      }
    }
    out.finish();
    return b.toByteArray();
  }
}
