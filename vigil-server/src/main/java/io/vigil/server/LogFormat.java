package io.vigil.server;

/** The --log.format values, as Prometheus names them. */
public enum LogFormat {
  logfmt,
  json
}
