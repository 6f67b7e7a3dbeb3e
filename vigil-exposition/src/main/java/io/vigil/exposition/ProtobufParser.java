package io.vigil.exposition;

import static io.vigil.exposition.MetricsProto.*;

import com.google.protobuf.CodedInputStream;
import io.vigil.model.Labels;
import io.vigil.model.MetricType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Varint-length-delimited {@code io.prometheus.client.MetricFamily} messages (see
 * {@link MetricsProto} for the fields used), as the Pushgateway accepts them and Prometheus scrapes
 * them, presented through the same entries as the text formats: for each message HELP (when the
 * field is present), TYPE, UNIT (when non-empty), then one SERIES per sample in the text-format
 * shape: {@code x}, or summary {@code x{quantile=..}}, {@code x_sum}, {@code x_count}, or histogram
 * {@code x_bucket{le=..}} (with a {@code +Inf} bucket equal to the count when the message has
 * none, as client_golang leaves it out), {@code x_sum}, {@code x_count}; gaugehistograms use
 * {@code _gsum}/{@code _gcount}. {@code le} and {@code quantile} values are written as Go does.
 *
 * <p>Each message is decoded in one pass into primitive arrays that are reused across messages and
 * inputs; label names and values stay offsets into the input until {@link #labels} asks for them.
 * {@link #series()} is a synthetic key: metric name, then for each label 0xFF, name, 0xFF, value
 * (0xFF never occurs in UTF-8, so the key is unambiguous).
 *
 * <p>Checked: lengths and wire format (truncated or overlong messages), a valid metric name, label
 * names valid and not repeated, label values valid UTF-8, an enum type known to Prometheus, and the
 * {@link ParserOptions} limits. As in generated code, a known field with an unexpected wire type is
 * skipped as unknown. Missing values read as the protobuf default (0); a timestamp is present when
 * the field is.
 */
public final class ProtobufParser extends AbstractParser {
  private static final byte SEP = (byte) 0xff;

  private CodedInputStream in;
  private int message; // 1-based index of the current MetricFamily message
  private int messageStart;

  // Current family (name in nameStart/nameEnd).
  private boolean hasHelp;
  private int helpStart;
  private int helpEnd;
  private int unitStart;
  private int unitEnd;
  private int protoType;

  // Metrics of the current family, struct-of-arrays.
  private int metricCount;
  private int[] mLabelFrom = new int[16];
  private int[] mLabelTo = new int[16];
  private boolean[] mHasTs = new boolean[16];
  private long[] mTs = new long[16];
  private double[] mValue = new double[16]; // scalar value, or sum
  private double[] mCount = new double[16];
  private int[] mPointFrom = new int[16];
  private int[] mPointTo = new int[16];
  private int[] mExemplar = new int[16]; // offset of the exemplar message, -1 if none
  private int[] mExemplarLen = new int[16];
  // Label offsets: nameStart, nameEnd, valueStart, valueEnd.
  private int[] labels = new int[64];
  private int labelCount;
  // Quantiles and buckets: bound (quantile or upper bound), value (or cumulative count), exemplar.
  private double[] pBound = new double[64];
  private double[] pValue = new double[64];
  private int[] pExemplar = new int[64];
  private int[] pExemplarLen = new int[64];
  private int pointCount;

  // Emission state.
  private int phase; // 0 = HELP next, 1 = TYPE, 2 = UNIT, 3 = series
  private int metric; // current metric
  private int step; // series within the metric
  private final ByteSlice textView = new ByteSlice();
  private final ByteSlice seriesView = new ByteSlice();
  private final ByteSlice nameView = new ByteSlice();
  // Current series.
  private String suffix;
  private String extraName;
  private final ByteSink extraValue = new ByteSink(32);
  private int exemplarAt;
  private int exemplarLen;
  private final ByteSink key = new ByteSink(256);

  public ProtobufParser(ParserOptions options) {
    super(options);
  }

  @Override
  public ExpositionFormat format() {
    return ExpositionFormat.PROMETHEUS_PROTOBUF;
  }

  @Override
  public ExpositionParser reset(byte[] buf, int offset, int length) {
    super.reset(buf, offset, length);
    this.in = CodedInputStream.newInstance(buf, offset, length);
    this.message = 0;
    this.phase = 3;
    this.metric = 0;
    this.metricCount = 0;
    this.step = 0;
    return this;
  }

  @Override
  public int line() {
    return message;
  }

  @Override
  Entry advance() throws ExpositionException {
    while (true) {
      switch (phase) {
        case 0 -> {
          phase = 1;
          if (hasHelp) {
            return Entry.HELP;
          }
        }
        case 1 -> {
          phase = 2;
          return Entry.TYPE;
        }
        case 2 -> {
          phase = 3;
          if (unitEnd > unitStart) {
            return Entry.UNIT;
          }
        }
        default -> {
          if (metric < metricCount) {
            if (nextSeries()) {
              return Entry.SERIES;
            }
            metric++;
            step = 0;
            continue;
          }
          if (begin + in.getTotalBytesRead() >= end) {
            return Entry.EOF;
          }
          readFamily();
          phase = 0;
          metric = 0;
          step = 0;
        }
      }
    }
  }

  // ---- decoding ----

  private ExpositionException error(String detail) {
    return new ExpositionException(0, 0, (long) messageStart - begin, "MetricFamily message " + message + ": " + detail);
  }

  private int position() {
    return begin + in.getTotalBytesRead();
  }

  private void readFamily() throws ExpositionException {
    message++;
    messageStart = position();
    nameStart = nameEnd = 0;
    hasHelp = false;
    unitStart = unitEnd = 0;
    protoType = TYPE_COUNTER; // the proto2 default of the enum
    metricCount = 0;
    labelCount = 0;
    pointCount = 0;
    try {
      int length = in.readRawVarint32();
      if (length < 0 || length > end - position()) {
        throw error("length " + (length & 0xffffffffL) + " exceeds the " + (end - position()) + " bytes left");
      }
      int limit = in.pushLimit(length);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (tag == FAMILY_NAME) {
          nameEnd = (nameStart = string()) + lastLength;
        } else if (tag == FAMILY_HELP) {
          helpEnd = (helpStart = string()) + lastLength;
          hasHelp = true;
        } else if (tag == FAMILY_TYPE) {
          protoType = in.readInt32();
        } else if (tag == FAMILY_UNIT) {
          unitEnd = (unitStart = string()) + lastLength;
        } else if (tag == FAMILY_METRIC) {
          int l = in.pushLimit(length());
          readMetric();
          in.popLimit(l);
        } else {
          in.skipField(tag);
        }
      }
      in.popLimit(limit);
    } catch (IOException e) {
      throw error("invalid protobuf: " + e.getMessage());
    }
    validateFamily();
  }

  private void validateFamily() throws ExpositionException {
    if (nameEnd == nameStart) {
      throw error("metric family without a name");
    }
    if (nameEnd - nameStart > options.maxNameBytes() || !isMetricName(nameStart, nameEnd)) {
      throw error("invalid metric name " + quoted(nameStart, nameEnd));
    }
    type = switch (protoType) {
      case TYPE_COUNTER -> MetricType.COUNTER;
      case TYPE_GAUGE -> MetricType.GAUGE;
      case TYPE_SUMMARY -> MetricType.SUMMARY;
      case TYPE_UNTYPED -> MetricType.UNKNOWN;
      case TYPE_HISTOGRAM -> MetricType.HISTOGRAM;
      case TYPE_GAUGE_HISTOGRAM -> MetricType.GAUGE_HISTOGRAM;
      default -> throw error("unknown metric type " + protoType + " for " + quoted(nameStart, nameEnd));
    };
    if (hasHelp) {
      checkUtf8(helpStart, helpEnd, "HELP text");
    }
    checkUtf8(unitStart, unitEnd, "unit");
    String extra = type == MetricType.SUMMARY ? "quantile"
        : type == MetricType.HISTOGRAM || type == MetricType.GAUGE_HISTOGRAM ? "le" : null;
    for (int m = 0; m < metricCount; m++) {
      for (int i = mLabelFrom[m]; i < mLabelTo[m]; i++) {
        int k = i << 2;
        int ns = labels[k];
        int ne = labels[k + 1];
        if (!isLabelName(ns, ne) || ne - ns > options.maxNameBytes()) {
          throw error("invalid label name " + quoted(ns, ne) + " on " + quoted(nameStart, nameEnd));
        }
        if (extra != null && isWord(ns, ne, extra)) {
          throw error("label name \"" + extra + "\" is reserved in " + type.text() + " family " + quoted(nameStart, nameEnd));
        }
        for (int j = mLabelFrom[m]; j < i; j++) {
          int s = labels[j << 2];
          if (Arrays.equals(buf, s, labels[(j << 2) + 1], buf, ns, ne)) {
            throw error("duplicate label name " + quoted(ns, ne) + " on " + quoted(nameStart, nameEnd));
          }
        }
        if (labels[k + 3] - labels[k + 2] > options.maxLabelValueBytes()) {
          throw error("value of label " + quoted(ns, ne) + " longer than " + options.maxLabelValueBytes()
              + " bytes (ParserOptions.maxLabelValueBytes)");
        }
        if (Utf8.firstInvalid(buf, labels[k + 2], labels[k + 3]) >= 0) { // the message only on error
          throw error("invalid UTF-8 in the value of label " + quoted(ns, ne));
        }
      }
    }
  }

  private int lastLength;

  /** Reads a length-delimited field's length, checking it fits. */
  private int length() throws IOException, ExpositionException {
    int len = in.readRawVarint32();
    if (len < 0 || len > in.getBytesUntilLimit()) {
      throw error("field length " + (len & 0xffffffffL) + " runs past the end of its message");
    }
    return len;
  }

  /** Skips a string field, returning its start; its length is in lastLength. */
  private int string() throws IOException, ExpositionException {
    int len = length();
    int start = position();
    in.skipRawBytes(len);
    lastLength = len;
    return start;
  }

  private void readMetric() throws IOException, ExpositionException {
    int m = metricCount;
    if (m == mLabelFrom.length) {
      growMetrics();
    }
    mLabelFrom[m] = labelCount;
    mHasTs[m] = false;
    mTs[m] = 0;
    mValue[m] = 0;
    mCount[m] = 0;
    mPointFrom[m] = pointCount;
    mExemplar[m] = -1;
    int valueTag = switch (protoType) {
      case TYPE_GAUGE -> METRIC_GAUGE;
      case TYPE_SUMMARY -> METRIC_SUMMARY;
      case TYPE_UNTYPED -> METRIC_UNTYPED;
      case TYPE_HISTOGRAM, TYPE_GAUGE_HISTOGRAM -> METRIC_HISTOGRAM;
      default -> METRIC_COUNTER;
    };
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == METRIC_LABEL) {
        int l = in.pushLimit(length());
        readLabel();
        in.popLimit(l);
      } else if (tag == METRIC_TIMESTAMP_MS) {
        mHasTs[m] = true;
        mTs[m] = in.readInt64();
      } else if (tag == valueTag) {
        int l = in.pushLimit(length());
        pointCount = mPointFrom[m]; // a repeated submessage replaces (proto merges; last wins is close enough)
        switch (protoType) {
          case TYPE_SUMMARY -> readSummary(m);
          case TYPE_HISTOGRAM, TYPE_GAUGE_HISTOGRAM -> readHistogram(m);
          default -> readScalar(m);
        }
        in.popLimit(l);
      } else {
        in.skipField(tag);
      }
    }
    mLabelTo[m] = labelCount;
    mPointTo[m] = pointCount;
    if (labelCount - mLabelFrom[m] > options.maxLabelsPerSeries()) {
      throw error("more than " + options.maxLabelsPerSeries() + " labels (ParserOptions.maxLabelsPerSeries)");
    }
    metricCount++;
  }

  private void readLabel() throws IOException, ExpositionException {
    int k = labelCount << 2;
    if (k + 4 > labels.length) {
      labels = Arrays.copyOf(labels, labels.length * 2);
    }
    int ns = 0;
    int ne = 0;
    int vs = 0;
    int ve = 0;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == LABEL_NAME) {
        ne = (ns = string()) + lastLength;
      } else if (tag == LABEL_VALUE) {
        ve = (vs = string()) + lastLength;
      } else {
        in.skipField(tag);
      }
    }
    labels[k] = ns;
    labels[k + 1] = ne;
    labels[k + 2] = vs;
    labels[k + 3] = ve;
    labelCount++;
  }

  private void readScalar(int m) throws IOException, ExpositionException {
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == SCALAR_VALUE) {
        mValue[m] = in.readDouble();
      } else if (tag == COUNTER_EXEMPLAR && protoType == TYPE_COUNTER) {
        mExemplarLen[m] = length();
        mExemplar[m] = position();
        checkExemplar(mExemplar[m], mExemplarLen[m]);
        in.skipRawBytes(mExemplarLen[m]);
      } else {
        in.skipField(tag);
      }
    }
  }

  private void readSummary(int m) throws IOException, ExpositionException {
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == SUMMARY_COUNT) {
        mCount[m] = unsignedToDouble(in.readUInt64());
      } else if (tag == SUMMARY_SUM) {
        mValue[m] = in.readDouble();
      } else if (tag == SUMMARY_QUANTILE) {
        int l = in.pushLimit(length());
        int p = newPoint();
        for (int t = in.readTag(); t != 0; t = in.readTag()) {
          if (t == QUANTILE_QUANTILE) {
            pBound[p] = in.readDouble();
          } else if (t == QUANTILE_VALUE) {
            pValue[p] = in.readDouble();
          } else {
            in.skipField(t);
          }
        }
        in.popLimit(l);
      } else {
        in.skipField(tag);
      }
    }
  }

  private void readHistogram(int m) throws IOException, ExpositionException {
    boolean floatCount = false;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == HISTOGRAM_COUNT) {
        double c = unsignedToDouble(in.readUInt64());
        if (!floatCount) {
          mCount[m] = c;
        }
      } else if (tag == HISTOGRAM_COUNT_FLOAT) {
        mCount[m] = in.readDouble();
        floatCount = true;
      } else if (tag == HISTOGRAM_SUM) {
        mValue[m] = in.readDouble();
      } else if (tag == HISTOGRAM_BUCKET) {
        int l = in.pushLimit(length());
        readBucket(newPoint());
        in.popLimit(l);
      } else {
        in.skipField(tag); // native histogram fields, created_timestamp
      }
    }
  }

  private void readBucket(int p) throws IOException, ExpositionException {
    boolean floatCount = false;
    for (int t = in.readTag(); t != 0; t = in.readTag()) {
      if (t == BUCKET_COUNT) {
        double c = unsignedToDouble(in.readUInt64());
        if (!floatCount) {
          pValue[p] = c;
        }
      } else if (t == BUCKET_COUNT_FLOAT) {
        pValue[p] = in.readDouble();
        floatCount = true;
      } else if (t == BUCKET_UPPER_BOUND) {
        pBound[p] = in.readDouble();
      } else if (t == BUCKET_EXEMPLAR) {
        pExemplarLen[p] = length();
        pExemplar[p] = position();
        checkExemplar(pExemplar[p], pExemplarLen[p]);
        in.skipRawBytes(pExemplarLen[p]);
      } else {
        in.skipField(t);
      }
    }
    if (Double.isNaN(pBound[p])) {
      throw error("bucket upper bound NaN in " + quoted(nameStart, nameEnd));
    }
  }

  private int newPoint() {
    int p = pointCount++;
    if (p == pBound.length) {
      int n = p * 2;
      pBound = Arrays.copyOf(pBound, n);
      pValue = Arrays.copyOf(pValue, n);
      pExemplar = Arrays.copyOf(pExemplar, n);
      pExemplarLen = Arrays.copyOf(pExemplarLen, n);
    }
    pBound[p] = 0;
    pValue[p] = 0;
    pExemplar[p] = -1;
    return p;
  }

  private void growMetrics() {
    int n = mLabelFrom.length * 2;
    mLabelFrom = Arrays.copyOf(mLabelFrom, n);
    mLabelTo = Arrays.copyOf(mLabelTo, n);
    mHasTs = Arrays.copyOf(mHasTs, n);
    mTs = Arrays.copyOf(mTs, n);
    mValue = Arrays.copyOf(mValue, n);
    mCount = Arrays.copyOf(mCount, n);
    mPointFrom = Arrays.copyOf(mPointFrom, n);
    mPointTo = Arrays.copyOf(mPointTo, n);
    mExemplar = Arrays.copyOf(mExemplar, n);
    mExemplarLen = Arrays.copyOf(mExemplarLen, n);
  }

  /** Validates an exemplar message now, so that {@link #exemplar()} can decode it without errors later. */
  private void checkExemplar(int at, int len) throws ExpositionException {
    decodeExemplar(at, len, null);
  }

  /** Decodes (and with a null builder only checks) the exemplar message at buf[at, at+len). */
  private Exemplar decodeExemplar(int at, int len, Labels.Builder b) throws ExpositionException {
    CodedInputStream ex = CodedInputStream.newInstance(buf, at, len);
    double v = 0;
    boolean hasTs = false;
    long seconds = 0;
    int nanos = 0;
    try {
      for (int tag = ex.readTag(); tag != 0; tag = ex.readTag()) {
        if (tag == EXEMPLAR_LABEL) {
          int l = ex.pushLimit(ex.readRawVarint32());
          String name = null;
          String value = "";
          for (int t = ex.readTag(); t != 0; t = ex.readTag()) {
            if (t == LABEL_NAME || t == LABEL_VALUE) {
              int n = ex.readRawVarint32();
              int s = at + ex.getTotalBytesRead();
              ex.skipRawBytes(n);
              if (t == LABEL_NAME) {
                if (!isLabelName(s, s + n)) {
                  throw error("invalid exemplar label name " + quoted(s, s + n));
                }
                name = b == null ? "" : new String(buf, s, n, StandardCharsets.ISO_8859_1);
              } else {
                checkUtf8(s, s + n, "an exemplar label value");
                value = b == null ? "" : new String(buf, s, n, StandardCharsets.UTF_8);
              }
            } else {
              ex.skipField(t);
            }
          }
          ex.popLimit(l);
          if (name == null) {
            throw error("exemplar label without a name");
          }
          if (b != null) {
            b.add(name, value);
          }
        } else if (tag == EXEMPLAR_VALUE) {
          v = ex.readDouble();
        } else if (tag == EXEMPLAR_TIMESTAMP) {
          int l = ex.pushLimit(ex.readRawVarint32());
          hasTs = true;
          for (int t = ex.readTag(); t != 0; t = ex.readTag()) {
            if (t == TIMESTAMP_SECONDS) {
              seconds = ex.readInt64();
            } else if (t == TIMESTAMP_NANOS) {
              nanos = ex.readInt32();
            } else {
              ex.skipField(t);
            }
          }
          ex.popLimit(l);
        } else {
          ex.skipField(tag);
        }
      }
    } catch (IOException e) {
      throw error("invalid exemplar: " + e.getMessage());
    }
    if (hasTs && Math.abs(seconds) > 9_000_000_000_000_000L) {
      throw error("exemplar timestamp of " + seconds + " seconds is out of range");
    }
    if (b == null) {
      return null;
    }
    long ms = hasTs ? seconds * 1000 + Math.floorDiv(nanos, 1_000_000) : 0;
    return new Exemplar(b.build(), v, hasTs, ms);
  }

  // ---- emission ----

  /** Sets up series number {@code step} of the current metric; false when the metric has no more. */
  private boolean nextSeries() {
    int m = metric;
    int s = step++;
    int points = mPointTo[m] - mPointFrom[m];
    exemplarAt = -1;
    extraName = null;
    suffix = null;
    switch (type) {
      case SUMMARY -> {
        if (s < points) {
          int p = mPointFrom[m] + s;
          extra("quantile", pBound[p]);
          value = pValue[p];
        } else if (s == points) {
          suffix = "_sum";
          value = mValue[m];
        } else if (s == points + 1) {
          suffix = "_count";
          value = mCount[m];
        } else {
          return false;
        }
      }
      case HISTOGRAM, GAUGE_HISTOGRAM -> {
        boolean gauge = type == MetricType.GAUGE_HISTOGRAM;
        boolean hasInf = points > 0 && pBound[mPointTo[m] - 1] == Double.POSITIVE_INFINITY;
        int buckets = hasInf ? points : points + 1;
        if (s < buckets) {
          suffix = "_bucket";
          if (s < points) {
            int p = mPointFrom[m] + s;
            extra("le", pBound[p]);
            value = pValue[p];
            exemplarAt = pExemplar[p];
            exemplarLen = pExemplarLen[p];
          } else {
            extra("le", Double.POSITIVE_INFINITY);
            value = mCount[m];
          }
        } else if (s == buckets) {
          suffix = gauge ? "_gsum" : "_sum";
          value = mValue[m];
        } else if (s == buckets + 1) {
          suffix = gauge ? "_gcount" : "_count";
          value = mCount[m];
        } else {
          return false;
        }
      }
      default -> {
        if (s > 0) {
          return false;
        }
        value = mValue[m];
        exemplarAt = mExemplar[m];
        exemplarLen = mExemplarLen[m];
      }
    }
    hasTimestamp = mHasTs[m];
    timestampMs = mTs[m];
    buildKey(m);
    return true;
  }

  private void extra(String name, double v) {
    extraName = name;
    GoFloat.append(extraValue.reset(), v);
  }

  private void buildKey(int m) {
    ByteSink k = key.reset();
    k.write(buf, nameStart, nameEnd - nameStart);
    if (suffix != null) {
      k.writeAscii(suffix);
    }
    int nameLength = k.size();
    for (int i = mLabelFrom[m]; i < mLabelTo[m]; i++) {
      int x = i << 2;
      k.write(SEP).write(buf, labels[x], labels[x + 1] - labels[x]);
      k.write(SEP).write(buf, labels[x + 2], labels[x + 3] - labels[x + 2]);
    }
    if (extraName != null) {
      k.write(SEP).writeAscii(extraName).write(SEP).write(extraValue.array(), 0, extraValue.size());
    }
    seriesView.set(k.array(), 0, k.size());
    nameView.set(k.array(), 0, nameLength);
  }

  // ---- accessors ----

  @Override
  public String help() {
    expect(Entry.HELP);
    return new String(buf, helpStart, helpEnd - helpStart, StandardCharsets.UTF_8);
  }

  @Override
  public String unit() {
    expect(Entry.UNIT);
    return new String(buf, unitStart, unitEnd - unitStart, StandardCharsets.UTF_8);
  }

  @Override
  public ByteSlice text() {
    switch (entry) {
      case HELP -> textView.set(buf, helpStart, helpEnd - helpStart);
      case UNIT -> textView.set(buf, unitStart, unitEnd - unitStart);
      case TYPE -> {
        byte[] word = type.text().getBytes(StandardCharsets.US_ASCII);
        textView.set(word, 0, word.length);
      }
      case null, default -> throw new IllegalStateException("current entry " + entry + " has no text");
    }
    return textView;
  }

  @Override
  public ByteSlice series() {
    expect(Entry.SERIES);
    return seriesView;
  }

  @Override
  public ByteSlice metricName() {
    expect(Entry.SERIES);
    return nameView;
  }

  @Override
  public void labels(Labels.Builder builder) {
    expect(Entry.SERIES);
    builder.reset();
    builder.add(Labels.METRIC_NAME, nameView.toString());
    int m = metric;
    for (int i = mLabelFrom[m]; i < mLabelTo[m]; i++) {
      int x = i << 2;
      builder.add(new String(buf, labels[x], labels[x + 1] - labels[x], StandardCharsets.ISO_8859_1),
          new String(buf, labels[x + 2], labels[x + 3] - labels[x + 2], StandardCharsets.UTF_8));
    }
    if (extraName != null) {
      builder.add(extraName, extraValue.toString());
    }
  }

  @Override
  public boolean hasExemplar() {
    expect(Entry.SERIES);
    return exemplarAt >= 0;
  }

  @Override
  public Exemplar exemplar() {
    expect(Entry.SERIES);
    if (exemplarAt < 0) {
      return null;
    }
    try {
      return decodeExemplar(exemplarAt, exemplarLen, new Labels.Builder());
    } catch (ExpositionException e) {
      throw new IllegalStateException("exemplar was validated when its message was read", e);
    }
  }

  // ---- checks ----

  private boolean isMetricName(int from, int to) {
    for (int i = from; i < to; i++) {
      int k = TextFormatParser.CLASS[buf[i] & 0xff];
      if ((k & (i == from ? TextFormatParser.METRIC_START : TextFormatParser.METRIC_CHAR)) == 0) {
        return false;
      }
    }
    return to > from;
  }

  private boolean isLabelName(int from, int to) {
    for (int i = from; i < to; i++) {
      int k = TextFormatParser.CLASS[buf[i] & 0xff];
      if ((k & (i == from ? TextFormatParser.LABEL_START : TextFormatParser.LABEL_CHAR)) == 0) {
        return false;
      }
    }
    return to > from;
  }

  private void checkUtf8(int from, int to, String what) throws ExpositionException {
    if (Utf8.firstInvalid(buf, from, to) >= 0) {
      throw error("invalid UTF-8 in " + what);
    }
  }

  private String quoted(int from, int to) {
    return io.vigil.model.LabelNames.quote(new String(buf, from, Math.min(to - from, 64), StandardCharsets.UTF_8));
  }
}
