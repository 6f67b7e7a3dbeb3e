package io.vigil.push;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Hand-made protobuf-delimited bodies (io.prometheus.client.MetricFamily), as the fixture was made:
 * field numbers from metrics.proto (MetricFamily: name 1, help 2, type 3, metric 4; Metric: label 1,
 * counter 3, timestamp_ms 6; LabelPair: name 1, value 2; Counter: value 1).
 */
final class ProtoBodies {
  private ProtoBodies() {}

  /** The fixture's first family, with timestamp_ms 1700000000000 on its counter (transcript 5.2). */
  static byte[] withTimestamp(byte[] fixture) {
    byte[] label = concat(string(1, "repo"), string(2, "r1"));
    byte[] counter = concat(tag(1, 1), fixed64(Double.doubleToRawLongBits(42)));
    byte[] metric = concat(bytes(1, label), bytes(3, counter), tag(6, 0), varint(1700000000000L));
    byte[] family = concat(string(1, "restic_backup_files_total"), string(2, "Files processed (protobuf push)."),
        tag(3, 0), varint(0), bytes(4, metric));
    return concat(varint(family.length), family);
  }

  static byte[] tag(int field, int wire) {
    return varint((long) field << 3 | wire);
  }

  static byte[] varint(long v) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    while ((v & ~0x7fL) != 0) {
      o.write((int) (v & 0x7f) | 0x80);
      v >>>= 7;
    }
    o.write((int) v);
    return o.toByteArray();
  }

  static byte[] fixed64(long v) {
    byte[] b = new byte[8];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (v >>> (8 * i));
    }
    return b;
  }

  static byte[] string(int field, String s) {
    return bytes(field, s.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] bytes(int field, byte[] b) {
    return concat(tag(field, 2), varint(b.length), b);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      o.writeBytes(p);
    }
    return o.toByteArray();
  }
}
