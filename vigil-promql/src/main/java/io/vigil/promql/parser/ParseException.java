package io.vigil.promql.parser;

/**
 * A query that does not parse or does not type-check. The message reads like Prometheus's:
 * {@code 1:14: parse error: unexpected right bracket ']'}.
 */
public final class ParseException extends RuntimeException {
  private final PosRange position;
  private final String detail;
  private final int line;
  private final int column;

  ParseException(String query, PosRange position, String detail) {
    super(position.startLineColumn(query) + ": parse error: " + detail);
    this.position = position;
    this.detail = detail;
    String[] lc = position.startLineColumn(query).split(":");
    this.line = Integer.parseInt(lc[0]);
    this.column = Integer.parseInt(lc[1]);
  }

  /** Where in the query (char offsets, end exclusive). */
  public PosRange position() {
    return position;
  }

  /** 1-based line of the start of the position. */
  public int line() {
    return line;
  }

  /** 1-based column of the start of the position. */
  public int column() {
    return column;
  }

  /** The message without the position prefix, e.g. {@code unexpected end of input}. */
  public String detail() {
    return detail;
  }
}
