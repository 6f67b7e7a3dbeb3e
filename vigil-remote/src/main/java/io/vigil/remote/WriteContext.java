package io.vigil.remote;

import io.vigil.model.LabelNames;
import io.vigil.model.Labels;
import io.vigil.web.Tenant;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The reusable state of one request in flight: the decompression buffer, the parser, the string
 * table and a labels builder, plus the tallies of the current request. Pooled by
 * {@link RemoteWriteReceiver}; used by one thread at a time.
 */
final class WriteContext {
  /** Buffers above this are dropped after the request so one huge request does not pin memory. */
  private static final int RETAINED_BUFFER_BYTES = 8 << 20;
  /** How many distinct rejection messages a 400 response quotes. */
  private static final int MAX_MESSAGES = 3;

  final WriteRequestParser parser = new WriteRequestParser();
  private final StringTable strings = new StringTable(16_384);
  private final Labels.Builder builder = new Labels.Builder(16);
  private final RemoteWriteOptions options;
  private byte[] raw = new byte[64 << 10];

  // Tallies of the current request.
  final long[] rejectedByReason = new long[Rejection.values().length];
  final List<String> messages = new ArrayList<>(MAX_MESSAGES);
  long samplesReceived;
  long samplesWritten;
  long floatRejected;
  long histograms;
  long exemplars;
  int series;

  WriteContext(RemoteWriteOptions options) {
    this.options = options;
  }

  /** A buffer of at least {@code size} bytes for the decompressed request. */
  byte[] rawBuffer(int size) {
    if (raw.length < size) {
      long grown = Math.max(size, Math.min(2L * raw.length, options.maxDecompressedBytes()));
      raw = new byte[(int) grown];
    }
    return raw;
  }

  void startRequest() {
    Arrays.fill(rejectedByReason, 0);
    messages.clear();
    samplesReceived = samplesWritten = floatRejected = histograms = exemplars = 0;
    series = 0;
  }

  void endRequest() {
    if (raw.length > RETAINED_BUFFER_BYTES) {
      raw = new byte[64 << 10];
    }
    messages.clear();
  }

  /** Counts {@code n} float samples refused for {@code reason}; keeps the first few messages. */
  void reject(Rejection reason, long n, String message) {
    rejectedByReason[reason.ordinal()] += n;
    floatRejected += n;
    if (messages.size() < MAX_MESSAGES && !messages.contains(message)) {
      messages.add(message);
    }
  }

  /**
   * The validated labels of the parser's current series with the tenant label applied, or null
   * after counting the series' samples as rejected. Validation is Prometheus's for remote write:
   * a valid metric name is present, label names are legal and unique, values are UTF-8; plus the
   * label limits of the options.
   */
  Labels buildLabels(Tenant tenant) {
    WriteRequestParser p = parser;
    int n = p.labelCount();
    int samples = p.sampleCount();
    byte[] b = p.buffer();
    if (n == 0) {
      reject(Rejection.INVALID_LABELS, samples, "invalid labels: empty label set in timeseries " + p.seriesIndex());
      return null;
    }
    if (n > options.maxLabelsPerSeries()) {
      reject(Rejection.LABEL_LIMITS, samples, "series has " + n + " labels, more than the limit of "
          + options.maxLabelsPerSeries() + ": " + rawLabels());
      return null;
    }
    builder.reset();
    boolean hasName = false;
    boolean sorted = true;
    for (int i = 0; i < n; i++) {
      int nameLen = p.nameLength(i);
      int valueLen = p.valueLength(i);
      if (nameLen == 0) {
        reject(Rejection.INVALID_LABELS, samples, "invalid labels: empty label name in " + rawLabels());
        return null;
      }
      if (nameLen > options.maxLabelNameBytes() || valueLen > options.maxLabelValueBytes()) {
        reject(Rejection.LABEL_LIMITS, samples, "label name or value longer than the limit (" + options.maxLabelNameBytes()
            + " / " + options.maxLabelValueBytes() + " bytes) in " + rawLabels());
        return null;
      }
      String name = strings.get(b, p.nameOffset(i), nameLen);
      String value = strings.get(b, p.valueOffset(i), valueLen);
      if (name == null || value == null) {
        reject(Rejection.INVALID_LABELS, samples, "invalid labels: label name or value is not valid UTF-8 in " + rawLabels());
        return null;
      }
      if (name.equals(Labels.METRIC_NAME)) {
        if (!LabelNames.isValidMetricName(value)) {
          reject(Rejection.INVALID_LABELS, samples, "invalid metric name " + LabelNames.quote(value) + " in " + rawLabels());
          return null;
        }
        hasName = true;
      } else if (!LabelNames.isValidLabelName(name)) {
        reject(Rejection.INVALID_LABELS, samples, "invalid label name " + LabelNames.quote(name) + " in " + rawLabels());
        return null;
      }
      if (i > 0 && sorted && Arrays.compareUnsigned(b, p.nameOffset(i - 1), p.nameOffset(i - 1) + p.nameLength(i - 1),
          b, p.nameOffset(i), p.nameOffset(i) + nameLen) >= 0) {
        sorted = false;
      }
      builder.add(name, value);
    }
    if (!hasName) {
      reject(Rejection.INVALID_LABELS, samples, "invalid labels: no metric name (__name__) in " + rawLabels());
      return null;
    }
    // Senders must sort labels (remote write 1.0 spec); Prometheus sorts unsorted ones, and so does
    // the builder. Strictly ascending names cannot repeat; otherwise look for a repeat.
    if (!sorted) {
      String dup = duplicateName();
      if (dup != null) {
        reject(Rejection.INVALID_LABELS, samples, "invalid labels: duplicate label name " + LabelNames.quote(dup) + " in "
            + rawLabels());
        return null;
      }
    }
    if (tenant != null) {
      builder.set(tenant.label(), tenant.value());
    }
    return builder.build();
  }

  private String duplicateName() {
    WriteRequestParser p = parser;
    byte[] b = p.buffer();
    for (int i = 1; i < p.labelCount(); i++) {
      for (int j = 0; j < i; j++) {
        if (Arrays.equals(b, p.nameOffset(i), p.nameOffset(i) + p.nameLength(i), b, p.nameOffset(j),
            p.nameOffset(j) + p.nameLength(j))) {
          return new String(b, p.nameOffset(i), p.nameLength(i), StandardCharsets.UTF_8);
        }
      }
    }
    return null;
  }

  /** The current series' labels as sent, in Prometheus's text form; for error messages only. */
  String rawLabels() {
    WriteRequestParser p = parser;
    byte[] b = p.buffer();
    StringBuilder sb = new StringBuilder(64).append('{');
    for (int i = 0; i < p.labelCount(); i++) {
      if (sb.length() > 1024) {
        sb.append(", ...");
        break;
      }
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(new String(b, p.nameOffset(i), Math.min(p.nameLength(i), 256), StandardCharsets.UTF_8)).append('=');
      LabelNames.appendQuoted(sb, new String(b, p.valueOffset(i), Math.min(p.valueLength(i), 256), StandardCharsets.UTF_8));
    }
    return sb.append('}').toString();
  }
}
