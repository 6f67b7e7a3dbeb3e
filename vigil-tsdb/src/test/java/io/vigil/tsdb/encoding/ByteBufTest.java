package io.vigil.tsdb.encoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ByteBufTest {
  @Test
  void varintsAndIntegersRoundTripAfterAPrefix() {
    long seed = System.nanoTime();
    System.out.println("ByteBufTest seed=" + seed);
    Random r = new Random(seed);
    long[] values = new long[1000];
    for (int i = 0; i < values.length; i++) {
      values[i] = switch (i % 4) {
        case 0 -> r.nextLong();
        case 1 -> r.nextInt(300) - 150;
        case 2 -> Long.MIN_VALUE + r.nextInt(3);
        default -> Long.MAX_VALUE - r.nextInt(3);
      };
    }
    ByteBuf b = new ByteBuf(1).put(new byte[] {42, 43});
    for (long v : values) {
      int before = b.length();
      b.putUvarint(v);
      assertThat(b.length() - before).isEqualTo(ByteBuf.uvarintSize(v));
      b.putVarint(v).putLongBE(v).putIntBE((int) v);
    }
    b.putString("héllo ✓");
    ByteDecoder d = ByteDecoder.of(b.toByteArray());
    assertThat(d.u8()).isEqualTo(42);
    assertThat(d.u8()).isEqualTo(43);
    for (long v : values) {
      assertThat(d.uvarint()).isEqualTo(v);
      assertThat(d.varint()).isEqualTo(v);
      assertThat(d.u64()).isEqualTo(v);
      assertThat(d.u32()).isEqualTo((int) v);
    }
    assertThat(d.string()).isEqualTo("héllo ✓");
    assertThat(d.hasRemaining()).isFalse();
  }

  @Test
  void malformedInputFailsWithOffset() {
    assertThatThrownBy(() -> ByteDecoder.of(new byte[] {(byte) 0x80, (byte) 0x80}).uvarint())
        .isInstanceOf(DecodeException.class).hasMessage("truncated uvarint at offset 0");
    byte[] overlong = new byte[11];
    java.util.Arrays.fill(overlong, (byte) 0xFF);
    assertThatThrownBy(() -> ByteDecoder.of(overlong).uvarint())
        .isInstanceOf(DecodeException.class).hasMessage("uvarint overflows 64 bits at offset 0");
    assertThatThrownBy(() -> ByteDecoder.of(new byte[] {1, 2, 3}).u32())
        .isInstanceOf(DecodeException.class).hasMessage("truncated u32: need 4 bytes, 3 left at offset 0");
    assertThatThrownBy(() -> ByteDecoder.of(new byte[] {5, 'a'}).string())
        .isInstanceOf(DecodeException.class).hasMessage("string length 5 exceeds the 1 bytes left at offset 0");
  }
}
