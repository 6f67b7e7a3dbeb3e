package io.vigil.exposition;

import static io.vigil.exposition.ExpositionFormat.PROMETHEUS_PROTOBUF;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedOutputStream;
import io.vigil.model.Labels;
import io.vigil.model.MetricType;
import io.vigil.testkit.Fixtures;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class ProtobufTest {

  static byte[] pushBody() throws Exception {
    return Base64.getMimeDecoder().decode(Files.readString(Fixtures.fixture("pushgateway/push-body-protobuf-delimited.b64")));
  }

  /** Message count by walking the varint lengths, independently of the parser. */
  private static int countMessages(byte[] b) {
    int n = 0;
    for (int p = 0; p < b.length; n++) {
      int len = 0;
      int shift = 0;
      while ((b[p] & 0x80) != 0) {
        len |= (b[p++] & 0x7f) << shift;
        shift += 7;
      }
      len |= b[p++] << shift;
      p += len;
    }
    return n;
  }

  @Test
  void pushgatewayFixtureAsTheTranscriptDescribesIt() throws Exception {
    byte[] body = pushBody();
    assertThat(countMessages(body)).isEqualTo(2);
    assertThat(ParseHelper.entries(PROMETHEUS_PROTOBUF, body, ParserOptions.DEFAULTS)).containsExactly(
        "HELP restic_backup_files_total Files processed (protobuf push).",
        "TYPE restic_backup_files_total counter",
        "SERIES {__name__=\"restic_backup_files_total\", repo=\"r1\"} 42.0",
        "HELP restic_backup_last_run_timestamp_seconds Last run.",
        "TYPE restic_backup_last_run_timestamp_seconds gauge",
        "SERIES {__name__=\"restic_backup_last_run_timestamp_seconds\"} 1.7E9",
        "EOF");
    List<MetricFamily> fs = FixtureRoundTripTest.collect(PROMETHEUS_PROTOBUF, body);
    assertThat(fs).hasSize(2);
    // Our writer produces the very bytes the Pushgateway accepted.
    assertThat(FixtureRoundTripTest.write(PROMETHEUS_PROTOBUF, fs)).isEqualTo(body);
    ByteSink text = new ByteSink();
    PromTextWriter.write(fs, text);
    assertThat(text.toString()).isEqualTo("""
        # HELP restic_backup_files_total Files processed (protobuf push).
        # TYPE restic_backup_files_total counter
        restic_backup_files_total{repo="r1"} 42
        # HELP restic_backup_last_run_timestamp_seconds Last run.
        # TYPE restic_backup_last_run_timestamp_seconds gauge
        restic_backup_last_run_timestamp_seconds 1.7e+09
        """);
  }

  @Test
  void seriesKeyIsSyntheticAndUnambiguous() throws Exception {
    byte[] body = pushBody();
    ExpositionParser p = ExpositionParser.create(PROMETHEUS_PROTOBUF, body, 0, body.length, ParserOptions.DEFAULTS);
    assertThat(p.next()).isEqualTo(Entry.HELP);
    assertThat(p.line()).isEqualTo(1);
    assertThat(p.next()).isEqualTo(Entry.TYPE);
    assertThat(p.next()).isEqualTo(Entry.SERIES);
    assertThat(p.series().toByteArray()).isEqualTo("restic_backup_files_total\u00ffrepo\u00ffr1".getBytes(StandardCharsets.ISO_8859_1));
    assertThat(p.metricName().toString()).isEqualTo("restic_backup_files_total");
    assertThat(p.hasTimestamp()).isFalse();
  }

  @Test
  void bodiesInTheWrongFormatFailClearly() throws Exception {
    assertThat(ParseHelper.error(ExpositionFormat.PROMETHEUS_TEXT, pushBody(), ParserOptions.DEFAULTS))
        .isEqualTo("line 1, column 2: expected a sample value after the metric, found end of line"); // 'X' is the first length byte
    assertThat(ParseHelper.error(PROMETHEUS_PROTOBUF, "# TYPE a gauge\na 1\n".getBytes(StandardCharsets.UTF_8), ParserOptions.DEFAULTS))
        .isEqualTo("byte offset 0: MetricFamily message 1: length 35 exceeds the 18 bytes left");
  }

  @Test
  void histogramsSummariesExemplarsAndTimestamps() throws Exception {
    MetricFamily h = new MetricFamily("lat_seconds", MetricType.HISTOGRAM, "Latency.", "seconds", List.of(
        new MetricPoint(Labels.of("path", "/a\"b"), new PointValue.Histogram(7, 3.5, List.of(
            new PointValue.Bucket(0.5, 2, new Exemplar(Labels.of("trace_id", "t1"), 0.4, true, 1_700_000_000_123L)),
            new PointValue.Bucket(1e6, 6.5))), true, 1_700_000_000_000L, Double.NaN)));
    MetricFamily s = new MetricFamily("s", MetricType.SUMMARY, null, "", List.of(MetricPoint.of(Labels.EMPTY,
        new PointValue.Summary(3, 1.5, List.of(new PointValue.Quantile(0.5, 0.4), new PointValue.Quantile(0.99, 1.0))))));
    MetricFamily c = new MetricFamily("c_total", MetricType.COUNTER, "", "", List.of(MetricPoint.of(Labels.of("a", "1"),
        new PointValue.Scalar(5, new Exemplar(Labels.EMPTY, 1, false, 0)))));
    MetricFamily gh = new MetricFamily("gh", MetricType.GAUGE_HISTOGRAM, null, "", List.of(MetricPoint.of(Labels.EMPTY,
        new PointValue.Histogram(2, -1, List.of(new PointValue.Bucket(-1, 1))))));
    List<MetricFamily> in = List.of(h, s, c, gh);
    byte[] body = FixtureRoundTripTest.write(PROMETHEUS_PROTOBUF, in);
    assertThat(ParseHelper.entries(PROMETHEUS_PROTOBUF, body, ParserOptions.DEFAULTS)).containsExactly(
        "HELP lat_seconds Latency.",
        "TYPE lat_seconds histogram",
        "UNIT lat_seconds seconds",
        "SERIES {__name__=\"lat_seconds_bucket\", le=\"0.5\", path=\"/a\\\"b\"} 2.0 @1700000000000 # {trace_id=\"t1\"} 0.4 @1700000000123",
        "SERIES {__name__=\"lat_seconds_bucket\", le=\"1e+06\", path=\"/a\\\"b\"} 6.5 @1700000000000",
        "SERIES {__name__=\"lat_seconds_bucket\", le=\"+Inf\", path=\"/a\\\"b\"} 7.0 @1700000000000",
        "SERIES {__name__=\"lat_seconds_sum\", path=\"/a\\\"b\"} 3.5 @1700000000000",
        "SERIES {__name__=\"lat_seconds_count\", path=\"/a\\\"b\"} 7.0 @1700000000000",
        "TYPE s summary",
        "SERIES {__name__=\"s\", quantile=\"0.5\"} 0.4",
        "SERIES {__name__=\"s\", quantile=\"0.99\"} 1.0",
        "SERIES {__name__=\"s_sum\"} 1.5",
        "SERIES {__name__=\"s_count\"} 3.0",
        "HELP c_total ",
        "TYPE c_total counter",
        "SERIES {__name__=\"c_total\", a=\"1\"} 5.0 # {} 1.0",
        "TYPE gh gaugehistogram",
        "SERIES {__name__=\"gh_bucket\", le=\"-1\"} 1.0",
        "SERIES {__name__=\"gh_bucket\", le=\"+Inf\"} 2.0",
        "SERIES {__name__=\"gh_gsum\"} -1.0",
        "SERIES {__name__=\"gh_gcount\"} 2.0",
        "EOF");
    assertThat(FixtureRoundTripTest.collect(PROMETHEUS_PROTOBUF, body)).isEqualTo(in);
  }

  @Test
  void clientGolangStyleHistogramWithoutInfBucketAndNativeFieldsSkipped() throws Exception {
    ByteArrayOutputStream msg = new ByteArrayOutputStream();
    CodedOutputStream o = CodedOutputStream.newInstance(msg);
    o.writeString(1, "h");
    o.writeEnum(3, 4);
    ByteArrayOutputStream metric = new ByteArrayOutputStream();
    CodedOutputStream mo = CodedOutputStream.newInstance(metric);
    ByteArrayOutputStream hist = new ByteArrayOutputStream();
    CodedOutputStream ho = CodedOutputStream.newInstance(hist);
    ho.writeUInt64(1, 10);
    ho.writeDouble(2, 2.5);
    ByteArrayOutputStream bucket = new ByteArrayOutputStream();
    CodedOutputStream bo = CodedOutputStream.newInstance(bucket);
    bo.writeUInt64(1, 4);
    bo.writeDouble(2, 1.0);
    bo.flush();
    ho.writeByteArray(3, bucket.toByteArray());
    ho.writeSInt32(5, 3); // native histogram schema: skipped
    ho.writeDouble(6, 1e-128);
    ho.writeByteArray(12, new byte[] {8, 0, 16, 0}); // a no-op span
    ho.writeUInt64(99, 1); // unknown field: skipped
    ho.flush();
    mo.writeByteArray(7, hist.toByteArray());
    mo.writeInt64(6, -5);
    mo.flush();
    o.writeByteArray(4, metric.toByteArray());
    o.writeUInt64(1, 7); // name with the wrong wire type: skipped like an unknown field
    o.flush();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    CodedOutputStream bodyOut = CodedOutputStream.newInstance(body);
    bodyOut.writeUInt32NoTag(msg.size());
    bodyOut.flush();
    msg.writeTo(body);
    assertThat(ParseHelper.entries(PROMETHEUS_PROTOBUF, body.toByteArray(), ParserOptions.DEFAULTS)).containsExactly(
        "TYPE h histogram",
        "SERIES {__name__=\"h_bucket\", le=\"1\"} 4.0 @-5",
        "SERIES {__name__=\"h_bucket\", le=\"+Inf\"} 10.0 @-5",
        "SERIES {__name__=\"h_sum\"} 2.5 @-5",
        "SERIES {__name__=\"h_count\"} 10.0 @-5",
        "EOF");
  }

  @Test
  void badMessages() throws Exception {
    assertThat(error(family(o -> o.writeString(2, "help only")))).isEqualTo("byte offset 0: MetricFamily message 1: metric family without a name");
    assertThat(error(family(o -> o.writeString(1, "9bad")))).isEqualTo("byte offset 0: MetricFamily message 1: invalid metric name \"9bad\"");
    assertThat(error(family(o -> {
      o.writeString(1, "m");
      o.writeEnum(3, 7);
    }))).isEqualTo("byte offset 0: MetricFamily message 1: unknown metric type 7 for \"m\"");
    assertThat(error(family(o -> {
      o.writeString(1, "m");
      o.writeByteArray(4, metricWithLabels("a", "1", "a", "2"));
    }))).isEqualTo("byte offset 0: MetricFamily message 1: duplicate label name \"a\" on \"m\"");
    assertThat(error(family(o -> {
      o.writeString(1, "m");
      o.writeByteArray(4, metricWithLabels("a-b", "1"));
    }))).isEqualTo("byte offset 0: MetricFamily message 1: invalid label name \"a-b\" on \"m\"");
    assertThat(error(family(o -> {
      o.writeString(1, "m");
      o.writeEnum(3, 4);
      o.writeByteArray(4, metricWithLabels("le", "1"));
    }))).isEqualTo("byte offset 0: MetricFamily message 1: label name \"le\" is reserved in histogram family \"m\"");
    byte[] badUtf8 = family(o -> {
      o.writeString(1, "m");
      o.writeByteArray(4, metricWithLabels("a", "\u0000"));
    });
    badUtf8[badUtf8.length - 1] = (byte) 0xff;
    assertThat(error(badUtf8)).isEqualTo("byte offset 0: MetricFamily message 1: invalid UTF-8 in the value of label \"a\"");
    byte[] good = pushBody();
    assertThat(good[0]).isEqualTo((byte) 88); // the first message is 88 bytes long, the second 68
    byte[] truncated = java.util.Arrays.copyOf(good, good.length * 2 - 3);
    System.arraycopy(good, 0, truncated, good.length, good.length - 3);
    assertThat(error(truncated)).isEqualTo("byte offset " + (good.length + 1 + 88)
        + ": MetricFamily message 4: length 68 exceeds the 65 bytes left");
    byte[] innerOverrun = family(o -> o.writeString(1, "m"));
    innerOverrun[2] = 50; // the name claims more bytes than its message has
    assertThat(error(innerOverrun)).isEqualTo("byte offset 0: MetricFamily message 1: field length 50 runs past the end of its message");
  }

  @Test
  void theSameFamilyInTwoMessagesMergesWhenConsistent() throws Exception {
    MetricFamily a = new MetricFamily("g", MetricType.GAUGE, "h", "", List.of(MetricPoint.of(Labels.of("x", "1"), new PointValue.Scalar(1))));
    MetricFamily b = new MetricFamily("g", MetricType.GAUGE, "h", "", List.of(MetricPoint.of(Labels.of("x", "2"), new PointValue.Scalar(2))));
    byte[] body = FixtureRoundTripTest.write(PROMETHEUS_PROTOBUF, List.of(a, b));
    assertThat(FixtureRoundTripTest.collect(PROMETHEUS_PROTOBUF, body)).containsExactly(
        new MetricFamily("g", MetricType.GAUGE, "h", "", List.of(a.points().get(0), b.points().get(0))));
    byte[] dup = FixtureRoundTripTest.write(PROMETHEUS_PROTOBUF, List.of(a, a));
    assertThat(FamilyCollectorTest.errorBytes(PROMETHEUS_PROTOBUF, dup))
        .isEqualTo("MetricFamily message 2: duplicate sample g{x=\"1\"}: the same series appeared earlier in the body");
    MetricFamily c = new MetricFamily("g", MetricType.COUNTER, "h", "", a.points());
    assertThat(FamilyCollectorTest.errorBytes(PROMETHEUS_PROTOBUF, FixtureRoundTripTest.write(PROMETHEUS_PROTOBUF, List.of(a, c))))
        .isEqualTo("MetricFamily message 2: metric family \"g\" has type gauge in one message and counter in another");
  }

  static List<Path> textFixtures() throws Exception {
    List<Path> out = new ArrayList<>();
    for (Path p : FixtureParseTest.textFixtures()) {
      if (FixtureParseTest.formatOf(p) == ExpositionFormat.PROMETHEUS_TEXT) {
        out.add(p);
      }
    }
    return out;
  }

  /** Every 0.0.4 fixture survives text -> families -> protobuf -> families unchanged. */
  @ParameterizedTest
  @MethodSource("textFixtures")
  void textFixturesRoundTripThroughProtobuf(Path file) throws Exception {
    List<MetricFamily> fs = FixtureRoundTripTest.collect(ExpositionFormat.PROMETHEUS_TEXT, Files.readAllBytes(file));
    byte[] body = FixtureRoundTripTest.write(PROMETHEUS_PROTOBUF, fs);
    assertThat(countMessages(body)).isEqualTo(fs.size());
    assertThat(FixtureRoundTripTest.collect(PROMETHEUS_PROTOBUF, body)).isEqualTo(fs);
  }

  @Test
  void randomRoundTrip() throws Exception {
    long seed = RandomRoundTripTest.seed();
    System.out.println("ProtobufTest.randomRoundTrip seed=" + seed);
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int round = 0; round < Integer.getInteger("vigil.rounds", 300); round++) {
      List<MetricFamily> fs = new ArrayList<>();
      for (MetricFamily f : RandomRoundTripTest.randomFamilies(rnd, ExpositionFormat.PROMETHEUS_TEXT)) {
        fs.add(protobufExpressible(f));
      }
      byte[] body = FixtureRoundTripTest.write(PROMETHEUS_PROTOBUF, fs);
      assertThat(FixtureRoundTripTest.collect(PROMETHEUS_PROTOBUF, body)).as("seed %d round %d", seed, round).isEqualTo(fs);
    }
  }

  /** Summary counts are uint64 in protobuf: make them whole. */
  private static MetricFamily protobufExpressible(MetricFamily f) {
    List<MetricPoint> points = new ArrayList<>();
    for (MetricPoint p : f.points()) {
      PointValue v = p.value();
      if (v instanceof PointValue.Summary s) {
        v = new PointValue.Summary(Double.isFinite(s.count()) ? Math.abs(Math.rint(s.count())) % 1e15 : 0, s.sum(), s.quantiles());
      }
      points.add(new MetricPoint(p.labels(), v, p.hasTimestamp(), p.timestampMs(), p.createdSeconds()));
    }
    return new MetricFamily(f.name(), f.type(), f.help(), f.unit(), points);
  }

  interface Fields {
    void write(CodedOutputStream o) throws Exception;
  }

  static byte[] family(Fields fields) throws Exception {
    ByteArrayOutputStream msg = new ByteArrayOutputStream();
    CodedOutputStream o = CodedOutputStream.newInstance(msg);
    fields.write(o);
    o.flush();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    CodedOutputStream b = CodedOutputStream.newInstance(body);
    b.writeUInt32NoTag(msg.size());
    b.flush();
    msg.writeTo(body);
    return body.toByteArray();
  }

  static byte[] metricWithLabels(String... namesAndValues) throws Exception {
    ByteArrayOutputStream metric = new ByteArrayOutputStream();
    CodedOutputStream mo = CodedOutputStream.newInstance(metric);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      ByteArrayOutputStream pair = new ByteArrayOutputStream();
      CodedOutputStream po = CodedOutputStream.newInstance(pair);
      po.writeString(1, namesAndValues[i]);
      po.writeString(2, namesAndValues[i + 1]);
      po.flush();
      mo.writeByteArray(1, pair.toByteArray());
    }
    mo.flush();
    return metric.toByteArray();
  }

  private static String error(byte[] body) {
    return ParseHelper.error(PROMETHEUS_PROTOBUF, body, ParserOptions.DEFAULTS);
  }
}
