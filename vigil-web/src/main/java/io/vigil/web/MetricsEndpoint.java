package io.vigil.web;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.OutputStream;

/**
 * Serves a registry's metrics with the content negotiation of client_java: OpenMetrics when the
 * Accept header asks for it, protobuf for Prometheus's proto scrape protocol, else text 0.0.4.
 */
public final class MetricsEndpoint implements Endpoint {
  private final PrometheusRegistry registry;
  private final ExpositionFormats formats = ExpositionFormats.init();

  public MetricsEndpoint(PrometheusRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void handle(HttpExchange exchange) throws Exception {
    ExpositionFormatWriter writer = formats.findWriter(exchange.header("Accept"));
    var snapshots = registry.scrape();
    try (OutputStream out = exchange.startResponse(200, writer.getContentType())) {
      writer.write(out, snapshots);
    }
  }
}
