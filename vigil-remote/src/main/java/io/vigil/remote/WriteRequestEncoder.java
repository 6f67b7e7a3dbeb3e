package io.vigil.remote;

import static io.vigil.remote.WireFormat.LABEL_NAME;
import static io.vigil.remote.WireFormat.LABEL_VALUE;
import static io.vigil.remote.WireFormat.METADATA_FAMILY_NAME;
import static io.vigil.remote.WireFormat.METADATA_HELP;
import static io.vigil.remote.WireFormat.METADATA_TYPE;
import static io.vigil.remote.WireFormat.METADATA_UNIT;
import static io.vigil.remote.WireFormat.SAMPLE_TIMESTAMP;
import static io.vigil.remote.WireFormat.SAMPLE_VALUE;
import static io.vigil.remote.WireFormat.TIMESERIES_LABELS;
import static io.vigil.remote.WireFormat.TIMESERIES_SAMPLES;
import static io.vigil.remote.WireFormat.WIRE_LENGTH_DELIMITED;
import static io.vigil.remote.WireFormat.WRITE_REQUEST_METADATA;
import static io.vigil.remote.WireFormat.WRITE_REQUEST_TIMESERIES;

import com.google.protobuf.CodedOutputStream;
import io.airlift.compress.v3.snappy.SnappyJavaCompressor;
import io.vigil.model.Labels;
import io.vigil.model.MetricType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Builds one remote write 1.0 {@code prometheus.WriteRequest} (field numbers in {@link WireFormat})
 * and compresses it with snappy, the way Prometheus's sender does: series are appended one at a
 * time into a reused byte array with protobuf-java's {@link CodedOutputStream}; {@link #compress()}
 * produces the request body. Labels are written in the order given (a {@link Labels} is sorted, as
 * the spec requires; the raw overloads let tests send anything).
 *
 * <p>Allocation: none per series or sample once the buffers have grown to the batch size; one small
 * encoder object per {@link #reset()}. Not thread-safe: one encoder per sending thread, reused batch
 * after batch.
 */
public final class WriteRequestEncoder {
  private byte[] buf = new byte[64 << 10];
  private int base; // absolute offset in buf where the current CodedOutputStream starts
  private CodedOutputStream out = CodedOutputStream.newInstance(buf);
  private byte[] compressed = new byte[0];
  private byte[] scratch = new byte[256];
  private int compressedLength = -1;
  private final SnappyJavaCompressor compressor = SnappyBlock.compressor();
  private int seriesCount;
  private int sampleCount;

  /** Starts a new, empty request. */
  public WriteRequestEncoder reset() {
    base = 0;
    out = CodedOutputStream.newInstance(buf);
    compressedLength = -1;
    seriesCount = 0;
    sampleCount = 0;
    return this;
  }

  /** Adds a series with one sample. */
  public WriteRequestEncoder addSeries(Labels labels, long timestampMs, double value) {
    int labelsSize = labelsSize(labels);
    int samplesSize = sampleFieldSize(timestampMs, Double.doubleToRawLongBits(value));
    startSeries(labelsSize + samplesSize);
    writeLabels(labels);
    writeSample(timestampMs, Double.doubleToRawLongBits(value));
    sampleCount++;
    return this;
  }

  /** Adds a series with {@code count} samples from the arrays, starting at {@code from}. */
  public WriteRequestEncoder addSeries(Labels labels, long[] timestampsMs, double[] values, int from, int count) {
    int size = labelsSize(labels);
    for (int i = from; i < from + count; i++) {
      size += sampleFieldSize(timestampsMs[i], Double.doubleToRawLongBits(values[i]));
    }
    startSeries(size);
    writeLabels(labels);
    for (int i = from; i < from + count; i++) {
      writeSample(timestampsMs[i], Double.doubleToRawLongBits(values[i]));
    }
    sampleCount += count;
    return this;
  }

  /**
   * Adds a series whose labels are written exactly as given (name, value, name, value, ...): unsorted,
   * repeated or empty names included. For testing receivers.
   */
  public WriteRequestEncoder addRawSeries(String[] namesAndValues, long[] timestampsMs, double[] values) {
    int size = 0;
    for (int i = 0; i < namesAndValues.length; i += 2) {
      size += labelFieldSize(namesAndValues[i], namesAndValues[i + 1]);
    }
    for (int i = 0; i < timestampsMs.length; i++) {
      size += sampleFieldSize(timestampsMs[i], Double.doubleToRawLongBits(values[i]));
    }
    startSeries(size);
    try {
      for (int i = 0; i < namesAndValues.length; i += 2) {
        writeLabel(namesAndValues[i], namesAndValues[i + 1]);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (int i = 0; i < timestampsMs.length; i++) {
      writeSample(timestampsMs[i], Double.doubleToRawLongBits(values[i]));
    }
    sampleCount += timestampsMs.length;
    return this;
  }

  /** Adds a MetricMetadata entry (Prometheus sends these in their own requests). */
  public WriteRequestEncoder addMetadata(MetricType type, String familyName, String help, String unit) {
    int typeValue = switch (type) {
      case COUNTER -> 1;
      case GAUGE -> 2;
      case HISTOGRAM -> 3;
      case GAUGE_HISTOGRAM -> 4;
      case SUMMARY -> 5;
      case INFO -> 6;
      case STATESET -> 7;
      case UNKNOWN -> 0;
    };
    int size = (typeValue == 0 ? 0 : CodedOutputStream.computeEnumSize(METADATA_TYPE, typeValue))
        + stringFieldSize(METADATA_FAMILY_NAME, familyName) + stringFieldSize(METADATA_HELP, help)
        + stringFieldSize(METADATA_UNIT, unit);
    ensure(size + 16);
    try {
      out.writeTag(WRITE_REQUEST_METADATA, WIRE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(size);
      if (typeValue != 0) {
        out.writeEnum(METADATA_TYPE, typeValue);
      }
      writeString(METADATA_FAMILY_NAME, familyName);
      writeString(METADATA_HELP, help);
      writeString(METADATA_UNIT, unit);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    compressedLength = -1;
    return this;
  }

  /**
   * Appends an already-encoded field of WriteRequest.timeseries: {@code timeSeriesMessage} is one
   * complete TimeSeries message body. For tests that need fields this encoder does not produce
   * (exemplars, native histograms, malformed content).
   */
  public WriteRequestEncoder addEncodedSeries(byte[] timeSeriesMessage) {
    startSeries(timeSeriesMessage.length);
    try {
      out.writeRawBytes(timeSeriesMessage);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** Series added since {@link #reset()}. */
  public int seriesCount() {
    return seriesCount;
  }

  /** Samples added since {@link #reset()}. */
  public int sampleCount() {
    return sampleCount;
  }

  /** Size of the uncompressed protobuf so far. */
  public int size() {
    return base + out.getTotalBytesWritten();
  }

  /** A copy of the uncompressed protobuf (for tests and tools; the hot path uses {@link #compress()}). */
  public byte[] uncompressed() {
    return Arrays.copyOf(buf, size());
  }

  /**
   * Compresses the request (once; later calls return the same length until the request changes).
   *
   * @return the length of the snappy body in {@link #compressedBuffer()}
   */
  public int compress() {
    if (compressedLength >= 0) {
      return compressedLength;
    }
    int n = size();
    int max = compressor.maxCompressedLength(n);
    if (compressed.length < max) {
      compressed = new byte[Math.max(max, compressed.length * 2)];
    }
    compressedLength = compressor.compress(buf, 0, n, compressed, 0, compressed.length);
    return compressedLength;
  }

  /** The snappy body, of the length {@link #compress()} returned; owned by the encoder. */
  public byte[] compressedBuffer() {
    return compressed;
  }

  /** A copy of the snappy body, for callers that keep it. */
  public byte[] compressedCopy() {
    int n = compress(); // first: it may replace the array
    return Arrays.copyOf(compressed, n);
  }

  private void startSeries(int seriesSize) {
    ensure(seriesSize + 16);
    try {
      out.writeTag(WRITE_REQUEST_TIMESERIES, WIRE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(seriesSize);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    seriesCount++;
    compressedLength = -1;
  }

  private void ensure(int needed) {
    if (out.spaceLeft() >= needed) {
      return;
    }
    int pos = size();
    buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + needed));
    out = CodedOutputStream.newInstance(buf, pos, buf.length - pos);
    base = pos;
  }

  private static int labelsSize(Labels labels) {
    int size = 0;
    for (int i = 0; i < labels.size(); i++) {
      size += labelFieldSize(labels.name(i), labels.value(i));
    }
    return size;
  }

  private static int labelFieldSize(String name, String value) {
    int body = stringFieldSize(LABEL_NAME, name) + stringFieldSize(LABEL_VALUE, value);
    return 1 + CodedOutputStream.computeUInt32SizeNoTag(body) + body;
  }

  private static int stringFieldSize(int field, String s) {
    // proto3 leaves empty strings out, as Prometheus's (gogo) marshaller does
    if (s.isEmpty()) {
      return 0;
    }
    return isAscii(s) ? 1 + CodedOutputStream.computeUInt32SizeNoTag(s.length()) + s.length()
        : CodedOutputStream.computeStringSize(field, s);
  }

  private static boolean isAscii(String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  private static int sampleFieldSize(long t, long valueBits) {
    int body = sampleBodySize(t, valueBits);
    return 1 + CodedOutputStream.computeUInt32SizeNoTag(body) + body;
  }

  private static int sampleBodySize(long t, long valueBits) {
    // Zero values are left out as proto3 does; -0.0 is kept (its bits are not zero).
    return (valueBits == 0 ? 0 : 9) + (t == 0 ? 0 : 1 + CodedOutputStream.computeInt64SizeNoTag(t));
  }

  private void writeLabels(Labels labels) {
    try {
      for (int i = 0; i < labels.size(); i++) {
        writeLabel(labels.name(i), labels.value(i));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void writeLabel(String name, String value) throws IOException {
    out.writeTag(TIMESERIES_LABELS, WIRE_LENGTH_DELIMITED);
    out.writeUInt32NoTag(stringFieldSize(LABEL_NAME, name) + stringFieldSize(LABEL_VALUE, value));
    writeString(LABEL_NAME, name);
    writeString(LABEL_VALUE, value);
  }

  @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): see below
  private void writeString(int field, String s) throws IOException {
    int n = s.length();
    if (n == 0) {
      return;
    }
    if (!isAscii(s)) {
      out.writeString(field, s);
      return;
    }
    // CodedOutputStream.writeString allocates a byte[] per string on this JDK (about 48 bytes per
    // label); for ASCII, which label names and nearly all values are, copying the chars' low bytes
    // into a scratch array is exact and allocation-free.
    if (scratch.length < n) {
      scratch = new byte[Math.max(n, scratch.length * 2)];
    }
    s.getBytes(0, n, scratch, 0);
    out.writeTag(field, WIRE_LENGTH_DELIMITED);
    out.writeUInt32NoTag(n);
    out.writeRawBytes(scratch, 0, n);
  }

  private void writeSample(long t, long valueBits) {
    try {
      out.writeTag(TIMESERIES_SAMPLES, WIRE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(sampleBodySize(t, valueBits));
      if (valueBits != 0) {
        out.writeFixed64(SAMPLE_VALUE, valueBits); // raw bits: StaleNaN goes out bit-exact
      }
      if (t != 0) {
        out.writeInt64(SAMPLE_TIMESTAMP, t);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
