package io.vigil.exposition;

import static io.vigil.exposition.MetricsProto.*;

import com.google.protobuf.CodedOutputStream;
import io.vigil.model.Labels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writes {@link MetricFamily} lists as varint-length-delimited {@code io.prometheus.client.MetricFamily}
 * messages (the Pushgateway's protobuf push body, Prometheus's PrometheusProto scrape format), in
 * the families' order. Each message's size is computed first, then the message is encoded straight
 * into the caller's {@link ByteSink}.
 *
 * <p>Mapping: info and stateset are GAUGE, unknown is UNTYPED; all buckets are written, {@code +Inf}
 * included; counts are {@code sample_count}/{@code cumulative_count} when they are whole numbers
 * below 2^64 and the {@code _float} fields otherwise; a summary count can only be a uint64, so a
 * fractional or negative one is rounded towards zero and clamped at 0. Created times are not
 * written; units are written in field 5.
 */
public final class ProtobufWriter {
  private ProtobufWriter() {}

  public static void write(List<MetricFamily> families, ByteSink out) {
    for (MetricFamily f : families) {
      writeFamily(f, out);
    }
  }

  public static void writeFamily(MetricFamily f, ByteSink out) {
    int size = familySize(f);
    int total = CodedOutputStream.computeUInt32SizeNoTag(size) + size;
    out.ensure(total);
    CodedOutputStream o = CodedOutputStream.newInstance(out.array(), out.size(), total);
    try {
      o.writeUInt32NoTag(size);
      o.writeString(1, f.name());
      if (f.help() != null) {
        o.writeString(2, f.help());
      }
      o.writeEnum(3, protoType(f));
      for (MetricPoint p : f.points()) {
        o.writeTag(4, 2);
        o.writeUInt32NoTag(metricSize(f, p));
        writeMetric(o, f, p);
      }
      if (!f.unit().isEmpty()) {
        o.writeString(5, f.unit());
      }
      o.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException("protobuf size computation and encoding disagree", e);
    }
    out.setSize(out.size() + total);
  }

  private static int protoType(MetricFamily f) {
    return switch (f.type()) {
      case COUNTER -> TYPE_COUNTER;
      case GAUGE, INFO, STATESET -> TYPE_GAUGE;
      case SUMMARY -> TYPE_SUMMARY;
      case UNKNOWN -> TYPE_UNTYPED;
      case HISTOGRAM -> TYPE_HISTOGRAM;
      case GAUGE_HISTOGRAM -> TYPE_GAUGE_HISTOGRAM;
    };
  }

  /** The Metric field holding the value for this family's type. */
  private static int valueField(MetricFamily f) {
    return switch (f.type()) {
      case COUNTER -> 3;
      case GAUGE, INFO, STATESET -> 2;
      case SUMMARY -> 4;
      case UNKNOWN -> 5;
      case HISTOGRAM, GAUGE_HISTOGRAM -> 7;
    };
  }

  // ---- sizes ----

  private static int familySize(MetricFamily f) {
    int size = CodedOutputStream.computeStringSize(1, f.name()) + CodedOutputStream.computeEnumSize(3, protoType(f));
    if (f.help() != null) {
      size += CodedOutputStream.computeStringSize(2, f.help());
    }
    for (MetricPoint p : f.points()) {
      size += delimited(4, metricSize(f, p));
    }
    if (!f.unit().isEmpty()) {
      size += CodedOutputStream.computeStringSize(5, f.unit());
    }
    return size;
  }

  private static int delimited(int field, int size) {
    return CodedOutputStream.computeTagSize(field) + CodedOutputStream.computeUInt32SizeNoTag(size) + size;
  }

  private static int metricSize(MetricFamily f, MetricPoint p) {
    int size = labelsSize(1, p.labels()) + delimited(valueField(f), valueSize(p.value()));
    if (p.hasTimestamp()) {
      size += CodedOutputStream.computeInt64Size(6, p.timestampMs());
    }
    return size;
  }

  private static int labelsSize(int field, Labels labels) {
    int size = 0;
    for (int i = 0; i < labels.size(); i++) {
      size += delimited(field, labelPairSize(labels, i));
    }
    return size;
  }

  private static int labelPairSize(Labels labels, int i) {
    return CodedOutputStream.computeStringSize(1, labels.name(i)) + CodedOutputStream.computeStringSize(2, labels.value(i));
  }

