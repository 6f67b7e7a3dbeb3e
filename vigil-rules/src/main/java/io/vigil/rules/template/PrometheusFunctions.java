package io.vigil.rules.template;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.vigil.config.PromDuration;
import io.vigil.promql.parser.GoFloat;
import io.vigil.rules.template.Function.Failure;
import io.vigil.rules.template.Function.Kind;
import io.vigil.rules.template.Function.Panic;
import io.vigil.rules.template.GoValues.GoDuration;
import io.vigil.rules.template.GoValues.GoMap;
import io.vigil.rules.template.GoValues.GoNil;
import io.vigil.rules.template.GoValues.GoTime;
import io.vigil.rules.template.GoValues.QueryResult;
import io.vigil.rules.template.GoValues.Sample;
import io.vigil.rules.template.GoValues.SafeHtml;
import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prometheus's template functions (template/template.go and prometheus/common's helpers), with
 * their outputs and error texts; regular expressions go through re2j.
 */
final class PrometheusFunctions {
  private PrometheusFunctions() {}

  private static final String[] BIG = {"k", "M", "G", "T", "P", "E", "Z", "Y"};
  private static final String[] SMALL = {"m", "u", "n", "p", "f", "a", "z", "y"};
  private static final String[] BINARY = {"ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"};

  static Map<String, Function> table() {
    Map<String, Function> m = new LinkedHashMap<>();
    add(m, Function.of("query", (a, c) -> new QueryResult(c.query((String) a.getFirst())), Kind.STRING));
    add(m, Function.of("first", PrometheusFunctions::first, Kind.QUERY_RESULT));
    add(m, Function.of("label", (a, c) -> sample(a.get(1)).labels().entries().getOrDefault((String) a.get(0), ""),
        Kind.STRING, Kind.SAMPLE));
    add(m, Function.of("value", (a, c) -> sample(a.getFirst()).value(), Kind.SAMPLE));
    add(m, Function.of("strvalue", (a, c) -> sample(a.getFirst()).labels().entries().getOrDefault("__value__", ""),
        Kind.SAMPLE));
    add(m, Function.variadic("args", PrometheusFunctions::args, Kind.ANY));
    add(m, Function.of("reReplaceAll", (a, c) -> reReplaceAll((String) a.get(0), (String) a.get(1),
        (String) a.get(2)), Kind.STRING, Kind.STRING, Kind.STRING));
    add(m, Function.of("safeHtml", (a, c) -> new SafeHtml((String) a.getFirst()), Kind.STRING));
    add(m, Function.of("match", (a, c) -> compile((String) a.get(0)).matcher((String) a.get(1)).find(), Kind.STRING,
        Kind.STRING));
    add(m, Function.of("title", (a, c) -> title((String) a.getFirst()), Kind.STRING));
    add(m, Function.of("toUpper", (a, c) -> ((String) a.getFirst()).toUpperCase(java.util.Locale.ROOT), Kind.STRING));
    add(m, Function.of("toLower", (a, c) -> ((String) a.getFirst()).toLowerCase(java.util.Locale.ROOT), Kind.STRING));
    add(m, Function.of("graphLink", (a, c) -> graphLink((String) a.getFirst(), 0), Kind.STRING));
    add(m, Function.of("tableLink", (a, c) -> graphLink((String) a.getFirst(), 1), Kind.STRING));
    add(m, Function.of("sortByLabel", PrometheusFunctions::sortByLabel, Kind.STRING, Kind.QUERY_RESULT));
    add(m, Function.of("stripPort", (a, c) -> stripPort((String) a.getFirst()), Kind.STRING));
    add(m, Function.of("stripDomain", (a, c) -> stripDomain((String) a.getFirst()), Kind.STRING));
    add(m, Function.of("humanize", (a, c) -> humanize(toFloat(a.getFirst())), Kind.ANY));
    add(m, Function.of("humanize1024", (a, c) -> humanize1024(toFloat(a.getFirst())), Kind.ANY));
    add(m, Function.of("humanizeDuration", (a, c) -> humanizeDuration(toFloat(a.getFirst())), Kind.ANY));
    add(m, Function.of("humanizePercentage", (a, c) -> g4(toFloat(a.getFirst()) * 100) + "%", Kind.ANY));
    add(m, Function.of("humanizeTimestamp", (a, c) -> humanizeTimestamp(toFloat(a.getFirst())), Kind.ANY));
    add(m, Function.of("toTime", (a, c) -> toTime(toFloat(a.getFirst())), Kind.ANY));
    add(m, Function.of("toDuration", (a, c) -> new GoDuration(goInt64(toFloat(a.getFirst()) * 1e9)), Kind.ANY));
    add(m, Function.of("pathPrefix", (a, c) -> c.pathPrefix()));
    add(m, Function.of("externalURL", (a, c) -> c.externalUrl()));
    add(m, Function.of("parseDuration", (a, c) -> parseDuration((String) a.getFirst()), Kind.STRING));
    add(m, Function.of("urlQueryEscape", (a, c) -> GoText.queryEscape((String) a.getFirst()), Kind.STRING));
    return m;
  }

