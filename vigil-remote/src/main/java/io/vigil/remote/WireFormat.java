package io.vigil.remote;

/**
 * The protobuf field numbers and tags of remote write 1.0 that Vigil reads and writes, in one place.
 * They come from Prometheus's prompb/remote.proto and prompb/types.proto (package
 * {@code prometheus}); remote write 1.0 is frozen, so they never change:
 *
 * <pre>
 * message WriteRequest   { repeated TimeSeries timeseries = 1; reserved 2;
 *                          repeated MetricMetadata metadata = 3; }
 * message TimeSeries     { repeated Label labels = 1; repeated Sample samples = 2;
 *                          repeated Exemplar exemplars = 3; repeated Histogram histograms = 4; }
 * message Label          { string name = 1; string value = 2; }
 * message Sample         { double value = 1; int64 timestamp = 2; }   // timestamp in ms
 * message Exemplar       { repeated Label labels = 1; double value = 2; int64 timestamp = 3; }
 * message MetricMetadata { MetricType type = 1; string metric_family_name = 2; string help = 4;
 *                          string unit = 5; }
 * </pre>
 *
 * Exemplars, native histograms and metadata are counted, never decoded: Vigil does not store them yet.
 * A tag is {@code field << 3 | wireType}; wire type 0 is a varint, 1 a fixed 64-bit value, 2 a
 * length-delimited field (strings and nested messages).
 */
final class WireFormat {
  private WireFormat() {}

  static final int WIRE_VARINT = 0;
  static final int WIRE_FIXED64 = 1;
  static final int WIRE_LENGTH_DELIMITED = 2;

  // WriteRequest
  static final int WRITE_REQUEST_TIMESERIES = 1;
  static final int WRITE_REQUEST_METADATA = 3;

  // TimeSeries
  static final int TIMESERIES_LABELS = 1;
  static final int TIMESERIES_SAMPLES = 2;
  static final int TIMESERIES_EXEMPLARS = 3;
  static final int TIMESERIES_HISTOGRAMS = 4;

  // Label
  static final int LABEL_NAME = 1;
  static final int LABEL_VALUE = 2;

  // Sample
  static final int SAMPLE_VALUE = 1;
  static final int SAMPLE_TIMESTAMP = 2;

  // MetricMetadata
  static final int METADATA_TYPE = 1;
  static final int METADATA_FAMILY_NAME = 2;
  static final int METADATA_HELP = 4;
  static final int METADATA_UNIT = 5;

  static int tag(int field, int wireType) {
    return field << 3 | wireType;
  }

  static int field(int tag) {
    return tag >>> 3;
  }

  static int wireType(int tag) {
    return tag & 7;
  }

  /** Prometheus's MetricMetadata.MetricType enum values, by name. */
  enum MetadataType {
    UNKNOWN, COUNTER, GAUGE, HISTOGRAM, GAUGEHISTOGRAM, SUMMARY, INFO, STATESET
  }
}
