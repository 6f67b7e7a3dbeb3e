package io.vigil.push;

import static io.vigil.push.JournalDescriptor.FAMILY_COUNTER;
import static io.vigil.push.JournalDescriptor.FAMILY_GAUGE;
import static io.vigil.push.JournalDescriptor.FAMILY_HISTOGRAM;
import static io.vigil.push.JournalDescriptor.FAMILY_SUMMARY;
import static io.vigil.push.JournalDescriptor.FAMILY_UNTYPED;
import static io.vigil.push.JournalDescriptor.FLAG_HAS_HELP;

import io.vigil.exposition.MetricPoint;
import io.vigil.exposition.PointValue;
import io.vigil.model.Labels;
import io.vigil.model.MetricType;
import io.vigil.push.RecordInput.DecodeException;
import java.util.ArrayList;
import java.util.List;

/** Encodes and decodes record payloads (docs/format/push-journal.md). Stateless. */
final class RecordCodec {
  private RecordCodec() {}

  static void encodeGroup(PushGroup g, RecordBuffer out) {
    out.writeLabels(g.key().labels());
    out.writeVarint(g.pushTimeNanos());
    out.writeVarint(g.failureTimeNanos());
    out.writeVarint(g.ttlMs());
    out.writeUvarint(g.families().size());
    for (PushedFamily f : g.families()) {
      out.writeString(f.name());
      out.writeByte(typeCode(f.type()));
      out.writeByte(f.help() == null ? 0 : FLAG_HAS_HELP);
      if (f.help() != null) {
        out.writeString(f.help());
      }
      out.writeVarint(f.timeNanos());
      out.writeUvarint(f.points().size());
      for (MetricPoint p : f.points()) {
        out.writeLabels(p.labels());
        switch (p.value()) {
          case PointValue.Scalar s -> out.writeDouble(s.value());
          case PointValue.Histogram h -> {
            out.writeDouble(h.count()).writeDouble(h.sum()).writeUvarint(h.buckets().size());
            for (PointValue.Bucket b : h.buckets()) {
              out.writeDouble(b.upperBound()).writeDouble(b.cumulativeCount());
            }
          }
          case PointValue.Summary s -> {
            out.writeDouble(s.count()).writeDouble(s.sum()).writeUvarint(s.quantiles().size());
            for (PointValue.Quantile q : s.quantiles()) {
              out.writeDouble(q.quantile()).writeDouble(q.value());
            }
          }
        }
      }
    }
  }

  static PushGroup decodeGroup(RecordInput in) throws DecodeException {
    Labels key = in.readLabels();
    if (key.get(GroupingKey.JOB).isEmpty()) {
      throw new DecodeException("grouping key without job: " + key);
    }
    long pushTime = in.readVarint();
    long failureTime = in.readVarint();
    long ttlMs = in.readVarint();
    if (ttlMs < PushGroup.DEFAULT_TTL) {
      throw new DecodeException("negative TTL " + ttlMs);
    }
    int nFamilies = in.readCount(4, "family");
    List<PushedFamily> families = new ArrayList<>(nFamilies);
    for (int i = 0; i < nFamilies; i++) {
      String name = in.readString();
      MetricType type = type(in.readByte());
      int flags = in.readByte();
      String help = (flags & FLAG_HAS_HELP) != 0 ? in.readString() : null;
      long time = in.readVarint();
      int nPoints = in.readCount(9, "point");
      List<MetricPoint> points = new ArrayList<>(nPoints);
      for (int j = 0; j < nPoints; j++) {
        Labels labels = in.readLabels();
        points.add(MetricPoint.of(labels, value(type, in)));
      }
      if (i > 0 && families.get(i - 1).name().compareTo(name) >= 0) {
        throw new DecodeException("families not sorted: " + families.get(i - 1).name() + ", " + name);
      }
      try {
        families.add(new PushedFamily(name, type, help, time, points));
      } catch (IllegalArgumentException e) {
        throw new DecodeException("family " + name + ": " + e.getMessage());
      }
    }
    return new PushGroup(new GroupingKey(key), families, pushTime, failureTime, ttlMs);
  }

  private static PointValue value(MetricType type, RecordInput in) throws DecodeException {
    try {
      return switch (type) {
        case HISTOGRAM -> {
          double count = in.readDouble();
          double sum = in.readDouble();
          int n = in.readCount(16, "bucket");
          List<PointValue.Bucket> buckets = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            buckets.add(new PointValue.Bucket(in.readDouble(), in.readDouble()));
          }
          yield new PointValue.Histogram(count, sum, buckets);
        }
        case SUMMARY -> {
          double count = in.readDouble();
          double sum = in.readDouble();
          int n = in.readCount(16, "quantile");
          List<PointValue.Quantile> quantiles = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            quantiles.add(new PointValue.Quantile(in.readDouble(), in.readDouble()));
          }
          yield new PointValue.Summary(count, sum, quantiles);
        }
        default -> new PointValue.Scalar(in.readDouble());
      };
    } catch (IllegalArgumentException e) {
      throw new DecodeException(e.getMessage());
    }
  }

  static void encodeDelete(GroupingKey key, boolean expired, RecordBuffer out) {
    out.writeByte(expired ? JournalDescriptor.REASON_EXPIRED : JournalDescriptor.REASON_DELETE);
    out.writeLabels(key.labels());
  }

  static JournalRecord.Delete decodeDelete(RecordInput in) throws DecodeException {
    int reason = in.readByte();
    if (reason != JournalDescriptor.REASON_DELETE && reason != JournalDescriptor.REASON_EXPIRED) {
      throw new DecodeException("unknown delete reason " + reason);
    }
    Labels key = in.readLabels();
    if (key.get(GroupingKey.JOB).isEmpty()) {
      throw new DecodeException("grouping key without job: " + key);
    }
    return new JournalRecord.Delete(new GroupingKey(key), reason == JournalDescriptor.REASON_EXPIRED);
  }

  static JournalRecord decode(int type, byte[] payload) throws DecodeException {
    RecordInput in = new RecordInput(payload);
    JournalRecord r = switch (type) {
      case JournalDescriptor.TYPE_GROUP -> new JournalRecord.Group(decodeGroup(in));
      case JournalDescriptor.TYPE_DELETE -> decodeDelete(in);
      case JournalDescriptor.TYPE_WIPE -> new JournalRecord.Wipe(in.readLabels());
      case JournalDescriptor.TYPE_SNAPSHOT_END -> new JournalRecord.SnapshotEnd(in.readUvarint());
      default -> throw new DecodeException("unknown record type " + type);
    };
    if (in.hasMore()) {
      throw new DecodeException("trailing bytes at " + in.position() + " of a type " + type + " record");
    }
    return r;
  }

  private static int typeCode(MetricType t) {
    return switch (t) {
      case COUNTER -> FAMILY_COUNTER;
      case GAUGE -> FAMILY_GAUGE;
      case HISTOGRAM -> FAMILY_HISTOGRAM;
      case SUMMARY -> FAMILY_SUMMARY;
      default -> FAMILY_UNTYPED;
    };
  }

  private static MetricType type(int code) throws DecodeException {
    return switch (code) {
      case FAMILY_COUNTER -> MetricType.COUNTER;
      case FAMILY_GAUGE -> MetricType.GAUGE;
      case FAMILY_UNTYPED -> MetricType.UNKNOWN;
      case FAMILY_HISTOGRAM -> MetricType.HISTOGRAM;
      case FAMILY_SUMMARY -> MetricType.SUMMARY;
      default -> throw new DecodeException("unknown family type " + code);
    };
  }
}
