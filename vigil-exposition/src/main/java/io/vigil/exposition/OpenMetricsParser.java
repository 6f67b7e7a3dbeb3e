package io.vigil.exposition;

import io.vigil.model.MetricType;
import java.util.Arrays;

/**
 * OpenMetrics 1.0 text ({@code application/openmetrics-text; version=1.0.0}), with the syntax of
 * Prometheus's {@code openmetricsparse.go} and the structural rules of the OpenMetrics
 * specification that Prometheus's parser leaves unchecked:
 *
 * <ul>
 *   <li>Exactly one space between tokens, none at the start or end of a line, no blank lines, no
 *       comments other than {@code # HELP}, {@code # TYPE}, {@code # UNIT} and the final
 *       {@code # EOF}, which must be the last line (one newline after it is allowed).
 *   <li>TYPE words: counter, gauge, histogram, gaugehistogram, summary, info, stateset, unknown.
 *       UNIT must be a suffix of the family name after '_' (or empty). HELP escapes:
 *       {@code \\ \n \"}.
 *   <li>Each family's lines are consecutive, its metadata comes before its samples and at most
 *       once, and the sample names fit its type: counter {@code _total}/{@code _created};
 *       histogram {@code _bucket}/{@code _count}/{@code _sum}/{@code _created}; gaugehistogram
 *       {@code _bucket}/{@code _gcount}/{@code _gsum}; summary the bare name and
 *       {@code _count}/{@code _sum}/{@code _created}; info {@code _info}; gauge, stateset and
 *       unknown the bare name. A sample that fits no family opens a family of type unknown.
 *   <li>Label blocks: {@code {}} and a trailing comma are allowed (as in Prometheus).
 *   <li>Values as in 0.0.4 (Prometheus uses one float parser for both); timestamps are float
 *       seconds; an exemplar {@code # {labels} value [timestamp]} may follow any sample.
 * </ul>
 *
 * <p>Label presence rules ({@code le} on buckets, {@code quantile} on summary quantiles) are checked
 * by {@link FamilyCollector}, as Prometheus checks them only when it stores.
 */
public final class OpenMetricsParser extends TextFormatParser {
  private static final byte[][] TYPE_WORDS = new byte[MetricType.values().length][];