  private static void add(Map<String, Function> m, Function f) {
    m.put(f.name(), f);
  }

  /** A nil *sample dereferenced is a Go runtime panic, which Prometheus recovers at the top. */
  private static Sample sample(Object v) {
    if (v instanceof Sample s) {
      return s;
    }
    throw new Panic("runtime error: invalid memory address or nil pointer dereference", true);
  }

  private static Object first(List<Object> a, Function.Context c) throws Failure {
    QueryResult q = (QueryResult) a.getFirst();
    if (q.samples().isEmpty()) {
      throw new Failure("first() called on vector with no elements");
    }
    return q.samples().getFirst();
  }

  private static Object args(List<Object> a, Function.Context c) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < a.size(); i++) {
      m.put("arg" + i, a.get(i));
    }
    return GoMap.ofAny(m);
  }

  private static Object sortByLabel(List<Object> a, Function.Context c) {
    String label = (String) a.get(0);
    List<Sample> sorted = new ArrayList<>(((QueryResult) a.get(1)).samples());
    sorted.sort(Comparator.comparing(s -> s.labels().entries().getOrDefault(label, "").toString()));
    return new QueryResult(sorted);
  }

  private static Pattern compile(String pattern) throws Failure {
    try {
      return Pattern.compile(pattern);
    } catch (PatternSyntaxException e) {
      throw new Failure(regexpError(e));
    }
  }

  /** Go's syntax.Error text: {@code error parsing regexp: missing closing ): `(`}. */
  static String regexpError(PatternSyntaxException e) {
    return "error parsing regexp: " + e.getDescription() + ": `" + e.getPattern() + "`";
  }

  /** regexp's quote: back quotes when possible, else a Go-quoted string. */
  private static String backquote(String s) {
    boolean ok = s.indexOf('`') < 0 && s.chars().allMatch(ch -> ch == '\t' || (ch >= 0x20 && ch != 0x7f));
    return ok ? "`" + s + "`" : GoText.quote(s);
  }

  /** Go's Regexp.ReplaceAllString: $1, ${1}, $name, ${name}, $$; empty matches next to a match skipped. */
  static String reReplaceAll(String pattern, String repl, String text) {
    Pattern p;
    try {
      p = Pattern.compile(pattern);
    } catch (PatternSyntaxException e) {
      // regexp.MustCompile panics; Prometheus reports the recovered panic value
      throw new Panic("regexp: Compile(" + backquote(pattern) + "): " + regexpError(e), false);
    }
    Matcher m = p.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    int last = 0;
    int lastMatchEnd = -1;
    int search = 0;
    while (search <= text.length() && m.find(search)) {
      int s = m.start();
      int e = m.end();
      if (e == s && s == lastMatchEnd) {
        // Go ignores an empty match right after the previous match
        if (s >= text.length()) {
          break;
        }
        search = s + Character.charCount(text.codePointAt(s));
        continue;
      }
      out.append(text, last, s);
      expand(out, repl, m);
      last = e;
      lastMatchEnd = e;
      search = e > s ? e : (e < text.length() ? e + Character.charCount(text.codePointAt(e)) : e + 1);
    }
    out.append(text, last, text.length());
    return out.toString();
  }

  private static void expand(StringBuilder out, String template, Matcher m) {
    int i = 0;
    int n = template.length();
    while (i < n) {
      char c = template.charAt(i);
      if (c != '$') {
        out.append(c);
        i++;
        continue;
      }
      if (i + 1 < n && template.charAt(i + 1) == '$') {
        out.append('$');
        i += 2;
        continue;
      }
      int nameStart;
      int nameEnd;
      int after;
      if (i + 1 < n && template.charAt(i + 1) == '{') {
        nameStart = i + 2;
        nameEnd = nameStart;
        while (nameEnd < n && isNameChar(template.charAt(nameEnd))) {
          nameEnd++;
        }
        if (nameEnd == nameStart || nameEnd >= n || template.charAt(nameEnd) != '}') {
          out.append('$');
          i++;
          continue;
        }
        after = nameEnd + 1;
      } else {
        nameStart = i + 1;
        nameEnd = nameStart;
        while (nameEnd < n && isNameChar(template.charAt(nameEnd))) {
          nameEnd++;
        }
        if (nameEnd == nameStart) {
          out.append('$');
          i++;
          continue;
        }
        after = nameEnd;
      }
      String name = template.substring(nameStart, nameEnd);
      String group = null;
      if (name.chars().allMatch(Character::isDigit)) {
        try {
          int num = Integer.parseInt(name);
          if (num <= m.groupCount()) {
            group = m.group(num);
          }
        } catch (NumberFormatException e) {
          // too large: no such group
        }
      } else {
        try {
          group = m.group(name);
        } catch (RuntimeException e) {
          // no group of that name
        }
      }
      if (group != null) {
        out.append(group);
      }
      i = after;
    }
  }

  private static boolean isNameChar(char c) {
    return c == '_' || Character.isLetterOrDigit(c);
  }

  /** cases.Title with NoLower: the first letter of each word upper-cased, the rest untouched. */
  static String title(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    boolean inWord = false;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      int len = Character.charCount(cp);
      boolean wordChar = Character.isLetterOrDigit(cp) || cp == '_';
      // ' . : between letters join words (Unicode's MidLetter/MidNumLet), as in "o'neil" or "foo.bar"
      boolean joiner = (cp == '\'' || cp == '.' || cp == ':' || cp == '\u2019') && inWord && i + len < s.length()
          && Character.isLetterOrDigit(s.codePointAt(i + len));
      if (wordChar && !inWord) {
        sb.appendCodePoint(Character.toTitleCase(cp));
      } else {
        sb.appendCodePoint(cp);
      }
      inWord = wordChar || joiner;
      i += len;
    }
    return sb.toString();
  }

  /** strutil.GraphLinkForExpression / TableLinkForExpression. */
  static String graphLink(String expr, int tab) {
    return "/graph?g0.expr=" + GoText.queryEscape(expr) + "&g0.tab=" + tab;
  }

  /** host of net.SplitHostPort, or the input when it has no port. */
  static String stripPort(String hostPort) {
    String[] hp = splitHostPort(hostPort);
    return hp == null ? hostPort : hp[0];
  }

  static String stripDomain(String hostPort) {
    String[] hp = splitHostPort(hostPort);
    String host = hp == null ? hostPort : hp[0];
    String port = hp == null ? "" : hp[1];
    if (isIp(host)) {
      return hostPort;
    }
    int dot = host.indexOf('.');
    host = dot < 0 ? host : host.substring(0, dot);
    if (!port.isEmpty()) {
      return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
    return host;
  }

  /** Go's net.SplitHostPort: {host, port}, or null on error. */
  static String[] splitHostPort(String hp) {
    int i = hp.lastIndexOf(':');
    if (i < 0) {
      return null;
    }
    String host;
    int j = 0;
    int k = 0;
    if (hp.startsWith("[")) {
      int end = hp.indexOf(']');
      if (end < 0 || end + 1 == hp.length() || end + 1 != i) {
        return null;
      }
      host = hp.substring(1, end);
      j = 1;
      k = end + 1;
    } else {
      host = hp.substring(0, i);
      if (host.indexOf(':') >= 0) {
        return null;
      }
    }
    if (hp.indexOf('[', j) >= 0 || hp.indexOf(']', k) >= 0) {
      return null;
    }
    return new String[] {host, hp.substring(i + 1)};
  }

  /** Go's net.ParseIP succeeds: dotted-quad IPv4 or IPv6 without zone. */
  static boolean isIp(String s) {
    if (s.indexOf(':') >= 0) {
      if (s.indexOf('%') >= 0) {
        return false;
      }
      try {
        Inet6Address.ofLiteral(s);
        return true;
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(ch -> ch >= '0' && ch <= '9')
          || (p.length() > 1 && p.charAt(0) == '0') || Integer.parseInt(p) > 255) {
        return false;
      }
    }
    return true;
  }

  /** prometheus/common's ConvertToFloat. */
  static double toFloat(Object v) throws Failure {
    return switch (v) {
      case Double d -> d;
      case Long l -> l;
      case String s -> {
        try {
          yield GoFloat.parseFloat(s);
        } catch (NumberFormatException e) {
          throw new Failure(e.getMessage());
        }
      }
      case GoDuration d -> d.nanos() / 1e9;
      default -> throw new Failure("can't convert " + GoValues.typeName(v) + " to float");
    };
  }

  private static String g4(double v) {
    return GoFormat.sprintf("%.4g", List.of(v));
  }

  static String humanize(double v) {
    if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
      return g4(v);
    }
    String prefix = "";
    if (Math.abs(v) >= 1) {
      for (String p : BIG) {
        if (Math.abs(v) < 1000) {
          break;
        }
        prefix = p;
        v /= 1000;
      }
      return g4(v) + prefix;
    }
    for (String p : SMALL) {
      if (Math.abs(v) >= 1) {
        break;
      }
      prefix = p;
      v *= 1000;
    }
    return g4(v) + prefix;
  }

  static String humanize1024(double v) {
    if (Math.abs(v) <= 1 || Double.isNaN(v) || Double.isInfinite(v)) {
      return g4(v);
    }
    String prefix = "";
    for (String p : BINARY) {
      if (Math.abs(v) < 1024) {
        break;
      }
      prefix = p;
      v /= 1024;
    }
    return g4(v) + prefix;
  }

  static String humanizeDuration(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return g4(v);
    }
    if (v == 0) {
      return g4(v) + "s";
    }
    if (Math.abs(v) >= 1) {
      String sign = "";
      if (v < 0) {
        sign = "-";
        v = -v;
      }
      long duration = goInt64(v);
      long seconds = duration % 60;
      long minutes = duration / 60 % 60;
      long hours = duration / 60 / 60 % 24;
      long days = duration / 60 / 60 / 24;
      if (days != 0) {
        return sign + days + "d " + hours + "h " + minutes + "m " + seconds + "s";
      }
      if (hours != 0) {
        return sign + hours + "h " + minutes + "m " + seconds + "s";
      }
      if (minutes != 0) {
        return sign + minutes + "m " + seconds + "s";
      }
      return sign + g4(v) + "s";
    }
    String prefix = "";
    for (String p : SMALL) {
      if (Math.abs(v) >= 1) {
        break;
      }
      prefix = p;
      v *= 1000;
    }
    return g4(v) + prefix + "s";
  }

  static String humanizeTimestamp(double v) throws Failure {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return g4(v);
    }
    return GoValues.timeString(toTime(v));
  }

  /** Prometheus's floatToTime: seconds to a UTC time of millisecond precision. */
  static GoTime toTime(double v) throws Failure {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      throw new Failure("value is NaN or Inf");
    }
    double ns = v * 1e9;
    if (ns > 9.223372036854775807e18 || ns < -9.223372036854775808e18) {
      throw new Failure(GoFloat.formatG(v) + " cannot be represented as a nanoseconds timestamp since it overflows int64");
    }
    long ms = (long) ns / 1_000_000; // model.TimeFromUnixNano truncates to milliseconds
    return new GoTime(Math.floorDiv(ms, 1000), (int) Math.floorMod(ms, 1000) * 1_000_000);
  }

  /** Go's float64 to int64 conversion (truncation), saturated instead of undefined out of range. */
  static long goInt64(double v) {
    return (long) v;
  }

  static double parseDuration(String s) throws Failure {
    try {
      return PromDuration.parse(s).millis() / 1000.0;
    } catch (IllegalArgumentException e) {
      throw new Failure(e.getMessage());
    }
  }
}
