package io.vigil.push;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.exposition.ExpositionException;
import io.vigil.exposition.ExpositionFormat;
import io.vigil.exposition.ExpositionParser;
import io.vigil.exposition.FamilyCollector;
import io.vigil.exposition.MetricFamily;
import io.vigil.exposition.ParserOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The server's own metrics, as the Pushgateway mixes its go_/process_/pushgateway_ metrics into its
 * {@code /metrics}: the registry is written by client_java in text format 0.0.4 and read back into
 * {@link MetricFamily} objects, so that one writer orders and merges everything. Each read also tells
 * the store which sample names they occupy ({@code claimsListener}), so pushes cannot take one of
 * them with another type. Thread-safe.
 */
final class OwnMetrics {
  private final PrometheusRegistry registry;
  private final Consumer<Map<String, NameClaims.Claim>> claimsListener;
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  OwnMetrics(PrometheusRegistry registry, Consumer<Map<String, NameClaims.Claim>> claimsListener) {
    this.registry = registry;
    this.claimsListener = claimsListener;
  }

  List<MetricFamily> families() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream(16 << 10);
    try {
      writer.write(buf, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] text = buf.toByteArray();
    List<MetricFamily> families;
    try {
      families = FamilyCollector.collect(ExpositionParser.create(ExpositionFormat.PROMETHEUS_TEXT, text, 0, text.length,
          ParserOptions.DEFAULTS));
    } catch (ExpositionException e) {
      throw new IllegalStateException("client_java wrote text Vigil cannot read back: " + e.getMessage(), e);
    }
    claimsListener.accept(PushgatewayExposition.claims(families));
    return families;
  }
}
