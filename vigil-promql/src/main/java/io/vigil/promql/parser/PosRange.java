package io.vigil.promql.parser;

/** A half-open range [start, end) of char offsets in the query text. */
public record PosRange(int start, int end) {
  public static final PosRange NONE = new PosRange(0, 0);

  static PosRange merge(PosRange a, PosRange b) {
    return new PosRange(a.start, b.end);
  }

  /** Prometheus's "line:column" of the start (1-based; column counted in chars of that line). */
  public String startLineColumn(String query) {
    int line = 1;
    int col = 1;
    for (int i = 0; i < start && i < query.length(); i++) {
      if (query.charAt(i) == '\n') {
        line++;
        col = 1;
      } else {
        col++;
      }
    }
    return line + ":" + col;
  }
}
