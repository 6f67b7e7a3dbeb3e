package io.vigil.server;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import io.vigil.model.LabelNames;
import org.slf4j.event.KeyValuePair;
import tools.jackson.core.io.JsonStringEncoder;

/**
 * Writes one log event per line, in logfmt ({@code ts=... level=info logger=... msg="..." k=v})
 * or as a JSON object with the same keys, like Prometheus's two log formats. Key-value pairs come
 * from SLF4J's fluent API; an exception becomes {@code err} with its stack trace.
 */
final class LogLineEncoder extends EncoderBase<ILoggingEvent> {
  private static final DateTimeFormatter TS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private static final JsonStringEncoder JSON = JsonStringEncoder.getInstance();

  private final LogFormat format;

  LogLineEncoder(LogFormat format) {
    this.format = format;
  }

  @Override
  public byte[] headerBytes() {
    return null;
  }

  @Override
  public byte[] footerBytes() {
    return null;
  }

  @Override
  public byte[] encode(ILoggingEvent e) {
    StringBuilder sb = new StringBuilder(160);
    boolean json = format == LogFormat.json;
    if (json) {
      sb.append('{');
    }
    field(sb, json, "ts", TS.format(Instant.ofEpochMilli(e.getTimeStamp())));
    field(sb, json, "level", e.getLevel().toString().toLowerCase(Locale.ROOT));
    field(sb, json, "logger", shortLogger(e.getLoggerName()));
    field(sb, json, "msg", e.getFormattedMessage());
    if (e.getKeyValuePairs() != null) {
      for (KeyValuePair kv : e.getKeyValuePairs()) {
        field(sb, json, kv.key, String.valueOf(kv.value));
      }
    }
    IThrowableProxy t = e.getThrowableProxy();
    if (t != null) {
      field(sb, json, "err", ThrowableProxyUtil.asString(t).stripTrailing());
    }
    sb.append(json ? "}\n" : "\n");
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** "io.vigil.tsdb.Head" → "tsdb.Head": enough to find the class, short enough to read. */
  private static String shortLogger(String name) {
    return name.startsWith("io.vigil.") ? name.substring("io.vigil.".length()) : name;
  }

  private static void field(StringBuilder sb, boolean json, String key, String value) {
    if (json) {
      if (sb.length() > 1) {
        sb.append(',');
      }
      appendJsonString(sb, key);
      sb.append(':');
      appendJsonString(sb, value);
      return;
    }
    if (!sb.isEmpty()) {
      sb.append(' ');
    }
    sb.append(key).append('=');
    if (needsQuotes(value)) {
      LabelNames.appendQuoted(sb, value);
    } else {
      sb.append(value);
    }
  }

  private static boolean needsQuotes(String v) {
    if (v.isEmpty()) {
      return true;
    }
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c <= ' ' || c == '"' || c == '=' || c == '\\' || c == 0x7f) {
        return true;
      }
    }
    return false;
  }

  private static void appendJsonString(StringBuilder sb, String s) {
    sb.append('"');
    JSON.quoteAsString(s, sb);
    sb.append('"');
  }
}
