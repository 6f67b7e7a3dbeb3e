package io.vigil.server;

/** The --log.level values, as Prometheus names them. */
public enum LogLevel {
  debug,
  info,
  warn,
  error
}
