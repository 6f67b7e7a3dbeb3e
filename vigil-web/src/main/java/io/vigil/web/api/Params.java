package io.vigil.web.api;

import io.vigil.promql.parser.Durations;
import io.vigil.promql.parser.GoFloat;
import io.vigil.promql.parser.GoQuote;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;

/**
 * Parameter parsing with Prometheus's rules and error texts (web/api/v1 parseTime, parseDuration,
 * parseLimitParam). Times are milliseconds since the epoch, durations nanoseconds (as Go's
 * time.Duration, so that the 11,000-points check sees what Prometheus sees).
 */
final class Params {
  /** Prometheus's MinTime/MaxTime, the defaults of optional start and end (ms). */
  static final long MIN_TIME_MS = -9223309901257974000L;
  static final long MAX_TIME_MS = 9223309901257974999L;
  /** Their RFC 3339 texts, which client_golang sends and Go's time parser cannot read back. */
  static final String MIN_TIME_TEXT = "-292273086-05-16T16:47:06Z";
  static final String MAX_TIME_TEXT = "292277025-08-18T07:12:54.999999999Z";

  private static final long NANOS_PER_MS = 1_000_000L;

  private Params() {}

  /**
   * parseTime: Unix seconds (any Go float syntax; the fraction is rounded to milliseconds the way
   * Prometheus does it, float error included) or RFC 3339.
   *
   * @throws IllegalArgumentException {@code cannot parse "x" to a valid timestamp}
   */
  static long parseTimeMs(String s) {
    Double seconds = goFloat(s);
    if (seconds != null) {
      double t = seconds;
      // Beyond this Go's int64 conversions overflow; Prometheus's answer is garbage, ours an error.
      if (Double.isNaN(t) || Math.abs(t) >= 9.2e15) {
        throw cannotParseTime(s);
      }
      long whole = (long) t; // math.Modf truncates toward zero
      double frac = roundHalfAwayFromZero((t - whole) * 1000) / 1000;
      long nanos = (long) (frac * 1e9); // Go: int64(ns*float64(time.Second)), truncating
      return whole * 1000 + Math.floorDiv(nanos, NANOS_PER_MS);
    }
    if (s.equals(MIN_TIME_TEXT)) {
      return MIN_TIME_MS;
    }
    if (s.equals(MAX_TIME_TEXT)) {
      return MAX_TIME_MS;
    }
    long ms = parseRfc3339Ms(s);
    if (ms == Long.MIN_VALUE) {
      throw cannotParseTime(s);
    }
    return ms;
  }

  private static IllegalArgumentException cannotParseTime(String s) {
    return new IllegalArgumentException("cannot parse " + GoQuote.quote(s) + " to a valid timestamp");
  }

  /** Go's math.Round. */
  private static double roundHalfAwayFromZero(double x) {
    return Math.copySign(Math.floor(Math.abs(x) + 0.5), x);
  }

