package io.vigil.remote;

import static io.vigil.remote.WireFormat.LABEL_NAME;
import static io.vigil.remote.WireFormat.LABEL_VALUE;
import static io.vigil.remote.WireFormat.SAMPLE_TIMESTAMP;
import static io.vigil.remote.WireFormat.SAMPLE_VALUE;
import static io.vigil.remote.WireFormat.TIMESERIES_EXEMPLARS;
import static io.vigil.remote.WireFormat.TIMESERIES_HISTOGRAMS;
import static io.vigil.remote.WireFormat.TIMESERIES_LABELS;
import static io.vigil.remote.WireFormat.TIMESERIES_SAMPLES;
import static io.vigil.remote.WireFormat.WIRE_FIXED64;
import static io.vigil.remote.WireFormat.WIRE_LENGTH_DELIMITED;
import static io.vigil.remote.WireFormat.WIRE_VARINT;
import static io.vigil.remote.WireFormat.WRITE_REQUEST_METADATA;
import static io.vigil.remote.WireFormat.WRITE_REQUEST_TIMESERIES;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.util.Arrays;

/**
 * A pull parser over one decompressed remote write 1.0 {@code prometheus.WriteRequest} (field numbers
 * in {@link WireFormat}), built on protobuf-java's {@link CodedInputStream} without generated code.
 *
 * <p>{@link #nextSeries()} reads one whole TimeSeries; its labels are then available as byte ranges
 * of the input ({@link #nameOffset}, ...) and its samples in reused primitive arrays. These views are
 * valid until the next call to {@code nextSeries()} or {@link #reset}. Labels keep the order they
 * have on the wire (the receiver sorts and validates). Exemplars and native histograms are counted
 * and skipped, metadata entries are counted and skipped, unknown fields are skipped as protobuf
 * requires.
 *
 * <p>Not thread-safe; reusable across requests with {@link #reset}. Memory: the arrays grow to the
 * largest series seen, which the request size bounds.
 */
public final class WriteRequestParser {
  private CodedInputStream in;
  private byte[] buf;
  private int base;

  private int[] labelOffsets = new int[32]; // per label: name offset, name length, value offset, value length
  private int labelCount;
  private int labelsStart;
  private int labelsEnd;
  private boolean labelsContiguous;

  private long[] timestamps = new long[16];
  private long[] valueBits = new long[16];
  private int sampleCount;
  private int exemplarCount;
  private int histogramCount;
  private int metadataCount;
  private int seriesIndex = -1;

  /** Starts parsing {@code length} bytes of {@code buf} from {@code offset}. */
  public void reset(byte[] buf, int offset, int length) {
    this.buf = buf;
    this.base = offset;
    this.in = CodedInputStream.newInstance(buf, offset, length);
    this.metadataCount = 0;
    this.seriesIndex = -1;
    this.labelCount = 0;
    this.sampleCount = 0;
  }

  /**
   * Advances to the next TimeSeries.
   *
   * @return false at the end of the request
   * @throws InvalidProtocolBufferException if the bytes are not a valid WriteRequest; the message
   *     says which field and where
   */
  public boolean nextSeries() throws InvalidProtocolBufferException {
    try {
      while (!in.isAtEnd()) {
        int at = position();
        int tag = in.readTag();
        int field = WireFormat.field(tag);
        if (field == WRITE_REQUEST_TIMESERIES) {
          expectWireType(tag, WIRE_LENGTH_DELIMITED, "WriteRequest.timeseries", at);
          int limit = pushMessage("WriteRequest.timeseries", at);
          seriesIndex++;
          readSeries();
          in.popLimit(limit);
          return true;
        }
        if (field == WRITE_REQUEST_METADATA && WireFormat.wireType(tag) == WIRE_LENGTH_DELIMITED) {
          metadataCount++;
        }
        skip(tag, at);
      }
      labelCount = 0;
      sampleCount = 0;
      exemplarCount = 0;
      histogramCount = 0;
      return false;
    } catch (InvalidProtocolBufferException e) {
      // protobuf-java's own messages ("truncated", "invalid tag") say what but not where: add it.
      throw e.getMessage().startsWith("proto: ") ? e : malformed(e.getMessage(), position());
    } catch (IOException e) {
      // Reading from a byte array only fails with InvalidProtocolBufferException; keep the type.
      throw new InvalidProtocolBufferException(e.getMessage());
    }
  }

  private void readSeries() throws IOException {
    labelCount = 0;
    sampleCount = 0;
    exemplarCount = 0;
    histogramCount = 0;
    labelsContiguous = true;
    labelsStart = labelsEnd = -1;
    while (!in.isAtEnd()) {
      int at = position();
      int tag = in.readTag();
      switch (WireFormat.field(tag)) {
        case TIMESERIES_LABELS -> {
          expectWireType(tag, WIRE_LENGTH_DELIMITED, "TimeSeries.labels", at);
          if (labelCount == 0) {
            labelsStart = at;
          } else if (at != labelsEnd) {
            labelsContiguous = false;
          }
          int limit = pushMessage("TimeSeries.labels", at);
          readLabel();
          in.popLimit(limit);
          labelsEnd = position();
        }
        case TIMESERIES_SAMPLES -> {
          expectWireType(tag, WIRE_LENGTH_DELIMITED, "TimeSeries.samples", at);
          int limit = pushMessage("TimeSeries.samples", at);
          readSample();
          in.popLimit(limit);
        }
        case TIMESERIES_EXEMPLARS -> {
          exemplarCount++;
          skip(tag, at);
        }
        case TIMESERIES_HISTOGRAMS -> {
          histogramCount++;
          skip(tag, at);
        }
        default -> skip(tag, at);
      }
    }
  }

