package io.vigil.exposition;

/** What the line (or protobuf element) a parser just read holds; see {@link ExpositionParser#next()}. */
public enum Entry {
  /** A TYPE line: {@link ExpositionParser#familyName()} and {@link ExpositionParser#type()}. */
  TYPE,
  /** A HELP line: {@link ExpositionParser#familyName()} and {@link ExpositionParser#help()}. */
  HELP,
  /** An OpenMetrics UNIT line: {@link ExpositionParser#familyName()} and {@link ExpositionParser#unit()}. */
  UNIT,
  /** One sample: series bytes, labels, value, optional timestamp and exemplar. */
  SERIES,
  /** A text-format comment that is not HELP or TYPE (0.0.4 only): {@link ExpositionParser#text()}. */
  COMMENT,
  /** The end of the input (for OpenMetrics: a valid {@code # EOF}). Further calls return EOF again. */
  EOF
}
