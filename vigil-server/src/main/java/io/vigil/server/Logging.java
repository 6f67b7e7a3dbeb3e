package io.vigil.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.slf4j.LoggerFactory;

/** Configures Logback from --log.level and --log.format: one line per event on stderr. */
final class Logging {
  private Logging() {}

  static void configure(LogLevel level, LogFormat format) {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    ctx.reset();
    LogLineEncoder encoder = new LogLineEncoder(format);
    encoder.setContext(ctx);
    encoder.start();
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(ctx);
    appender.setName("stderr");
    appender.setTarget("System.err");
    appender.setEncoder(encoder);
    appender.start();
    Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(toLogback(level));
    root.addAppender(appender);
    // Jetty narrates its lifecycle at INFO; Vigil logs what matters itself.
    if (level != LogLevel.debug) {
      ctx.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
    }
  }

  private static Level toLogback(LogLevel level) {
    return switch (level) {
      case debug -> Level.DEBUG;
      case info -> Level.INFO;
      case warn -> Level.WARN;
      case error -> Level.ERROR;
    };
  }
}
