package io.vigil.exposition;

import com.google.protobuf.WireFormat;

/**
 * The parts of {@code io/prometheus/client/metrics.proto} (prometheus/client_model, proto2; the
 * wire format the Pushgateway accepts and Prometheus scrapes as PrometheusProto) that Vigil reads
 * and writes, as full tags (field number and wire type). No generated code: the parser walks the
 * bytes with {@code CodedInputStream} and skips every field not listed here, including the native
 * histogram fields 5-14 and 16 of Histogram and the created_timestamp fields.
 *
 * <pre>
 * MetricFamily  1 name: string   2 help: string   3 type: MetricType (enum)   4 metric: Metric (repeated)
 *               5 unit: string
 * MetricType    COUNTER=0 GAUGE=1 SUMMARY=2 UNTYPED=3 HISTOGRAM=4 GAUGE_HISTOGRAM=5
 * Metric        1 label: LabelPair (repeated)   2 gauge: Gauge   3 counter: Counter   4 summary: Summary
 *               5 untyped: Untyped   7 histogram: Histogram   6 timestamp_ms: int64
 * LabelPair     1 name: string   2 value: string
 * Gauge, Untyped  1 value: double
 * Counter       1 value: double   2 exemplar: Exemplar   (3 created_timestamp: Timestamp, skipped)
 * Summary       1 sample_count: uint64   2 sample_sum: double   3 quantile: Quantile (repeated)
 *               (4 created_timestamp, skipped)
 * Quantile      1 quantile: double   2 value: double
 * Histogram     1 sample_count: uint64   4 sample_count_float: double (overrides if present)
 *               2 sample_sum: double   3 bucket: Bucket (repeated, increasing upper_bound, +Inf optional)
 *               (5-14, 16: native histogram; 15 created_timestamp: skipped)
 * Bucket        1 cumulative_count: uint64   4 cumulative_count_float: double (overrides if present)
 *               2 upper_bound: double   3 exemplar: Exemplar
 * Exemplar      1 label: LabelPair (repeated)   2 value: double   3 timestamp: google.protobuf.Timestamp
 * Timestamp     1 seconds: int64   2 nanos: int32
 * </pre>
 *
 * The body is "delimited": each MetricFamily message is preceded by its length as a varint.
 */
final class MetricsProto {
  private MetricsProto() {}

  private static final int LEN = WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private static final int VARINT = WireFormat.WIRETYPE_VARINT;
  private static final int FIXED64 = WireFormat.WIRETYPE_FIXED64;

  private static int tag(int field, int wireType) {
    return (field << 3) | wireType;
  }

  static final int FAMILY_NAME = tag(1, LEN);
  static final int FAMILY_HELP = tag(2, LEN);
  static final int FAMILY_TYPE = tag(3, VARINT);
  static final int FAMILY_METRIC = tag(4, LEN);
  static final int FAMILY_UNIT = tag(5, LEN);

  static final int TYPE_COUNTER = 0;
  static final int TYPE_GAUGE = 1;
  static final int TYPE_SUMMARY = 2;
  static final int TYPE_UNTYPED = 3;
  static final int TYPE_HISTOGRAM = 4;
  static final int TYPE_GAUGE_HISTOGRAM = 5;

  static final int METRIC_LABEL = tag(1, LEN);
  static final int METRIC_GAUGE = tag(2, LEN);
  static final int METRIC_COUNTER = tag(3, LEN);
  static final int METRIC_SUMMARY = tag(4, LEN);
  static final int METRIC_UNTYPED = tag(5, LEN);
  static final int METRIC_TIMESTAMP_MS = tag(6, VARINT);
  static final int METRIC_HISTOGRAM = tag(7, LEN);

  static final int LABEL_NAME = tag(1, LEN);
  static final int LABEL_VALUE = tag(2, LEN);

  /** Gauge.value, Untyped.value and Counter.value. */
  static final int SCALAR_VALUE = tag(1, FIXED64);
  static final int COUNTER_EXEMPLAR = tag(2, LEN);

  static final int SUMMARY_COUNT = tag(1, VARINT);
  static final int SUMMARY_SUM = tag(2, FIXED64);
  static final int SUMMARY_QUANTILE = tag(3, LEN);
  static final int QUANTILE_QUANTILE = tag(1, FIXED64);
  static final int QUANTILE_VALUE = tag(2, FIXED64);

  static final int HISTOGRAM_COUNT = tag(1, VARINT);
  static final int HISTOGRAM_SUM = tag(2, FIXED64);
  static final int HISTOGRAM_BUCKET = tag(3, LEN);
  static final int HISTOGRAM_COUNT_FLOAT = tag(4, FIXED64);
  static final int BUCKET_COUNT = tag(1, VARINT);
  static final int BUCKET_UPPER_BOUND = tag(2, FIXED64);
  static final int BUCKET_EXEMPLAR = tag(3, LEN);
  static final int BUCKET_COUNT_FLOAT = tag(4, FIXED64);

  static final int EXEMPLAR_LABEL = tag(1, LEN);
  static final int EXEMPLAR_VALUE = tag(2, FIXED64);
  static final int EXEMPLAR_TIMESTAMP = tag(3, LEN);
  static final int TIMESTAMP_SECONDS = tag(1, VARINT);
  static final int TIMESTAMP_NANOS = tag(2, VARINT);

  /** A uint64 read into a Java long, as a double (values above 2^63 come in negative). */
  static double unsignedToDouble(long v) {
    if (v >= 0) {
      return v;
    }
    // Halve (keeping the low bit so rounding stays correct), convert, double.
    return ((v >>> 1) | (v & 1)) * 2.0;
  }

  /** The uint64 nearest to a whole, non-negative double below 2^64, as Java's long bits. */
  static long doubleToUnsigned(double v) {
    if (v < 9.223372036854775807E18) {
      return (long) v;
    }
    return (long) (v - 9.223372036854775807E18) + Long.MIN_VALUE;
  }

  /** Whether v can be written as a uint64 count without loss. */
  static boolean isUnsignedInteger(double v) {
    return v >= 0 && v < 1.8446744073709552E19 && v == Math.rint(v) && Double.doubleToRawLongBits(v) != Long.MIN_VALUE;
  }
}
