package io.vigil.push;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/** Collects what a class logs, with its key-value pairs, for assertions. */
final class LogCapture implements AutoCloseable {
  private final Logger logger;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  LogCapture(Class<?> type) {
    logger = (Logger) LoggerFactory.getLogger(type);
    appender.start();
    logger.addAppender(appender);
  }

  /** Each event as "LEVEL message k=v k=v". */
  List<String> lines() {
    return appender.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()
        + (e.getKeyValuePairs() == null ? "" : e.getKeyValuePairs().stream().map(kv -> " " + kv.key + "=" + kv.value)
            .collect(Collectors.joining()))).toList();
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
  }
}
