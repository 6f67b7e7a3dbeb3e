package io.vigil.exposition;

import io.vigil.model.MetricType;

/**
 * State and accessors every parser shares: the input window, the current entry, sticky failure,
 * and the fields of metadata and series entries that all formats fill the same way.
 */
abstract sealed class AbstractParser implements ExpositionParser permits TextFormatParser, ProtobufParser {
  final ParserOptions options;
  byte[] buf = new byte[0];
  int begin;
  int end;

  Entry entry;
  /** Family name (metadata) or metric name (text series) in buf. */
  int nameStart;
  int nameEnd;
  MetricType type;
  double value;
  boolean hasTimestamp;
  long timestampMs;

  private ExpositionException failure;
  private final ByteSlice familyView = new ByteSlice();

  AbstractParser(ParserOptions options) {
    this.options = options;
  }

  /** Points the parser at new input; subclasses reset their own state too. */
  @Override
  public ExpositionParser reset(byte[] buf, int offset, int length) {
    java.util.Objects.checkFromIndexSize(offset, length, buf.length);
    this.buf = buf;
    this.begin = offset;
    this.end = offset + length;
    this.entry = null;
    this.failure = null;
    return this;
  }

  @Override
  public final Entry next() throws ExpositionException {
    if (failure != null) {
      throw failure;
    }
    try {
      return entry = advance();
    } catch (ExpositionException e) {
      entry = null;
      failure = e;
      throw e;
    }
  }

  /** Reads the next entry. */
  abstract Entry advance() throws ExpositionException;

  final void expect(Entry e) {
    if (entry != e) {
      throw new IllegalStateException("current entry is " + entry + ", not " + e);
    }
  }

  final void expectMetadata() {
    if (entry != Entry.TYPE && entry != Entry.HELP && entry != Entry.UNIT) {
      throw new IllegalStateException("current entry is " + entry + ", not TYPE, HELP or UNIT");
    }
  }

  @Override
  public ByteSlice familyName() {
    expectMetadata();
    familyView.set(buf, nameStart, nameEnd - nameStart);
    return familyView;
  }

  @Override
  public MetricType type() {
    expect(Entry.TYPE);
    return type;
  }

  @Override
  public double value() {
    expect(Entry.SERIES);
    return value;
  }

  @Override
  public boolean hasTimestamp() {
    expect(Entry.SERIES);
    return hasTimestamp;
  }

  @Override
  public long timestampMs() {
    expect(Entry.SERIES);
    return timestampMs;
  }

  /** Whether buf[from, to) is exactly the ASCII {@code word}. */
  final boolean isWord(int from, int to, String word) {
    if (to - from != word.length()) {
      return false;
    }
    for (int i = 0; i < word.length(); i++) {
      if (buf[from + i] != word.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
