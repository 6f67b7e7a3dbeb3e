package io.vigil.bench.suite;

/** The programs the suite compares; {@link #key} names them in the JSON results. */
enum ServerKind {
  VIGIL("vigil", "Vigil"),
  PROMETHEUS("prometheus", "Prometheus"),
  VICTORIA_METRICS("victoriametrics", "VictoriaMetrics"),
  PUSHGATEWAY("pushgateway", "Pushgateway");

  final String key;
  final String display;

  ServerKind(String key, String display) {
    this.key = key;
    this.display = display;
  }
}
