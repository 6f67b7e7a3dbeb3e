package io.vigil.exposition;

/**
 * Limits and switches for the parsers. Every limit bounds work or memory that a hostile or broken
 * target could otherwise make unbounded; exceeding one is an {@link ExpositionException} naming the
 * option. The defaults never reject what real exporters write.
 *
 * <p>How they relate to Prometheus: its parsers have no limits of their own; its scrape config has
 * {@code label_limit}, {@code label_name_length_limit} and {@code label_value_length_limit}
 * (default 0 = unlimited) and fails the whole scrape when one is exceeded, as a parse error here
 * does. A scrape config with those limits set can pass them in here (use the smaller of the
 * configured value and the default); a limit of 0 is not "unlimited" here.
 *
 * @param maxLabelsPerSeries labels in one series, not counting the metric name. Default 512:
 *     the widest real series (kube-state-metrics' {@code *_labels} families, one label per
 *     Kubernetes label) have a few dozen; 512 bounds the parser's per-line scratch (a few ints per
 *     label) and the pairwise duplicate-name check, so "1 M labels on a line" fails fast.
 * @param maxNameBytes bytes in a metric or label name. Default 1024: generated names (JMX exporter,
 *     OTel translations) reach 200-300; longer names are garbage.
 * @param maxLabelValueBytes bytes in a label value before unescaping. Default 65536: values hold
 *     paths, versions, command lines and the odd SQL text; larger ones are almost surely a broken
 *     exporter, and every byte is kept in memory once per series by the TSDB head.
 * @param maxLineBytes bytes in one line of text input, including HELP and comments. Default
 *     1 MiB: well above {@code maxLabelsPerSeries} reasonable labels, and it bounds how far a
 *     comment can run. Protobuf has no lines: a message is bounded by the input it sits in, and
 *     the parser keeps offsets, not copies, so it needs no extra limit.
 * @param strictEscapes reject backslash escapes other than {@code \\ \" \n} in label values and
 *     {@code \\ \n} ({@code \"} too in OpenMetrics) in HELP. Default false, as Prometheus's parsers,
 *     which keep an unknown escape such as {@code \t} verbatim (backslash and letter); the
 *     Pushgateway's parser (client_golang expfmt) rejects them, so its compatible API sets true.
 */
public record ParserOptions(
    int maxLabelsPerSeries, int maxNameBytes, int maxLabelValueBytes, int maxLineBytes,
    boolean strictEscapes) {

  public static final ParserOptions DEFAULTS = new ParserOptions(512, 1024, 64 * 1024, 1 << 20, false);

  public ParserOptions {
    if (maxLabelsPerSeries < 1 || maxNameBytes < 1 || maxLabelValueBytes < 0 || maxLineBytes < 16) {
      throw new IllegalArgumentException("parser limits must be positive: " + maxLabelsPerSeries + ", "
          + maxNameBytes + ", " + maxLabelValueBytes + ", " + maxLineBytes);
    }
  }

  public ParserOptions withStrictEscapes(boolean strict) {
    return new ParserOptions(maxLabelsPerSeries, maxNameBytes, maxLabelValueBytes, maxLineBytes, strict);
  }

  public ParserOptions withMaxLabelValueBytes(int max) {
    return new ParserOptions(maxLabelsPerSeries, maxNameBytes, max, Math.max(maxLineBytes, max + 1024), strictEscapes);
  }

  public ParserOptions withMaxLabelsPerSeries(int max) {
    return new ParserOptions(max, maxNameBytes, maxLabelValueBytes, maxLineBytes, strictEscapes);
  }
}