  private static int valueSize(PointValue v) {
    return switch (v) {
      case PointValue.Scalar s -> 9 + (s.exemplar() == null ? 0 : delimited(2, exemplarSize(s.exemplar())));
      case PointValue.Summary s -> {
        int size = CodedOutputStream.computeUInt64Size(1, summaryCount(s.count())) + 9;
        for (int i = 0; i < s.quantiles().size(); i++) {
          size += delimited(3, 18);
        }
        yield size;
      }
      case PointValue.Histogram h -> {
        int size = countSize(1, h.count()) + 9;
        for (PointValue.Bucket b : h.buckets()) {
          size += delimited(3, bucketSize(b));
        }
        yield size;
      }
    };
  }

  private static int bucketSize(PointValue.Bucket b) {
    return countSize(1, b.cumulativeCount()) + 9
        + (b.exemplar() == null ? 0 : delimited(3, exemplarSize(b.exemplar())));
  }

  /** A count as uint64 field {@code intField} when whole, else as a double field (9 bytes with tag). */
  private static int countSize(int intField, double count) {
    return isUnsignedInteger(count) ? CodedOutputStream.computeUInt64Size(intField, doubleToUnsigned(count)) : 9;
  }

  private static long summaryCount(double count) {
    return count > 0 ? doubleToUnsigned(Math.min(Math.floor(count), 1.8446744073709550E19)) : 0;
  }

  private static int exemplarSize(Exemplar e) {
    int size = labelsSize(1, e.labels()) + 9;
    if (e.hasTimestamp()) {
      size += delimited(3, timestampSize(e.timestampMs()));
    }
    return size;
  }

  private static int timestampSize(long ms) {
    return CodedOutputStream.computeInt64Size(1, Math.floorDiv(ms, 1000))
        + CodedOutputStream.computeInt32Size(2, (int) Math.floorMod(ms, 1000) * 1_000_000);
  }

  // ---- encoding, mirroring the sizes above ----

  private static void writeMetric(CodedOutputStream o, MetricFamily f, MetricPoint p) throws IOException {
    writeLabels(o, 1, p.labels());
    o.writeTag(valueField(f), 2);
    o.writeUInt32NoTag(valueSize(p.value()));
    switch (p.value()) {
      case PointValue.Scalar s -> {
        o.writeDouble(1, s.value());
        if (s.exemplar() != null) {
          writeExemplar(o, 2, s.exemplar());
        }
      }
      case PointValue.Summary s -> {
        o.writeUInt64(1, summaryCount(s.count()));
        o.writeDouble(2, s.sum());
        for (PointValue.Quantile q : s.quantiles()) {
          o.writeTag(3, 2);
          o.writeUInt32NoTag(18);
          o.writeDouble(1, q.quantile());
          o.writeDouble(2, q.value());
        }
      }
      case PointValue.Histogram h -> {
        writeCount(o, 1, 4, h.count());
        o.writeDouble(2, h.sum());
        for (PointValue.Bucket b : h.buckets()) {
          o.writeTag(3, 2);
          o.writeUInt32NoTag(bucketSize(b));
          writeCount(o, 1, 4, b.cumulativeCount());
          o.writeDouble(2, b.upperBound());
          if (b.exemplar() != null) {
            writeExemplar(o, 3, b.exemplar());
          }
        }
      }
    }
    if (p.hasTimestamp()) {
      o.writeInt64(6, p.timestampMs());
    }
  }

  private static void writeCount(CodedOutputStream o, int intField, int floatField, double count) throws IOException {
    if (isUnsignedInteger(count)) {
      o.writeUInt64(intField, doubleToUnsigned(count));
    } else {
      o.writeDouble(floatField, count);
    }
  }

  private static void writeLabels(CodedOutputStream o, int field, Labels labels) throws IOException {
    for (int i = 0; i < labels.size(); i++) {
      o.writeTag(field, 2);
      o.writeUInt32NoTag(labelPairSize(labels, i));
      o.writeString(1, labels.name(i));
      o.writeString(2, labels.value(i));
    }
  }

  private static void writeExemplar(CodedOutputStream o, int field, Exemplar e) throws IOException {
    o.writeTag(field, 2);
    o.writeUInt32NoTag(exemplarSize(e));
    writeLabels(o, 1, e.labels());
    o.writeDouble(2, e.value());
    if (e.hasTimestamp()) {
      o.writeTag(3, 2);
      o.writeUInt32NoTag(timestampSize(e.timestampMs()));
      o.writeInt64(1, Math.floorDiv(e.timestampMs(), 1000));
      o.writeInt32(2, (int) Math.floorMod(e.timestampMs(), 1000) * 1_000_000);
    }
  }
}
