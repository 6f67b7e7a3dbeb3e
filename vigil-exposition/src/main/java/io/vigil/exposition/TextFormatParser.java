package io.vigil.exposition;

import io.vigil.model.Labels;
import io.vigil.model.MetricType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What the two text formats share: the input window, the current entry's offsets, label-block and
 * value scanning, unescaping and error positions. Subclasses implement {@link #advance()}, the
 * per-format line grammar.
 *
 * <p>Nothing is copied while scanning: an entry is a set of offsets into the input; Strings appear
 * only in {@link #labels}, {@link #help()}, {@link #unit()} and {@link #exemplar()}.
 */
abstract sealed class TextFormatParser extends AbstractParser permits PromTextParser, OpenMetricsParser {
  // Byte classes of Prometheus's lexers: M = [a-zA-Z_:], L = [a-zA-Z_], D = [0-9].
  static final byte METRIC_START = 1;
  static final byte METRIC_CHAR = 2;
  static final byte LABEL_START = 4;
  static final byte LABEL_CHAR = 8;
  static final byte[] CLASS = new byte[256];

  static {
    for (int c = 0; c < 256; c++) {
      boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
      boolean digit = c >= '0' && c <= '9';
      int k = 0;
      if (letter || c == ':') {
        k |= METRIC_START | METRIC_CHAR;
      }
      if (digit) {
        k |= METRIC_CHAR | LABEL_CHAR;
      }
      if (letter) {
        k |= LABEL_START | LABEL_CHAR;
      }
      CLASS[c] = (byte) k;
    }
  }

  // Per-label flags.
  static final byte ESCAPED = 1;
  static final byte NON_ASCII = 2;

  private static final byte[] NAME_LABEL = Labels.METRIC_NAME.getBytes(StandardCharsets.US_ASCII);

  final boolean lenientSpace; // 0.0.4 allows blanks between tokens; OpenMetrics wants exactly one space

  int pos;
  /** Line number of the line starting at pos. */
  int line;

  int entryLine;
  int lineStart;
  int textStart;
  int textEnd;
  int seriesEnd;

  /** nameStart, nameEnd, valueStart, valueEnd per label. */
  int[] labelPos = new int[64];
  byte[] labelFlags = new byte[16];
  int labelCount;

  boolean hasExemplar;
  int[] exemplarPos = new int[16];
  byte[] exemplarFlags = new byte[4];
  int exemplarCount;
  double exemplarValue;
  boolean exemplarHasTimestamp;
  long exemplarTimestampMs;

  private final ByteSlice seriesView = new ByteSlice();
  private final ByteSlice nameView = new ByteSlice();
  private final ByteSlice textView = new ByteSlice();
  private byte[] scratch = new byte[128];

  TextFormatParser(ParserOptions options, boolean lenientSpace) {
    super(options);
    this.lenientSpace = lenientSpace;
  }

  @Override
  public ExpositionParser reset(byte[] buf, int offset, int length) {
    super.reset(buf, offset, length);
    this.pos = offset;
    this.line = 1;
    this.labelCount = 0;
    this.hasExemplar = false;
    resetFormatState();
    return this;
  }

  void resetFormatState() {}

  /** Clears what one entry may leave behind, then reads the next one starting at {@link #pos}. */
  @Override
  final Entry advance() throws ExpositionException {
    hasExemplar = false;
    labelCount = 0;
    return advanceLine();
  }

  /** Reads the entry starting at {@link #pos}; leaves pos at the start of the following line. */
  abstract Entry advanceLine() throws ExpositionException;

  @Override
  public int line() {
    return entryLine;
  }

  // ---- accessors ----

  @Override
  public String help() {
    expect(Entry.HELP);
    return unescape(textStart, textEnd, helpUnescapesQuote());
  }

  /** OpenMetrics HELP also escapes '"'; 0.0.4 HELP does not. */
  abstract boolean helpUnescapesQuote();

  @Override
  public String unit() {
    expect(Entry.UNIT);
    return new String(buf, textStart, textEnd - textStart, StandardCharsets.UTF_8);
  }

  @Override
  public ByteSlice text() {
    if (entry == Entry.SERIES || entry == Entry.EOF || entry == null) {
      throw new IllegalStateException("current entry " + entry + " has no text");
    }
    textView.set(buf, textStart, textEnd - textStart);
    return textView;
  }

  @Override
  public ByteSlice series() {
    expect(Entry.SERIES);
    seriesView.set(buf, nameStart, seriesEnd - nameStart);
    return seriesView;
  }

  @Override
  public ByteSlice metricName() {
    expect(Entry.SERIES);
    nameView.set(buf, nameStart, nameEnd - nameStart);
    return nameView;
  }

  @Override
  public void labels(Labels.Builder builder) {
    expect(Entry.SERIES);
    builder.reset();
    builder.add(Labels.METRIC_NAME, ascii(nameStart, nameEnd));
    addLabels(builder, labelPos, labelFlags, labelCount);
  }

  private void addLabels(Labels.Builder builder, int[] pos, byte[] flags, int count) {
    for (int i = 0; i < count; i++) {
      int k = i << 2;
      builder.add(ascii(pos[k], pos[k + 1]), labelValue(pos[k + 2], pos[k + 3], flags[i]));
    }
  }

  @Override
  public boolean hasExemplar() {
    expect(Entry.SERIES);
    return hasExemplar;
  }

  @Override
  public Exemplar exemplar() {
    expect(Entry.SERIES);
    if (!hasExemplar) {
      return null;
    }
    Labels.Builder b = new Labels.Builder(exemplarCount);
    addLabels(b, exemplarPos, exemplarFlags, exemplarCount);
    return new Exemplar(b.build(), exemplarValue, exemplarHasTimestamp, exemplarTimestampMs);
  }

  // ---- strings ----

  /** Names are ASCII by grammar: Latin-1 decoding is a plain copy into a compact String. */
  final String ascii(int from, int to) {
    return new String(buf, from, to - from, StandardCharsets.ISO_8859_1);
  }

  private String labelValue(int from, int to, byte flags) {
    if ((flags & ESCAPED) != 0) {
      return unescape(from, to, true);
    }
    return new String(buf, from, to - from,
        (flags & NON_ASCII) != 0 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
  }

  /**
   * Resolves {@code \\}, {@code \n} and (if {@code quote}) {@code \"}; any other backslash is kept
   * as written, as Prometheus does (strict mode has rejected those already).
   */
  private String unescape(int from, int to, boolean quote) {
    if (scratch.length < to - from) {
      scratch = new byte[Math.max(to - from, scratch.length * 2)];
    }
    byte[] out = scratch;
    int n = 0;
    for (int i = from; i < to; i++) {
      byte c = buf[i];
      if (c == '\\' && i + 1 < to) {
        byte d = buf[i + 1];
        if (d == '\\' || (quote && d == '"')) {
          out[n++] = d;
          i++;
          continue;
        }
        if (d == 'n') {
          out[n++] = '\n';
          i++;
          continue;
        }
      }
      out[n++] = c;
    }
    return new String(out, 0, n, StandardCharsets.UTF_8);
  }

  // ---- scanning shared by both formats ----

  final int skipBlanks(int p) {
    byte[] b = buf;
    int e = end;
    while (p < e && (b[p] == ' ' || b[p] == '\t')) {
      p++;
    }
    return p;
  }

  /** Position of the next '\n' at or after p, or end. */
  final int lineEnd(int p) {
    byte[] b = buf;
    int e = end;
    while (p < e && b[p] != '\n') {
      p++;
    }
    return p;
  }

  /** Scans a metric name starting at p (first byte already known to be METRIC_START). */
  final int scanMetricName(int p) throws ExpositionException {
    byte[] b = buf;
    int e = end;
    int start = p++;
    while (p < e && (CLASS[b[p] & 0xff] & METRIC_CHAR) != 0) {
      p++;
    }
    if (p - start > options.maxNameBytes()) {
      throw error(start, "metric name longer than " + options.maxNameBytes()
          + " bytes (ParserOptions.maxNameBytes)");
    }
    return p;
  }

  /**
   * Parses a label block whose '{' is at p - 1; returns the position after '}'. For an exemplar
   * the offsets go to the exemplar arrays and "__name__" is an ordinary name.
   */
  final int parseLabels(int p, boolean exemplar) throws ExpositionException {
    byte[] b = buf;
    int e = end;
    int[] pos = exemplar ? exemplarPos : labelPos;
    byte[] flagsOut = exemplar ? exemplarFlags : labelFlags;
    int n = 0;
    boolean afterValue = false;
    int maxLabels = options.maxLabelsPerSeries();
    while (true) {
      if (lenientSpace) {
        p = skipBlanks(p);
      }
      byte c = p < e ? b[p] : 0;
      if (p < e && c == '}') {
        p++;
        break;
      }
      if (p >= e || (CLASS[c & 0xff] & LABEL_START) == 0) {
        throw error(p, (afterValue ? "expected ',' or '}' after label value, found "
            : "expected label name or '}', found ") + describe(p));
      }
      int ns = p++;
      while (p < e && (CLASS[b[p] & 0xff] & LABEL_CHAR) != 0) {
        p++;
      }
      int ne = p;
      if (ne - ns > options.maxNameBytes()) {
        throw error(ns, "label name longer than " + options.maxNameBytes() + " bytes (ParserOptions.maxNameBytes)");
      }
      if (n == maxLabels) {
        throw error(ns, "more than " + maxLabels + " labels (ParserOptions.maxLabelsPerSeries)");
      }
      checkDuplicateName(pos, n, ns, ne, exemplar);
      if (lenientSpace) {
        p = skipBlanks(p);
      }
      if (p >= e || b[p] != '=') {
        throw error(p, "expected '=' after label name \"" + ascii(ns, ne) + "\", found " + describe(p));
      }
      p++;
      if (lenientSpace) {
        p = skipBlanks(p);
      }
      if (p >= e || b[p] != '"') {
        throw error(p, "expected '\"' to start the value of label \"" + ascii(ns, ne) + "\", found "
            + describe(p));
      }
      int vs = ++p;
      int flags = 0;
      while (true) {
        if (p >= e) {
          throw error(p, "expected '\"' to end the value of label \"" + ascii(ns, ne)
              + "\", found end of input");
        }
        byte v = b[p];
        if (v == '"') {
          break;
        }
        if (v == '\\') {
          flags |= ESCAPED;
          checkEscape(p, true);
          p += 2;
          continue;
        }
        if (v == '\n') {
          throw error(p, "expected '\"' to end the value of label \"" + ascii(ns, ne)
              + "\", found end of line");
        }
        if (v < 0) {
          flags |= NON_ASCII;
        }
        p++;
      }
      int ve = p++;
      if (ve - vs > options.maxLabelValueBytes()) {
        throw error(vs, "value of label \"" + ascii(ns, ne) + "\" longer than " + options.maxLabelValueBytes()
            + " bytes (ParserOptions.maxLabelValueBytes)");
      }
      if ((flags & NON_ASCII) != 0) {
        int bad = Utf8.firstInvalid(b, vs, ve);
        if (bad >= 0) {
          throw error(bad, "invalid UTF-8 in the value of label \"" + ascii(ns, ne) + "\"");
        }
      }
      int k = n << 2;
      if (k + 4 > pos.length) {
        pos = Arrays.copyOf(pos, pos.length * 2);
        flagsOut = Arrays.copyOf(flagsOut, flagsOut.length * 2);
        if (exemplar) {
          exemplarPos = pos;
          exemplarFlags = flagsOut;
        } else {
          labelPos = pos;
          labelFlags = flagsOut;
        }
      }
      pos[k] = ns;
      pos[k + 1] = ne;
      pos[k + 2] = vs;
      pos[k + 3] = ve;
      flagsOut[n] = (byte) flags;
      n++;
      if (lenientSpace) {
        p = skipBlanks(p);
      }
      if (p < e && b[p] == ',') {
        p++;
        afterValue = false;
      } else {
        afterValue = true;
        if (!lenientSpace && (p >= e || b[p] != '}')) {
          throw error(p, "expected ',' or '}' after label value, found " + describe(p));
        }
      }
    }
    if (exemplar) {
      exemplarCount = n;
    } else {
      labelCount = n;
    }
    return p;
  }

  /** Rejects a label name already used in this block (and "__name__" outside exemplars). */
  private void checkDuplicateName(int[] pos, int n, int ns, int ne, boolean exemplar) throws ExpositionException {
    byte[] b = buf;
    int len = ne - ns;
    if (!exemplar && len == NAME_LABEL.length && Arrays.equals(b, ns, ne, NAME_LABEL, 0, len)) {
      throw error(ns, "duplicate label name \"__name__\": the metric name is already given before '{'");
    }
    for (int i = 0; i < n; i++) {
      int s = pos[i << 2];
      // Lengths and first bytes differ for almost every pair: compare those before the bytes.
      if (pos[(i << 2) + 1] - s == len && b[s] == b[ns] && Arrays.equals(b, s, s + len, b, ns, ne)) {
        throw error(ns, "duplicate label name \"" + ascii(ns, ne) + "\"");
      }
    }
  }

  /**
   * Checks the escape whose backslash is at p in a label value ({@code inLabel}) or HELP text:
   * there must be a following character on the line, and in strict mode it must be a known one.
   */
  final void checkEscape(int p, boolean inLabel) throws ExpositionException {
    if (p + 1 >= end || buf[p + 1] == '\n') {
      throw error(p, inLabel ? "expected a character after '\\' in label value, found " + describe(p + 1)
          : "expected a character after '\\' in HELP text, found " + describe(p + 1));
    }
    if (options.strictEscapes()) {
      byte d = buf[p + 1];
      boolean ok = d == '\\' || d == 'n' || (d == '"' && (inLabel || helpUnescapesQuote()));
      if (!ok) {
        throw error(p, "invalid escape sequence '\\" + printable(p + 1) + "'"
            + (inLabel ? " in label value (only \\\\, \\\" and \\n)" : " in HELP text"));
      }
    }
  }

  /** Checks HELP text [from, to): valid UTF-8 and, in strict mode, known escapes. */
  final void checkHelpText(int from, int to) throws ExpositionException {
    byte[] b = buf;
    boolean nonAscii = false;
    boolean strict = options.strictEscapes();
    for (int i = from; i < to; i++) {
      byte c = b[i];
      if (c < 0) {
        nonAscii = true;
      } else if (c == '\\' && strict) {
        checkEscape(i, false);
        i++; // a valid escape's second byte is ASCII
      }
    }
    if (nonAscii) {
      int bad = Utf8.firstInvalid(b, from, to);
      if (bad >= 0) {
        throw error(bad, "invalid UTF-8 in HELP text");
      }
    }
  }

  /** Parses the value token [from, to) into {@link #value}. */
  final void parseValue(int from, int to) throws ExpositionException {
    try {
      value = FloatSyntax.parse(buf, from, to);
    } catch (IllegalArgumentException e) {
      throw error(from, "expected a number, NaN, +Inf or -Inf as sample value, found " + quoteToken(from, to));
    } catch (ArithmeticException e) {
      throw error(from, "sample value " + quoteToken(from, to) + " is out of the float64 range");
    }
  }

  final double parseExemplarValue(int from, int to) throws ExpositionException {
    try {
      return FloatSyntax.parse(buf, from, to);
    } catch (IllegalArgumentException e) {
      throw error(from, "expected a number as exemplar value, found " + quoteToken(from, to));
    } catch (ArithmeticException e) {
      throw error(from, "exemplar value " + quoteToken(from, to) + " is out of the float64 range");
    }
  }

  /** Checks that the line [lineStart, eol) respects maxLineBytes; eol is '\n' or end. */
  final void checkLineLength(int eol) throws ExpositionException {
    if (eol - lineStart > options.maxLineBytes()) {
      throw error(lineStart + options.maxLineBytes(), "line longer than " + options.maxLineBytes()
          + " bytes (ParserOptions.maxLineBytes)");
    }
  }

  /** Moves past the line ending at eol ('\n' or end of input). */
  final void finishLine(int eol) throws ExpositionException {
    checkLineLength(eol);
    pos = eol < end ? eol + 1 : eol;
    line++;
  }

  // ---- errors ----

  /** An error at byte position {@code at} of the current line. */
  final ExpositionException error(int at, String detail) {
    int column = Utf8.countChars(buf, lineStart, Math.min(at, end)) + 1;
    return new ExpositionException(entryLine, column, (long) at - begin, detail);
  }

  /** What is at p, for "found ..." in messages. */
  final String describe(int p) {
    if (p >= end) {
      return "end of input";
    }
    byte c = buf[p];
    if (c == '\n') {
      return "end of line";
    }
    return "'" + printable(p) + "'";
  }

  /** The character at p, escaped if it is not printable ASCII. */
  final String printable(int p) {
    if (p >= end) {
      return "end of input";
    }
    int c = buf[p] & 0xff;
    if (c >= 0x20 && c < 0x7f) {
      return String.valueOf((char) c);
    }
    if (c == '\t') {
      return "\\t";
    }
    if (c == '\n') {
      return "\\n";
    }
    if (c == '\r') {
      return "\\r";
    }
    if (c >= 0x80) {
      int bad = Utf8.firstInvalid(buf, p, Math.min(end, p + 4));
      int len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
      if ((bad < 0 || bad >= p + len) && p + len <= end && len > 1) {
        return new String(buf, p, len, StandardCharsets.UTF_8);
      }
    }
    return String.format("\\x%02x", c);
  }

  /** A token in double quotes, Go-escaped, cut at 64 bytes. */
  final String quoteToken(int from, int to) {
    int stop = Math.min(to, from + 64);
    String s = new String(buf, from, stop - from, StandardCharsets.UTF_8);
    StringBuilder sb = new StringBuilder(s.length() + 8).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            sb.append(String.format("\\x%02x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    if (stop < to) {
      sb.append("...");
    }
    return sb.append('"').toString();
  }
}
