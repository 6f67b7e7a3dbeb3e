package io.vigil.promql;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends one JSON line per query in Prometheus's query log shape (global.query_log_file):
 * {@code {"params":{"end":...,"query":...,"start":...,"step":...},"stats":{"timings":{...}},"ts":...}}.
 * Thread-safe; a failing write is logged and does not fail the query.
 */
final class QueryLog {
  private static final Logger LOG = LoggerFactory.getLogger(QueryLog.class);
  private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
      .withZone(ZoneOffset.UTC);
  private final Path file;

  QueryLog(Path file) {
    this.file = file;
  }

  synchronized void write(Query q, long startMs, long endMs, long stepMs, long queueNanos, long parseNanos,
      long evalNanos, QueryStats stats, RuntimeException failure) {
    StringBuilder sb = new StringBuilder(256);
    sb.append("{\"params\":{\"end\":\"").append(TS.format(Instant.ofEpochMilli(endMs))).append("\",\"query\":");
    appendJsonString(sb, q.text());
    sb.append(",\"start\":\"").append(TS.format(Instant.ofEpochMilli(startMs))).append("\",\"step\":")
        .append(stepMs / 1000).append("},\"stats\":{\"timings\":{\"evalTotalTime\":").append(seconds(evalNanos))
        .append(",\"execQueueTime\":").append(seconds(queueNanos)).append(",\"execTotalTime\":")
        .append(seconds(queueNanos + evalNanos)).append(",\"innerEvalTime\":").append(seconds(evalNanos))
        .append(",\"queryPreparationTime\":").append(seconds(parseNanos)).append(",\"resultSortTime\":0}");
    if (stats != null) {
      sb.append(",\"samples\":{\"totalQueryableSamples\":").append(stats.totalQueryableSamples())
          .append(",\"peakSamples\":").append(stats.peakSamples()).append('}');
    }
    sb.append('}');
    if (failure != null) {
      sb.append(",\"error\":");
      appendJsonString(sb, failure.getMessage());
    }
    sb.append(",\"ts\":\"").append(TS.format(Instant.now())).append("\"}\n");
    try {
      Files.writeString(file, sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
          StandardOpenOption.WRITE);
    } catch (IOException e) {
      LOG.warn("cannot write query log {}: {}", file, e.toString());
    }
  }

  private static String seconds(long nanos) {
    return Double.toString(nanos / 1e9);
  }

  static void appendJsonString(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