  private static Double goFloat(String s) {
    if (s.isEmpty()) {
      return null;
    }
    try {
      return GoFloat.parseFloat(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * Go's time.Parse(time.RFC3339Nano, s) to ms (floor), or Long.MIN_VALUE when it does not parse:
   * {@code 2006-01-02T15:04:05[.fraction](Z|±hh:mm)}, fraction of any length (digits past the ninth
   * ignored), '.' or ','.
   */
  static long parseRfc3339Ms(String s) {
    try {
      if (s.length() < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
          || s.charAt(16) != ':') {
        return Long.MIN_VALUE;
      }
      int year = digits(s, 0, 4);
      int month = digits(s, 5, 2);
      int day = digits(s, 8, 2);
      int hour = digits(s, 11, 2);
      int minute = digits(s, 14, 2);
      int second = digits(s, 17, 2);
      int i = 19;
      long nanos = 0;
      if (i < s.length() && (s.charAt(i) == '.' || s.charAt(i) == ',')) {
        int start = ++i;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
          i++;
        }
        if (i == start) {
          return Long.MIN_VALUE;
        }
        String f = s.substring(start, Math.min(i, start + 9));
        nanos = Long.parseLong(f) * (long) Math.pow(10, 9 - f.length());
      }
      int offsetSeconds;
      String zone = s.substring(i);
      if (zone.equals("Z")) {
        offsetSeconds = 0;
      } else if (zone.length() == 6 && (zone.charAt(0) == '+' || zone.charAt(0) == '-') && zone.charAt(3) == ':') {
        int oh = digits(zone, 1, 2);
        int om = digits(zone, 4, 2);
        if (oh > 23 || om > 59) {
          return Long.MIN_VALUE;
        }
        offsetSeconds = (oh * 3600 + om * 60) * (zone.charAt(0) == '-' ? -1 : 1);
      } else {
        return Long.MIN_VALUE;
      }
      LocalDateTime local = LocalDateTime.of(LocalDate.of(year, month, day), LocalTime.of(hour, minute, second));
      long epochSecond = local.toEpochSecond(ZoneOffset.UTC) - offsetSeconds;
      return Math.addExact(Math.multiplyExact(epochSecond, 1000), nanos / NANOS_PER_MS);
    } catch (DateTimeException | NumberFormatException | ArithmeticException e) {
      return Long.MIN_VALUE;
    }
  }

  private static int digits(String s, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        throw new NumberFormatException(s);
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /**
   * parseDuration: float seconds or a Prometheus duration ("5m", "1h30m"), as nanoseconds.
   *
   * @throws IllegalArgumentException {@code cannot parse "x" to a valid duration} (with "It
   *     overflows int64" when the seconds do not fit)
   */
  static long parseDurationNanos(String s) {
    Double seconds = goFloat(s);
    if (seconds != null) {
      double ns = seconds * 1e9;
      if (Double.isNaN(ns) || ns > Long.MAX_VALUE || ns < Long.MIN_VALUE) {
        throw new IllegalArgumentException("cannot parse " + GoQuote.quote(s) + " to a valid duration. It overflows int64");
      }
      return (long) ns;
    }
    try {
      long ms = Durations.parseMs(s);
      return Math.multiplyExact(ms, NANOS_PER_MS);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new IllegalArgumentException("cannot parse " + GoQuote.quote(s) + " to a valid duration");
    }
  }

  /**
   * parseLimitParam: "" is 0 (no limit); otherwise Go's strconv.Atoi, not negative.
   *
   * @throws ApiError {@code invalid parameter "limit": ...}
   */
  static int parseLimit(String s) {
    if (s == null || s.isEmpty()) {
      return 0;
    }
    int limit = atoi(s, "limit");
    if (limit < 0) {
      throw ApiError.invalidParam("limit", "limit must be non-negative");
    }
    return limit;
  }

  /** Go's strconv.Atoi with its error texts, as the cause of an invalid-parameter error. */
  static int atoi(String s, String param) {
    String digits = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
    boolean syntax = !digits.isEmpty();
    for (int i = 0; i < digits.length(); i++) {
      if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
        syntax = false;
      }
    }
    if (!syntax) {
      throw ApiError.invalidParam(param, "strconv.Atoi: parsing " + GoQuote.quote(s) + ": invalid syntax");
    }
    try {
      // Go's int has 64 bits; a limit beyond 2^31 makes no difference here, so clamp it.
      long v = Long.parseLong(s);
      return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
    } catch (NumberFormatException e) {
      throw ApiError.invalidParam(param, "strconv.Atoi: parsing " + GoQuote.quote(s) + ": value out of range");
    }
  }

  /**
   * Go's strconv.ParseBool: 1, t, T, TRUE, true, True and their false counterparts.
   *
   * @throws IllegalArgumentException with Go's message
   */
  static boolean parseBool(String s) {
    return switch (s) {
      case "1", "t", "T", "TRUE", "true", "True" -> true;
      case "0", "f", "F", "FALSE", "false", "False" -> false;
      default -> throw new IllegalArgumentException("strconv.ParseBool: parsing " + GoQuote.quote(s) + ": invalid syntax");
    };
  }

  /**
   * parseTimeParam: an optional time parameter; {@code def} when absent or empty.
   *
   * @throws ApiError {@code invalid parameter "start": Invalid time value for 'start': ...}
   */
  static long timeParam(io.vigil.web.HttpExchange ex, String name, long def) {
    String v = ex.param(name);
    if (v == null || v.isEmpty()) {
      return def;
    }
    try {
      return parseTimeMs(v);
    } catch (IllegalArgumentException e) {
      // Prometheus capitalises this one message.
      throw ApiError.invalidParam(name, "Invalid time value for '" + name + "': " + e.getMessage());
    }
  }

  /** parseTime on a required parameter (query_range's start and end): no default, plainer message. */
  static long requiredTimeParam(io.vigil.web.HttpExchange ex, String name) {
    String v = ex.param(name);
    try {
      return parseTimeMs(v == null ? "" : v);
    } catch (IllegalArgumentException e) {
      throw ApiError.invalidParam(name, e.getMessage());
    }
  }

  /** The request's timeout in nanoseconds, or -1 when not given. */
  static long timeoutParam(io.vigil.web.HttpExchange ex) {
    String v = ex.param("timeout");
    if (v == null || v.isEmpty()) {
      return -1;
    }
    try {
      return Math.max(0, parseDurationNanos(v));
    } catch (IllegalArgumentException e) {
      throw ApiError.invalidParam("timeout", e.getMessage());
    }
  }

  /** A parameter's value, "" when absent (Go's FormValue). */
  static String value(io.vigil.web.HttpExchange ex, String name) {
    String v = ex.param(name);
    return v == null ? "" : v;
  }
}
