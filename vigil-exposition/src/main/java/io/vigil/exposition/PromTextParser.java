package io.vigil.exposition;

import io.vigil.model.MetricType;

/**
 * The Prometheus text format 0.0.4, accepting what Prometheus's own parser ({@code promparse.go})
 * accepts, so that a target Prometheus scrapes is scraped by Vigil too:
 *
 * <ul>
 *   <li>Blank lines, blanks (space, tab) at the start of a line, between all tokens and at the end
 *       of a line. A missing final newline.
 *   <li>{@code # HELP name text} and {@code # TYPE name type} (after one or more blanks); any
 *       other line starting with {@code #} is a {@link Entry#COMMENT}, including {@code #HELP}.
 *       HELP text starts after the one blank that follows the name; {@code \\} and {@code \n} are
 *       its escapes. TYPE words: counter, gauge, histogram, summary, untyped (case-sensitive);
 *       unlike Prometheus, blanks after the word are allowed.
 *   <li>{@code name 1}, {@code name{} 1}, {@code name{a="b",} 1} (trailing comma) and, as
 *       Prometheus does by accident, {@code name{a="b" c="d"} 1} (no comma). Label value escapes
 *       {@code \\ \" \n}; other escapes are kept verbatim unless {@link ParserOptions#strictEscapes}.
 *   <li>Optional timestamp: integer milliseconds, digits with an optional '-' (the format
 *       documentation's own example is negative; Prometheus's lexer takes digits only, the
 *       Pushgateway's parser takes the sign), no fraction.
 *   <li>Not checked, as in Prometheus: a second TYPE or HELP for a family, TYPE after the
 *       family's samples, samples of one family in several places. {@link FamilyCollector} applies
 *       the Pushgateway's stricter rules when a body becomes {@link MetricFamily} objects.
 * </ul>
 *
 * <p>Stricter than Prometheus, each an error with position: a raw newline inside a label value
 * (Prometheus's lexer lets it through, no client writes it, and the Pushgateway rejects it);
 * invalid UTF-8 in comments is still accepted, but not in HELP or label values (as Prometheus);
 * a NUL byte at the start of a line (Prometheus silently stops reading there); quoted UTF-8
 * metric or label names (Prometheus 3's extension, not yet supported by Vigil's model).
 */
public final class PromTextParser extends TextFormatParser {
  private static final MetricType[] TEXT_TYPES = {
      MetricType.COUNTER, MetricType.GAUGE, MetricType.HISTOGRAM, MetricType.SUMMARY, MetricType.UNKNOWN};

  public PromTextParser(ParserOptions options) {
    super(options, true);
  }

  @Override
  public ExpositionFormat format() {
    return ExpositionFormat.PROMETHEUS_TEXT;
  }

  @Override
  boolean helpUnescapesQuote() {
    return false;
  }

  @Override
  Entry advanceLine() throws ExpositionException {
    byte[] b = buf;
    int e = end;
    int p = pos;
    while (true) {
      if (p >= e) {
        pos = p;
        entryLine = line;
        return Entry.EOF;
      }
      lineStart = p;
      entryLine = line;
      while (p < e && (b[p] == ' ' || b[p] == '\t')) {
        p++;
      }
      if (p >= e) {
        pos = p;
        return Entry.EOF;
      }
      byte c = b[p];
      if (c == '\n') {
        checkLineLength(p);
        line++;
        p++;
        continue;
      }
      if (c == '#') {
        return hashLine(p + 1);
      }
      if ((CLASS[c & 0xff] & METRIC_START) != 0) {
        return series(p);
      }
      throw error(p, "expected a metric name or '#' at the start of a line, found " + describe(p));
    }
  }

  /** A line starting with '#'; p is just after it. */
  private Entry hashLine(int p) throws ExpositionException {
    byte[] b = buf;
    int q = skipBlanks(p);
    if (q > p && q + 4 < end && (b[q + 4] == ' ' || b[q + 4] == '\t')) {
      Entry kind = keyword(q);
      if (kind != null) {
        return metadata(kind, skipBlanks(q + 4));
      }
    }
    int eol = lineEnd(q);
    textStart = q;
    textEnd = eol;
    finishLine(eol);
    return Entry.COMMENT;
  }

