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

class XorChunkTest {
  private static final byte[] PREFIX = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0, -1, -2, -3};

  @Test
  void encodesAfterANonEmptyPrefixWithoutTouchingIt() {
    long[] ts = {1000, 16000, 31000, 46001, 61000};
    double[] vs = {1, 2, 2, StaleNaN.VALUE, 3.5};
    ByteBuf plain = new ByteBuf();
    XorChunk.encode(ts, vs, 0, ts.length, plain);
    ByteBuf withPrefix = new ByteBuf(4).put(PREFIX);
    int start = XorChunk.encode(ts, vs, 0, ts.length, withPrefix);

    assertThat(start).isEqualTo(PREFIX.length);
    assertThat(Arrays.copyOf(withPrefix.array(), PREFIX.length)).containsExactly(PREFIX);
    assertThat(Arrays.copyOfRange(withPrefix.array(), start, withPrefix.length())).containsExactly(plain.toByteArray());
    assertSamples(new XorIterator().reset(withPrefix.array(), start, withPrefix.length() - start), ts, vs, ts.length);
  }

  @Test
  void roundTripsRandomSeriesBitExactly() {
    long seed = System.nanoTime();
    System.out.println("XorChunkTest seed=" + seed);
    Random r = new Random(seed);
    XorIterator reused = new XorIterator();
    for (int round = 0; round < 300; round++) {
      int n = 1 + r.nextInt(XorLayout.HEAD_MAX_SAMPLES + 200);
      long[] ts = new long[n];
      double[] vs = new double[n];
      long[] bits = new long[n];
      XorAppendStateTest.randomSeries(r, ts, bits);
      for (int i = 0; i < n; i++) {
        vs[i] = Double.longBitsToDouble(bits[i]);
      }
      ByteBuf dst = new ByteBuf(1).put(PREFIX, 0, r.nextInt(PREFIX.length));
      int start = XorChunk.encode(ts, vs, 0, n, dst);
      XorChunk chunk = XorChunk.wrap(Arrays.copyOfRange(dst.array(), start, dst.length()));
      assertThat(chunk.numSamples()).isEqualTo(n);
      SampleIterator it = chunk.iterator(reused);
      assertThat(it).isSameAs(reused);
      assertSamples(it, ts, vs, n);
    }
  }

  @Test
  void writesTheSameBitsAsTheReferenceBitWriter() {
    // XorEncoder writes 8 bytes at a time into its buffer; BitOutput, the PACKED chunk's plain
    // accumulator, is the reference for the bit order. Garbage above the n bits must be ignored.
    long seed = System.nanoTime();
    System.out.println("XorChunkTest bits seed=" + seed);
    Random r = new Random(seed);
    for (int round = 0; round < 200; round++) {
      ByteBuf fast = new ByteBuf(1 + r.nextInt(16));
      fast.put(0x5A); // a prefix that must survive
      XorEncoder enc = new XorEncoder();
      enc.reset(fast);
      ByteBuf ref = new ByteBuf();
      ref.put(0x5A).putShortBE(0);
      BitOutput out = new BitOutput().reset(ref);
      int writes = r.nextInt(300);
      for (int i = 0; i < writes; i++) {
        int n = 1 + r.nextInt(64);
        long v = r.nextLong();
        enc.writeBits(v, n);
        out.writeBits(v, n);
      }
      out.finish();
      assertThat(Arrays.copyOf(fast.array(), enc.start() + enc.sizeBytes())).as("seed %d round %d", seed, round)
          .isEqualTo(Arrays.copyOf(ref.array(), ref.length()));
    }
  }

  @Test
  void regularScrapesCompressWell() {
    long[] ts = new long[120];
    double[] vs = new double[120];
    for (int i = 0; i < 120; i++) {
      ts[i] = 1_700_000_000_000L + i * 15_000L;
      vs[i] = 1000 + i * 7;
    }
    ByteBuf dst = new ByteBuf();
    XorChunk.encode(ts, vs, 0, 120, dst);
    // 1 bit per regular timestamp plus a few bits per value change: well under 2 bytes a sample.
    assertThat(dst.length()).isLessThan(240);
  }

  @Test
  void seekStaysOnQualifyingSampleAndNeverMovesBack() {
    long[] ts = {10, 20, 30, 40};
    double[] vs = {1, 2, 3, 4};
    ByteBuf dst = new ByteBuf();
    XorChunk.encode(ts, vs, 0, 4, dst);
    XorIterator it = new XorIterator().reset(dst.array(), 0, dst.length());
    assertThat(it.seek(15)).isTrue();
    assertThat(it.atT()).isEqualTo(20);
    assertThat(it.seek(20)).isTrue();
    assertThat(it.atT()).isEqualTo(20);
    assertThat(it.seek(5)).isTrue();
    assertThat(it.atT()).isEqualTo(20);
    assertThat(it.next()).isTrue();
    assertThat(it.atT()).isEqualTo(30);
    assertThat(it.seek(41)).isFalse();
    assertThat(it.next()).isFalse();
  }

  @Test
  void readsAPrefixOfAChunkStillBeingAppended() {
    ByteBuf dst = new ByteBuf();
    XorEncoder enc = new XorEncoder();
    enc.reset(dst);
    for (int i = 0; i < 10; i++) {
      enc.append(i * 1000L, i);
    }
    int seen = enc.numSamples();
    int len = dst.length();
    byte[] snapshot = dst.array();
    enc.append(10_000, 10); // the writer moves on; the reader keeps what it saw
    XorIterator it = new XorIterator().reset(snapshot, 0, len, seen);
    int count = 0;
    while (it.next()) {
      assertThat(it.atT()).isEqualTo(count * 1000L);
      count++;
    }
    assertThat(count).isEqualTo(10);
  }

  @Test
  void truncatedChunkFailsWithOffset() {
    long[] ts = {1000, 2000, 3500, 9000};
    double[] vs = {1.5, 2.25, 1e300, -7};
    ByteBuf dst = new ByteBuf();
    XorChunk.encode(ts, vs, 0, 4, dst);
    XorIterator it = new XorIterator().reset(dst.array(), 0, 12, 4);
    assertThatThrownBy(() -> {
      while (it.next()) {
        // drain
      }
    }).isInstanceOf(DecodeException.class).hasMessageStartingWith("XOR chunk ends inside sample ");
    assertThatThrownBy(() -> new XorIterator().reset(new byte[] {0}, 0, 1))
        .isInstanceOf(DecodeException.class)
        .hasMessage("XOR chunk of 1 bytes is shorter than its header at offset 0");
  }

  @Test
  void emptyChunkHasNoSamples() {
    ByteBuf dst = new ByteBuf();
    new XorEncoder().reset(dst);
    XorChunk c = XorChunk.wrap(dst.toByteArray());
    assertThat(c.numSamples()).isZero();
    SampleIterator it = c.iterator(null);
    assertThat(it.next()).isFalse();
    assertThat(it.seek(0)).isFalse();
  }

  static void assertSamples(SampleIterator it, long[] ts, double[] vs, int n) {
    for (int i = 0; i < n; i++) {
      assertThat(it.next()).as("sample %d", i).isTrue();
      assertThat(it.atT()).as("t of sample %d", i).isEqualTo(ts[i]);
      assertThat(Double.doubleToRawLongBits(it.atV())).as("bits of sample %d", i)
          .isEqualTo(Double.doubleToRawLongBits(vs[i]));
    }
    assertThat(it.next()).isFalse();
    assertThat(it.next()).isFalse();
  }
}
