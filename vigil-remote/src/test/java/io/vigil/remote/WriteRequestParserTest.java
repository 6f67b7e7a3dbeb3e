package io.vigil.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.vigil.model.Labels;
import io.vigil.model.MetricType;
import io.vigil.model.StaleNaN;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WriteRequestParserTest {

  /** Everything the parser saw, as plain values. */
  record Seen(List<String> labels, List<Long> ts, List<Long> bits, int exemplars, int histograms) {}

  static List<Seen> parseAll(byte[] request) throws InvalidProtocolBufferException {
    WriteRequestParser p = new WriteRequestParser();
    p.reset(request, 0, request.length);
    List<Seen> out = new ArrayList<>();
    while (p.nextSeries()) {
      List<String> labels = new ArrayList<>();
      for (int i = 0; i < p.labelCount(); i++) {
        labels.add(new String(p.buffer(), p.nameOffset(i), p.nameLength(i), StandardCharsets.UTF_8) + "="
            + new String(p.buffer(), p.valueOffset(i), p.valueLength(i), StandardCharsets.UTF_8));
      }
      List<Long> ts = new ArrayList<>();
      List<Long> bits = new ArrayList<>();
      for (int i = 0; i < p.sampleCount(); i++) {
        ts.add(p.timestampMs(i));
        bits.add(p.valueBits(i));
      }
      out.add(new Seen(labels, ts, bits, p.exemplarCount(), p.histogramCount()));
    }
    return out;
  }

  @Test
  void roundTripsLabelsTimestampsAndValueBitsExactly() throws Exception {
    double[] values = {0.0, -0.0, 1.5, Double.NaN, StaleNaN.VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        Double.MIN_VALUE, -1e308};
    long[] ts = {0, -1, 1, 1_700_000_000_000L, Long.MAX_VALUE, Long.MIN_VALUE, 42, 43, 44};
    WriteRequestEncoder enc = new WriteRequestEncoder();
    enc.addSeries(Labels.of("__name__", "up", "job", "node", "instance", "host-1:9100"), ts, values, 0, values.length);
    enc.addSeries(Labels.of("__name__", "ünïcødé_value", "le", "+Inf", "path", "/a\"b\\c\n"), 7, 3.25);

    List<Seen> seen = parseAll(enc.uncompressed());

    assertThat(seen).hasSize(2);
    assertThat(seen.get(0).labels()).containsExactly("__name__=up", "instance=host-1:9100", "job=node");
    assertThat(seen.get(0).ts()).containsExactly(0L, -1L, 1L, 1_700_000_000_000L, Long.MAX_VALUE, Long.MIN_VALUE, 42L, 43L, 44L);
    for (int i = 0; i < values.length; i++) {
      assertThat(seen.get(0).bits().get(i)).as("value %d", i).isEqualTo(Double.doubleToRawLongBits(values[i]));
    }
    assertThat(StaleNaN.is(Double.longBitsToDouble(seen.get(0).bits().get(4)))).isTrue();
    assertThat(seen.get(1).labels()).containsExactly("__name__=ünïcødé_value", "le=+Inf", "path=/a\"b\\c\n");
    assertThat(seen.get(1).ts()).containsExactly(7L);
    assertThat(enc.seriesCount()).isEqualTo(2);
    assertThat(enc.sampleCount()).isEqualTo(10);
  }

  @Test
  void encoderGrowsItsBufferAcrossLargeRequests() throws Exception {
    WriteRequestEncoder enc = new WriteRequestEncoder();
    String big = "x".repeat(70_000); // larger than the initial 64 KiB buffer in one series
    for (int i = 0; i < 3; i++) {
      enc.addSeries(Labels.of("__name__", "m", "big", big + i), i, i);
    }
    List<Seen> seen = parseAll(enc.uncompressed());
    assertThat(seen).hasSize(3);
    assertThat(seen.get(2).labels().get(1)).isEqualTo("big=" + big + 2);
    enc.reset();
    assertThat(enc.size()).isZero();
    enc.addSeries(Labels.of("__name__", "m"), 1, 1);
    assertThat(parseAll(enc.uncompressed())).hasSize(1);
  }

  @Test
  void skipsUnknownFieldsAndCountsExemplarsHistogramsAndMetadata() throws Exception {
    byte[] series = message(out -> {
      label(out, "__name__", "rpc_seconds");
      out.writeUInt64(9, 12345); // unknown varint field
      out.writeFixed32(10, 7); // unknown fixed32 field
      sample(out, 1.0, 1000);
      out.writeBytes(3, com.google.protobuf.ByteString.copyFrom(message(e -> { // an exemplar
        label(e, "trace_id", "abc");
        e.writeDouble(2, 0.5);
        e.writeInt64(3, 999);
      })));
      out.writeBytes(4, com.google.protobuf.ByteString.copyFrom(message(h -> h.writeUInt64(1, 3)))); // a native histogram
      out.writeBytes(4, com.google.protobuf.ByteString.copyFrom(message(h -> h.writeUInt64(1, 4))));
    });
    WriteRequestEncoder enc = new WriteRequestEncoder();
    enc.addMetadata(MetricType.COUNTER, "rpc_total", "RPCs.", "");
    enc.addEncodedSeries(series);
    enc.addMetadata(MetricType.GAUGE, "temp", "", "celsius");
    byte[] request = withTrailingReservedField(enc.uncompressed());

    WriteRequestParser p = new WriteRequestParser();
    p.reset(request, 0, request.length);
    assertThat(p.nextSeries()).isTrue();
    assertThat(p.labelCount()).isEqualTo(1);
    assertThat(p.sampleCount()).isEqualTo(1);
    assertThat(p.timestampMs(0)).isEqualTo(1000);
    assertThat(p.value(0)).isEqualTo(1.0);
    assertThat(p.exemplarCount()).isEqualTo(1);
    assertThat(p.histogramCount()).isEqualTo(2);
    assertThat(p.nextSeries()).isFalse();
    assertThat(p.metadataCount()).isEqualTo(2);
  }

  @Test
  void reportsWhetherLabelsAreContiguousOnTheWire() throws Exception {
    byte[] interleaved = message(out -> {
      label(out, "__name__", "a");
      sample(out, 1, 1);
      label(out, "job", "x");
    });
    WriteRequestEncoder enc = new WriteRequestEncoder();
    enc.addSeries(Labels.of("__name__", "a", "job", "x"), 1, 1);
    enc.addEncodedSeries(interleaved);
    byte[] request = enc.uncompressed();
    WriteRequestParser p = new WriteRequestParser();
    p.reset(request, 0, request.length);
    assertThat(p.nextSeries()).isTrue();
    assertThat(p.labelsContiguous()).isTrue();
    byte[] labelBytes = java.util.Arrays.copyOfRange(request, p.labelsOffset(), p.labelsOffset() + p.labelsLength());
    assertThat(p.nextSeries()).isTrue();
    assertThat(p.labelsContiguous()).isFalse();
    assertThat(p.labelCount()).isEqualTo(2);
    // The contiguous span is exactly the two Label fields: re-encoding them gives the same bytes.
    assertThat(labelBytes).isEqualTo(message(out -> {
      label(out, "__name__", "a");
      label(out, "job", "x");
    }));
  }

  @Test
  void rejectsWireTypeMismatchWithFieldAndPosition() {
    byte[] series = message(out -> {
      label(out, "__name__", "a");
      out.writeBytes(2, com.google.protobuf.ByteString.copyFrom(message(s -> s.writeUInt64(1, 5)))); // value as varint
    });
    byte[] request = new WriteRequestEncoder().addEncodedSeries(series).uncompressed();
    assertThatThrownBy(() -> parseAll(request)).isInstanceOf(InvalidProtocolBufferException.class)
        .hasMessageContaining("Sample.value has wire type 0, want 1").hasMessageContaining("at byte").hasMessageContaining("timeseries 0");
  }

  @Test
  void rejectsTimeseriesThatRunPastTheEnd() {
    byte[] request = {0x0a, 0x10, 0x0a, 0x02}; // timeseries of 16 bytes, only 2 present
    assertThatThrownBy(() -> parseAll(request)).isInstanceOf(InvalidProtocolBufferException.class)
        .hasMessageContaining("WriteRequest.timeseries of 16 bytes runs past the end");
  }

  @Test
  void rejectsZeroTag() {
    assertThatThrownBy(() -> parseAll(new byte[] {0x00, 0x01})).isInstanceOf(InvalidProtocolBufferException.class)
        .hasMessageContaining("proto: WriteRequest").hasMessageContaining("at byte");
  }

  /** Every truncation and random corruption either parses or fails with InvalidProtocolBufferException. */
  @Test
  void truncatedAndCorruptedInputFailsCleanly() {
    long seed = System.nanoTime();
    System.out.println("WriteRequestParserTest seed=" + seed);
    Random rnd = new Random(seed);
    WriteRequestEncoder enc = new WriteRequestEncoder();
    for (int i = 0; i < 20; i++) {
      enc.addSeries(Labels.of("__name__", "m" + i, "job", "j", "instance", "i" + rnd.nextInt(100)),
          new long[] {rnd.nextLong(), 5}, new double[] {rnd.nextDouble(), StaleNaN.VALUE}, 0, 2);
    }
    enc.addMetadata(MetricType.SUMMARY, "m", "help", "seconds");
    byte[] valid = enc.uncompressed();
    for (int len = 0; len < valid.length; len++) {
      byte[] prefix = java.util.Arrays.copyOf(valid, len);
      parseOrInvalid(prefix, "prefix " + len + " seed " + seed);
    }
    for (int round = 0; round < 2_000; round++) {
      byte[] bad = valid.clone();
      int flips = 1 + rnd.nextInt(4);
      for (int f = 0; f < flips; f++) {
        bad[rnd.nextInt(bad.length)] = (byte) rnd.nextInt(256);
      }
      parseOrInvalid(bad, "round " + round + " seed " + seed);
    }
  }

  private static void parseOrInvalid(byte[] request, String what) {
    try {
      parseAll(request);
    } catch (InvalidProtocolBufferException expected) {
      assertThat(expected.getMessage()).as(what).startsWith("proto: WriteRequest");
    } catch (RuntimeException e) {
      fail(what + ": unexpected " + e, e);
    }
  }

  // ---- hand encoding helpers ----------------------------------------------------------------

  interface Body {
    void write(CodedOutputStream out) throws IOException;
  }

  static byte[] message(Body body) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      body.write(out);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static void label(CodedOutputStream out, String name, String value) throws IOException {
    out.writeBytes(1, com.google.protobuf.ByteString.copyFrom(message(l -> {
      l.writeString(1, name);
      l.writeString(2, value);
    })));
  }

  static void sample(CodedOutputStream out, double value, long t) throws IOException {
    out.writeBytes(2, com.google.protobuf.ByteString.copyFrom(message(s -> {
      s.writeDouble(1, value);
      s.writeInt64(2, t);
    })));
  }

  /** Appends WriteRequest field 2 (reserved, unknown to us) which a parser must skip. */
  private static byte[] withTrailingReservedField(byte[] request) {
    byte[] extra = message(out -> out.writeString(2, "ignored"));
    byte[] out = java.util.Arrays.copyOf(request, request.length + extra.length);
    System.arraycopy(extra, 0, out, request.length, extra.length);
    return out;
  }
}