  private Entry keyword(int q) {
    byte[] b = buf;
    if (b[q] == 'H' && b[q + 1] == 'E' && b[q + 2] == 'L' && b[q + 3] == 'P') {
      return Entry.HELP;
    }
    if (b[q] == 'T' && b[q + 1] == 'Y' && b[q + 2] == 'P' && b[q + 3] == 'E') {
      return Entry.TYPE;
    }
    return null;
  }

  private Entry metadata(Entry kind, int p) throws ExpositionException {
    byte[] b = buf;
    int e = end;
    if (p >= e || (CLASS[b[p] & 0xff] & METRIC_START) == 0) {
      throw error(p, "expected a metric name after " + kind + ", found " + describe(p));
    }
    nameStart = p;
    p = nameEnd = scanMetricName(p);
    if (p < e && b[p] != '\n' && b[p] != ' ' && b[p] != '\t') {
      throw error(p, "expected a blank after the metric name in " + kind + ", found " + describe(p));
    }
    if (kind == Entry.HELP) {
      if (p < e && b[p] != '\n') {
        p++; // the one separating blank; further blanks belong to the text, as in Prometheus
      }
      int eol = lineEnd(p);
      textStart = p;
      textEnd = eol;
      checkHelpText(p, eol);
      finishLine(eol);
      return Entry.HELP;
    }
    p = skipBlanks(p);
    int eol = lineEnd(p);
    int wordEnd = eol;
    while (wordEnd > p && (b[wordEnd - 1] == ' ' || b[wordEnd - 1] == '\t')) {
      wordEnd--;
    }
    textStart = p;
    textEnd = wordEnd;
    type = typeWord(p, wordEnd);
    if (type == null) {
      throw error(p, "expected counter, gauge, histogram, summary or untyped after the metric name in TYPE, found "
          + (p == wordEnd ? describe(p) : quoteToken(p, wordEnd)));
    }
    finishLine(eol);
    return Entry.TYPE;
  }

  private MetricType typeWord(int from, int to) {
    for (MetricType t : TEXT_TYPES) {
      if (isWord(from, to, t == MetricType.UNKNOWN ? "untyped" : t.text())) {
        return t;
      }
    }
    return null;
  }

  private Entry series(int p) throws ExpositionException {
    byte[] b = buf;
    int e = end;
    nameStart = p;
    p = nameEnd = scanMetricName(p);
    seriesEnd = p;
    p = skipBlanks(p);
    if (p < e && b[p] == '{') {
      p = seriesEnd = parseLabels(p + 1, false);
      p = skipBlanks(p);
    }
    int vs = p;
    while (p < e) {
      byte c = b[p];
      if (c == ' ' || c == '\t' || c == '\n' || c == '{') {
        break;
      }
      p++;
    }
    if (p == vs) {
      throw error(p, "expected a sample value after the metric" + (seriesEnd > nameEnd ? " and labels" : "")
          + ", found " + describe(p));
    }
    parseValue(vs, p);
    p = skipBlanks(p);
    hasTimestamp = false;
    if (p < e && b[p] != '\n') {
      byte c = b[p];
      int ts = p;
      if (c == '-') {
        p++; // the format's own example has one; Prometheus's lexer rejects it, expfmt accepts it
      }
      if (p >= e || b[p] < '0' || b[p] > '9') {
        throw error(p, "expected a timestamp (integer milliseconds) or the end of the line, found " + describe(p));
      }
      while (p < e && b[p] >= '0' && b[p] <= '9') {
        p++;
      }
      try {
        timestampMs = FloatSyntax.parseMillis(b, ts, p);
      } catch (ArithmeticException ex) {
        throw error(ts, "timestamp " + quoteToken(ts, p) + " is out of the int64 range");
      }
      hasTimestamp = true;
      p = skipBlanks(p);
      if (p < e && b[p] != '\n') {
        throw error(p, "expected the end of the line after the timestamp (integer milliseconds), found "
            + describe(p));
      }
    }
    finishLine(p);
    return Entry.SERIES;
  }
}
