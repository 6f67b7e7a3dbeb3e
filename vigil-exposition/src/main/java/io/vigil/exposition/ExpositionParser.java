package io.vigil.exposition;

import io.vigil.model.Labels;
import io.vigil.model.MetricType;

/**
 * A pull parser over one exposition body in memory (Prometheus's {@code textparse.Parser}):
 * {@link #next()} moves to the next entry and says what it is; the accessors describe that entry.
 *
 * <p><b>View lifetime.</b> Every {@link ByteSlice} returned here is a view owned by the parser,
 * valid only until the next call to {@link #next()} or {@link #reset}; it points into the input
 * array (text formats) or into parser scratch (protobuf series keys). Copy what you keep. Strings,
 * {@link Labels} and {@link Exemplar}s returned are new objects and may be kept.
 *
 * <p><b>Input.</b> The parser reads {@code buf[offset .. offset+length)} and never modifies it; the
 * caller must not modify it while parsing. Error positions are relative to {@code offset}.
 *
 * <p><b>Errors.</b> {@link #next()} throws {@link ExpositionException} for invalid input; after
 * that every further {@code next()} throws the same exception. Calling an accessor that does not
 * belong to the current entry throws {@link IllegalStateException}.
 *
 * <p>Each call to {@code next()} consumes at least one byte or returns {@link Entry#EOF}, so parsing
 * always terminates; memory use is bounded by {@link ParserOptions}. Not thread-safe; reuse one
 * instance per scrape loop via {@link #reset}.
 */
public sealed interface ExpositionParser permits AbstractParser {

  /** A parser for the format named by an HTTP Content-Type header; see {@link ExpositionFormat#fromContentType}. */
  static ExpositionParser forContentType(String contentType, byte[] buf, int offset, int length,
      ParserOptions options) {
    return create(ExpositionFormat.fromContentType(contentType), buf, offset, length, options);
  }

  static ExpositionParser create(ExpositionFormat format, byte[] buf, int offset, int length,
      ParserOptions options) {
    ExpositionParser p = switch (format) {
      case PROMETHEUS_TEXT -> new PromTextParser(options);
      case OPENMETRICS_TEXT -> new OpenMetricsParser(options);
      case PROMETHEUS_PROTOBUF -> new ProtobufParser(options);
    };
    return p.reset(buf, offset, length);
  }

  ExpositionFormat format();

  /** Starts over on new input, keeping scratch buffers. Returns this. */
  ExpositionParser reset(byte[] buf, int offset, int length);

  /** Advances to the next entry. */
  Entry next() throws ExpositionException;

  /**
   * The 1-based line of the current entry in text input; for protobuf the 1-based index of the
   * MetricFamily message it belongs to.
   */
  int line();

  // ---- TYPE, HELP, UNIT ----

  /**
   * TYPE, HELP, UNIT: the metric family name as written on the line (view). For OpenMetrics that is
   * the family name without {@code _total}/{@code _info}; for protobuf the MetricFamily name.
   */
  ByteSlice familyName();

  /** TYPE: the family's type; 0.0.4's {@code untyped} is {@link MetricType#UNKNOWN}. */
  MetricType type();

  /** HELP: the help text with escapes resolved (a new String). */
  String help();

  /** UNIT: the unit, possibly empty (a new String). */
  String unit();

  /**
   * The raw text of the line after the name (view): HELP text still escaped, the UNIT, the TYPE
   * word, or for COMMENT the comment after {@code #} and leading blanks.
   */
  ByteSlice text();

  // ---- SERIES ----

  /**
   * SERIES: the bytes identifying the series (view). For text formats exactly the metric name and
   * label block as in the input ({@code up{job="a"}}), a cheap cache key (two spellings of one label
   * set give two keys, as in Prometheus). For protobuf a synthetic, unambiguous key built from name
   * and label pairs.
   */
  ByteSlice series();

  /** SERIES: the metric name, e.g. {@code http_request_duration_seconds_bucket} (view). */
  ByteSlice metricName();

  /**
   * SERIES: resets {@code builder} and adds {@code __name__} and every label, unescaped; only now
   * are names and values turned into Strings. Empty values are added too ({@link Labels.Builder}
   * drops them at build time, as Prometheus treats an empty label as absent).
   */
  void labels(Labels.Builder builder);

  /** SERIES: the sample value. Any NaN spelling yields the ordinary NaN, never a staleness marker. */
  double value();

  /** SERIES: whether the sample carries a timestamp. */
  boolean hasTimestamp();

  /**
   * SERIES: the timestamp in milliseconds. Text 0.0.4 writes integer milliseconds; OpenMetrics
   * writes float seconds, converted here by rounding to the nearest millisecond.
   */
  long timestampMs();

  /** SERIES: whether an exemplar follows the sample (OpenMetrics; protobuf counters and buckets). */
  boolean hasExemplar();

  /** SERIES: the exemplar (a new object), or null when there is none. */
  Exemplar exemplar();
}