  private void readLabel() throws IOException {
    if ((labelCount + 1) * 4 > labelOffsets.length) {
      labelOffsets = Arrays.copyOf(labelOffsets, labelOffsets.length * 2);
    }
    int o = labelCount * 4;
    // proto3 omits empty strings, so absent fields mean "".
    labelOffsets[o] = labelOffsets[o + 1] = labelOffsets[o + 2] = labelOffsets[o + 3] = 0;
    while (!in.isAtEnd()) {
      int at = position();
      int tag = in.readTag();
      int field = WireFormat.field(tag);
      if (field == LABEL_NAME || field == LABEL_VALUE) {
        expectWireType(tag, WIRE_LENGTH_DELIMITED, field == LABEL_NAME ? "Label.name" : "Label.value", at);
        int len = in.readRawVarint32();
        if (len < 0) {
          throw malformed("negative length of " + (field == LABEL_NAME ? "Label.name" : "Label.value"), at);
        }
        int start = position();
        in.skipRawBytes(len); // throws "truncated" if the string runs past its message
        int slot = field == LABEL_NAME ? o : o + 2;
        labelOffsets[slot] = base + start;
        labelOffsets[slot + 1] = len;
      } else {
        skip(tag, at);
      }
    }
    labelCount++;
  }

  private void readSample() throws IOException {
    if (sampleCount == timestamps.length) {
      timestamps = Arrays.copyOf(timestamps, sampleCount * 2);
      valueBits = Arrays.copyOf(valueBits, sampleCount * 2);
    }
    long t = 0;
    long bits = 0; // +0.0: proto3 omits zero values
    while (!in.isAtEnd()) {
      int at = position();
      int tag = in.readTag();
      switch (WireFormat.field(tag)) {
        case SAMPLE_VALUE -> {
          expectWireType(tag, WIRE_FIXED64, "Sample.value", at);
          // Raw bits, never through a double conversion that could canonicalise NaN payloads:
          // the staleness marker must survive bit-exact.
          bits = in.readRawLittleEndian64();
        }
        case SAMPLE_TIMESTAMP -> {
          expectWireType(tag, WIRE_VARINT, "Sample.timestamp", at);
          t = in.readInt64();
        }
        default -> skip(tag, at);
      }
    }
    timestamps[sampleCount] = t;
    valueBits[sampleCount] = bits;
    sampleCount++;
  }

  private int pushMessage(String what, int at) throws IOException {
    int len = in.readRawVarint32();
    if (len < 0) {
      throw malformed("negative length of " + what, at);
    }
    try {
      return in.pushLimit(len);
    } catch (InvalidProtocolBufferException e) {
      throw malformed(what + " of " + len + " bytes runs past the end of its enclosing message", at);
    }
  }

  private void skip(int tag, int at) throws IOException {
    try {
      if (!in.skipField(tag)) {
        throw malformed("unexpected end-group tag", at);
      }
    } catch (InvalidProtocolBufferException e) {
      throw malformed("cannot skip field " + WireFormat.field(tag) + " (wire type " + WireFormat.wireType(tag) + "): "
          + e.getMessage(), at);
    }
  }

  private void expectWireType(int tag, int want, String what, int at) throws InvalidProtocolBufferException {
    if (WireFormat.wireType(tag) != want) {
      throw malformed(what + " has wire type " + WireFormat.wireType(tag) + ", want " + want, at);
    }
  }

  private InvalidProtocolBufferException malformed(String what, int at) {
    return new InvalidProtocolBufferException("proto: WriteRequest: " + what + " at byte " + at
        + (seriesIndex >= 0 ? " (timeseries " + seriesIndex + ")" : ""));
  }

  /** Offset of the next byte to read, relative to the start of the request. */
  private int position() {
    return in.getTotalBytesRead();
  }

  /** The input array the offsets below point into. */
  public byte[] buffer() {
    return buf;
  }

  /** Index of the current series in the request, from 0. */
  public int seriesIndex() {
    return seriesIndex;
  }

  public int labelCount() {
    return labelCount;
  }

  public int nameOffset(int i) {
    return labelOffsets[i * 4];
  }

  public int nameLength(int i) {
    return labelOffsets[i * 4 + 1];
  }

  public int valueOffset(int i) {
    return labelOffsets[i * 4 + 2];
  }

  public int valueLength(int i) {
    return labelOffsets[i * 4 + 3];
  }

  /**
   * Whether all Label fields of this series were adjacent on the wire (always so from Prometheus);
   * then {@link #labelsOffset()} and {@link #labelsLength()} span exactly their encoding, a cache key.
   */
  public boolean labelsContiguous() {
    return labelsContiguous && labelCount > 0;
  }

  public int labelsOffset() {
    return base + labelsStart;
  }

  public int labelsLength() {
    return labelsEnd - labelsStart;
  }

  public int sampleCount() {
    return sampleCount;
  }

  public long timestampMs(int i) {
    return timestamps[i];
  }

  /** The raw IEEE-754 bits of sample {@code i} (bit-exact, so StaleNaN stays StaleNaN). */
  public long valueBits(int i) {
    return valueBits[i];
  }

  public double value(int i) {
    return Double.longBitsToDouble(valueBits[i]);
  }

  public int exemplarCount() {
    return exemplarCount;
  }

  public int histogramCount() {
    return histogramCount;
  }

  /** MetricMetadata entries seen so far (all of them once {@link #nextSeries()} returned false). */
  public int metadataCount() {
    return metadataCount;
  }
}
