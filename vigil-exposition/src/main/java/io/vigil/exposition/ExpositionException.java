package io.vigil.exposition;

/**
 * Input that is not valid in its exposition format. For the text formats it carries the 1-based
 * line and column (columns count characters, not bytes) of the offending spot; for protobuf, line
 * and column are 0 and {@link #byteOffset()} says where the bad message or field starts. A byte
 * offset of -1 means unknown (errors found after a whole entry was read).
 *
 * <p>The message reads {@code line 3, column 14: expected '=' after label name "job", found '}'},
 * or {@code byte offset 88: MetricFamily message 2: ...} for protobuf. {@link #detail()} is the
 * part after the position.
 * No stack trace is recorded: the position is what matters, and bad input may be frequent.
 */
public final class ExpositionException extends Exception {
  private final int line;
  private final int column;
  private final long byteOffset;
  private final String detail;

  public ExpositionException(int line, int column, long byteOffset, String detail) {
    super(position(line, column, byteOffset) + detail, null, false, false);
    this.line = line;
    this.column = column;
    this.byteOffset = byteOffset;
    this.detail = detail;
  }

  private static String position(int line, int column, long byteOffset) {
    if (line > 0) {
      return "line " + line + ", column " + column + ": ";
    }
    return byteOffset >= 0 ? "byte offset " + byteOffset + ": " : "";
  }

  /** 1-based line, or 0 for protobuf input. */
  public int line() {
    return line;
  }

  /** 1-based column in characters, or 0 for protobuf input. */
  public int column() {
    return column;
  }

  /** Offset from the start of the parsed input (not of the backing array), or -1 if unknown. */
  public long byteOffset() {
    return byteOffset;
  }

  /** The message without the position prefix. */
  public String detail() {
    return detail;
  }
}