  static {
    for (MetricType t : MetricType.values()) {
      TYPE_WORDS[t.ordinal()] = t.text().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
  }

  private static final int SAW_HELP = 1;
  private static final int SAW_TYPE = 2;
  private static final int SAW_UNIT = 4;

  private final FamilyNameSet families = new FamilyNameSet();
  private boolean eofSeen;
  private int familyStart = -1;
  private int familyEnd;
  private MetricType familyType;
  private boolean familyHasSamples;
  private int familyMetadata;

  public OpenMetricsParser(ParserOptions options) {
    super(options, false);
  }

  @Override
  void resetFormatState() {
    families.clear();
    eofSeen = false;
    familyStart = -1;
    familyHasSamples = false;
    familyMetadata = 0;
  }

  @Override
  public ExpositionFormat format() {
    return ExpositionFormat.OPENMETRICS_TEXT;
  }

  @Override
  boolean helpUnescapesQuote() {
    return true;
  }

  @Override
  Entry advanceLine() throws ExpositionException {
    if (eofSeen) {
      return Entry.EOF;
    }
    byte[] b = buf;
    int p = pos;
    lineStart = p;
    entryLine = line;
    if (p >= end) {
      throw error(p, "expected \"# EOF\" as the last line, found end of input");
    }
    byte c = b[p];
    if (c == '#') {
      return hashLine(p);
    }
    if ((CLASS[c & 0xff] & METRIC_START) != 0) {
      return series(p);
    }
    throw error(p, "expected a metric name or '#' at the start of a line, found " + describe(p)
        + (c == '\n' ? " (OpenMetrics allows no blank lines)" : c == ' ' || c == '\t' ? " (OpenMetrics allows no leading blanks)" : ""));
  }

  private Entry hashLine(int p) throws ExpositionException {
    byte[] b = buf;
    int e = end;
    if (p + 5 <= e && b[p + 1] == ' ' && b[p + 2] == 'E' && b[p + 3] == 'O' && b[p + 4] == 'F'
        && (p + 5 == e || b[p + 5] == '\n')) {
      int after = p + 5 == e ? e : p + 6;
      if (after < e) {
        line++;
        lineStart = after;
        entryLine = line;
        throw error(after, "unexpected content after \"# EOF\", found " + describe(after));
      }
      eofSeen = true;
      pos = e;
      return Entry.EOF;
    }
    Entry kind = null;
    if (p + 7 <= e && b[p + 1] == ' ' && b[p + 6] == ' ') {
      kind = keyword(p + 2);
    }
    if (kind == null) {
      int eol = lineEnd(p);
      throw error(p, "expected \"# HELP \", \"# TYPE \", \"# UNIT \" or \"# EOF\", found "
          + quoteToken(p, Math.min(eol, p + 7)) + " (OpenMetrics has no other comments)");
    }
    int q = p + 7;
    if (q >= e || (CLASS[b[q] & 0xff] & METRIC_START) == 0) {
      throw error(q, "expected a metric family name after " + kind + ", found " + describe(q));
    }
    nameStart = q;
    q = nameEnd = scanMetricName(q);
    if (q >= e || b[q] != ' ') {
      throw error(q, "expected ' ' after the metric family name in " + kind + ", found " + describe(q));
    }
    q++;
    int eol = lineEnd(q);
    if (eol >= e) {
      throw error(eol, "expected the end of the line, found end of input");
    }
    textStart = q;
    textEnd = eol;
    switch (kind) {
      case HELP -> checkHelpText(q, eol);
      case TYPE -> {
        type = typeWord(q, eol);
        if (type == null) {
          throw error(q, "expected counter, gauge, histogram, gaugehistogram, summary, info, stateset or unknown"
              + " after the family name in TYPE, found " + (q == eol ? describe(q) : quoteToken(q, eol)));
        }
      }
      case UNIT -> checkUnit(q, eol);
      default -> throw new AssertionError(kind);
    }
    onMetadata(kind);
    finishLine(eol);
    return kind;
  }

  private Entry keyword(int q) {
    byte[] b = buf;
    byte c0 = b[q];
    byte c1 = b[q + 1];
    byte c2 = b[q + 2];
    byte c3 = b[q + 3];
    if (c0 == 'H' && c1 == 'E' && c2 == 'L' && c3 == 'P') {
      return Entry.HELP;
    }
    if (c0 == 'T' && c1 == 'Y' && c2 == 'P' && c3 == 'E') {
      return Entry.TYPE;
    }
    if (c0 == 'U' && c1 == 'N' && c2 == 'I' && c3 == 'T') {
      return Entry.UNIT;
    }
    return null;
  }

  private MetricType typeWord(int from, int to) {
    for (MetricType t : MetricType.values()) {
      byte[] w = TYPE_WORDS[t.ordinal()];
      if (w.length == to - from && Arrays.equals(buf, from, to, w, 0, w.length)) {
        return t;
      }
    }
    return null;
  }

  private void checkUnit(int from, int to) throws ExpositionException {
    int len = to - from;
    if (len == 0) {
      return;
    }
    int nameLen = nameEnd - nameStart;
    if (nameLen < len + 1 || buf[nameEnd - len - 1] != '_'
        || !Arrays.equals(buf, nameEnd - len, nameEnd, buf, from, to)) {
      throw error(from, "unit " + quoteToken(from, to) + " is not a suffix of the metric family name "
          + quoteToken(nameStart, nameEnd) + " (expected the name to end in \"_" + ascii(from, to) + "\")");
    }
    for (int i = from; i < to; i++) {
      if ((CLASS[buf[i] & 0xff] & METRIC_CHAR) == 0) {
        throw error(i, "invalid character " + describe(i) + " in unit");
      }
    }
  }

  private void onMetadata(Entry kind) throws ExpositionException {
    int bit = kind == Entry.HELP ? SAW_HELP : kind == Entry.TYPE ? SAW_TYPE : SAW_UNIT;
    if (familyStart >= 0 && sameAsFamily(nameStart, nameEnd)) {
      if (familyHasSamples) {
        throw error(nameStart, kind + " line for metric family " + quoteToken(nameStart, nameEnd)
            + " after its samples (OpenMetrics wants metadata first)");
      }
      if ((familyMetadata & bit) != 0) {
        throw error(nameStart, "second " + kind + " line for metric family " + quoteToken(nameStart, nameEnd));
      }
    } else {
      startFamily(nameStart, nameEnd);
    }
    familyMetadata |= bit;
    if (kind == Entry.TYPE) {
      familyType = type;
    }
  }

  private boolean sameAsFamily(int from, int to) {
    return to - from == familyEnd - familyStart && Arrays.equals(buf, from, to, buf, familyStart, familyEnd);
  }

  private void startFamily(int from, int to) throws ExpositionException {
    if (!families.add(buf, from, to)) {
      throw error(from, "metric family " + quoteToken(from, to)
          + " appears again after other families (OpenMetrics keeps a family's lines together)");
    }
    familyStart = from;
    familyEnd = to;
    familyType = MetricType.UNKNOWN;
    familyHasSamples = false;
    familyMetadata = 0;
  }

  /** Puts the sample named buf[from, to) into the current family or opens one of type unknown. */
  private void onSample(int from, int to) throws ExpositionException {
    if (familyStart >= 0) {
      int fl = familyEnd - familyStart;
      if (to - from >= fl && Arrays.equals(buf, from, from + fl, buf, familyStart, familyEnd)) {
        if (suffixFits(familyType, from + fl, to)) {
          familyHasSamples = true;
          return;
        }
        if (to - from == fl) {
          throw error(from, "sample name " + quoteToken(from, to) + " does not fit the " + familyType.text()
              + " family " + quoteToken(familyStart, familyEnd) + " (expected " + expectedNames(familyType) + ")");
        }
      }
    }
    startFamily(from, to);
    familyHasSamples = true;
  }

  private boolean suffixFits(MetricType t, int from, int to) {
    int n = to - from;
    if (n == 0) {
      return t == MetricType.GAUGE || t == MetricType.UNKNOWN || t == MetricType.STATESET || t == MetricType.SUMMARY;
    }
    return switch (t) {
      case COUNTER -> isWord(from, to, "_total") || isWord(from, to, "_created");
      case HISTOGRAM -> isWord(from, to, "_bucket") || isWord(from, to, "_count") || isWord(from, to, "_sum")
          || isWord(from, to, "_created");
      case GAUGE_HISTOGRAM -> isWord(from, to, "_bucket") || isWord(from, to, "_gcount") || isWord(from, to, "_gsum");
      case SUMMARY -> isWord(from, to, "_count") || isWord(from, to, "_sum") || isWord(from, to, "_created");
      case INFO -> isWord(from, to, "_info");
      default -> false;
    };
  }

  private static String expectedNames(MetricType t) {
    return switch (t) {
      case COUNTER -> "suffix _total or _created";
      case HISTOGRAM -> "suffix _bucket, _count, _sum or _created";
      case GAUGE_HISTOGRAM -> "suffix _bucket, _gcount or _gsum";
      case INFO -> "suffix _info";
      default -> "the family name";
    };
  }

  private Entry series(int p) throws ExpositionException {
    byte[] b = buf;
    int e = end;
    nameStart = p;
    p = nameEnd = scanMetricName(p);
    onSample(nameStart, nameEnd);
    seriesEnd = p;
    if (p < e && b[p] == '{') {
      p = seriesEnd = parseLabels(p + 1, false);
    }
    if (p >= e || b[p] != ' ') {
      throw error(p, "expected ' ' and a sample value after the metric" + (seriesEnd > nameEnd ? " and labels" : "")
          + ", found " + describe(p));
    }
    int vs = ++p;
    p = tokenEnd(p);
    if (p == vs) {
      throw error(p, "expected a sample value, found " + describe(p));
    }
    parseValue(vs, p);
    hasTimestamp = false;
    if (p < e && b[p] == ' ') {
      p++;
      if (p < e && b[p] != '#') {
        int ts = p;
        p = tokenEnd(p);
        if (p == ts) {
          throw error(p, "expected a timestamp or an exemplar after ' ', found " + describe(p));
        }
        timestampMs = timestamp(ts, p, "timestamp");
        hasTimestamp = true;
        if (p < e && b[p] == ' ') {
          p++;
          if (p >= e || b[p] != '#') {
            throw error(p, "expected an exemplar (\"# {\") after the timestamp, found " + describe(p));
          }
        }
      }
      if (p < e && b[p] == '#') {
        p = exemplar(p);
      }
    }
    if (p >= e) {
      throw error(p, "expected the end of the line, found end of input");
    }
    if (b[p] != '\n') {
      throw error(p, "expected the end of the line, found " + describe(p));
    }
    finishLine(p);
    return Entry.SERIES;
  }

  /** An exemplar starting at the '#' at p; returns the position after it. */
  private int exemplar(int p) throws ExpositionException {
    byte[] b = buf;
    int e = end;
    if (p + 2 >= e || b[p + 1] != ' ' || b[p + 2] != '{') {
      throw error(p, "expected \"# {\" to start an exemplar, found " + quoteToken(p, Math.min(lineEnd(p), p + 3)));
    }
    p = parseLabels(p + 3, true);
    if (p >= e || b[p] != ' ') {
      throw error(p, "expected ' ' and a value after the exemplar labels, found " + describe(p));
    }
    int vs = ++p;
    p = tokenEnd(p);
    if (p == vs) {
      throw error(p, "expected an exemplar value, found " + describe(p));
    }
    exemplarValue = parseExemplarValue(vs, p);
    exemplarHasTimestamp = false;
    if (p < e && b[p] == ' ') {
      int ts = ++p;
      p = tokenEnd(p);
      if (p == ts) {
        throw error(p, "expected an exemplar timestamp, found " + describe(p));
      }
      exemplarTimestampMs = timestamp(ts, p, "exemplar timestamp");
      exemplarHasTimestamp = true;
    }
    hasExemplar = true;
    return p;
  }

  private int tokenEnd(int p) {
    byte[] b = buf;
    int e = end;
    while (p < e && b[p] != ' ' && b[p] != '\n') {
      p++;
    }
    return p;
  }

  private long timestamp(int from, int to, String what) throws ExpositionException {
    try {
      return FloatSyntax.parseSecondsAsMillis(buf, from, to);
    } catch (IllegalArgumentException ex) {
      throw error(from, "expected a " + what + " in seconds (a finite number), found " + quoteToken(from, to));
    } catch (ArithmeticException ex) {
      throw error(from, what + " " + quoteToken(from, to) + " is out of range");
    }
  }
}
