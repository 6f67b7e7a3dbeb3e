package io.vigil.bench.suite;

import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

/** Progress lines on stderr, so stdout carries only the result table. */
final class Log {
  private Log() {}

  static void info(String format, Object... args) {
    System.err.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " bench: " + String.format(format, args));
  }
}
