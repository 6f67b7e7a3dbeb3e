package io.vigil.push;

import io.vigil.exposition.ByteSink;
import io.vigil.exposition.GoFloat;
import io.vigil.exposition.MetricFamily;
import io.vigil.exposition.MetricPoint;
import io.vigil.exposition.PointValue;
import io.vigil.model.Labels;
import io.vigil.model.MetricType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The Pushgateway's {@code GET /metrics}: text format 0.0.4 of every group merged into one family
 * per name, mixed with the server's own metrics, byte for byte as Pushgateway 1.5.1 writes it
 * (client_golang's gatherer and expfmt): families sorted by name; {@code # HELP} when there is one
 * (of the most recent push of that family, where the Pushgateway takes whichever group its map order
 * gives), {@code # TYPE} always; series sorted as client_golang sorts them (fewer labels first, then
 * by label values in label-name order); label names sorted with {@code le}/{@code quantile} last;
 * every series of a group without an {@code instance} label carries {@code instance=""}; values in
 * Go's shortest format; plus {@code push_time_seconds} and {@code push_failure_time_seconds} per
 * group with the Pushgateway's HELP texts.
 *
 * <p>Why not {@link io.vigil.exposition.PromTextWriter}: its points hold {@link Labels}, which (as
 * everywhere in Vigil) cannot hold the empty {@code instance=""} the Pushgateway writes.
 */
final class PushgatewayExposition {
  static final String PUSH_TIME_HELP = "Last Unix time when changing this group in the Pushgateway succeeded.";
  static final String PUSH_FAILURE_HELP = "Last Unix time when changing this group in the Pushgateway failed.";
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private PushgatewayExposition() {}

  /** One exposed metric: label pairs (name, value, ...) sorted by name, possibly with empty values. */
  private record Row(String[] pairs, PointValue value) {}

  private static final class Family {
    final MetricType type;
    String help;
    long helpTimeNanos = Long.MIN_VALUE;
    final List<Row> rows = new ArrayList<>();

    Family(MetricType type) {
      this.type = type;
    }
  }

  /**
   * Writes {@code groups} (in key order, which breaks HELP ties deterministically) and the server's
   * own families. An own family whose name a pushed family took with another type is left out; with
   * the same type their series are merged (push-time checks keep that from happening).
   */
  static void write(Collection<PushGroup> groups, List<MetricFamily> own, ByteSink out) {
    TreeMap<String, Family> families = new TreeMap<>();
    Family pushTime = new Family(MetricType.GAUGE);
    pushTime.help = PUSH_TIME_HELP;
    Family failureTime = new Family(MetricType.GAUGE);
    failureTime.help = PUSH_FAILURE_HELP;
    for (PushGroup g : groups) {
      boolean addInstance = g.key().lacksInstance();
      for (PushedFamily f : g.families()) {
        Family fam = families.computeIfAbsent(f.name(), n -> new Family(f.type()));
        if (fam.type != f.type()) {
          continue; // the store's checks prevent this; never let it garble the output
        }
        if (f.timeNanos() >= fam.helpTimeNanos) {
          fam.help = f.help();
          fam.helpTimeNanos = f.timeNanos();
        }
        for (MetricPoint p : f.points()) {
          fam.rows.add(new Row(pairs(p.labels(), addInstance), p.value()));
        }
      }
      String[] keyPairs = pairs(g.key().labels(), addInstance);
      pushTime.rows.add(new Row(keyPairs, new PointValue.Scalar(PushGroup.seconds(g.pushTimeNanos()))));
      failureTime.rows.add(new Row(keyPairs, new PointValue.Scalar(PushGroup.seconds(g.failureTimeNanos()))));
    }
    if (!pushTime.rows.isEmpty()) {
      families.put(PushBody.PUSH_TIME, pushTime);
      families.put(PushBody.PUSH_FAILURE_TIME, failureTime);
    }
    for (MetricFamily f : own) {
      mergeOwn(families, f);
    }
    for (Map.Entry<String, Family> e : families.entrySet()) {
      writeFamily(out, e.getKey(), e.getValue());
    }
  }

  private static void mergeOwn(TreeMap<String, Family> families, MetricFamily f) {
    MetricType type = PushedFamily.storedType(f.type());
    Family fam = families.get(f.name());
    Set<List<String>> taken = new HashSet<>();
    if (fam == null) {
      fam = new Family(type);
      fam.help = f.help();
      families.put(f.name(), fam);
    } else if (fam.type != type) {
      return;
    } else {
      for (Row r : fam.rows) {
        taken.add(List.of(r.pairs));
      }
    }
    for (MetricPoint p : f.points()) {
      String[] pairs = pairs(p.labels(), false);
      if (taken.isEmpty() || !taken.contains(List.of(pairs))) {
        fam.rows.add(new Row(pairs, p.value()));
      }
    }
  }

  /** The labels as pairs, with {@code instance=""} inserted in sorted position when asked and absent. */
  private static String[] pairs(Labels labels, boolean addInstance) {
    addInstance &= !labels.has(GroupingKey.INSTANCE);
    String[] out = new String[(labels.size() + (addInstance ? 1 : 0)) * 2];
    int j = 0;
    for (int i = 0; i < labels.size(); i++) {
      if (addInstance && labels.name(i).compareTo(GroupingKey.INSTANCE) > 0) {
        out[j++] = GroupingKey.INSTANCE;
        out[j++] = "";
        addInstance = false;
      }
      out[j++] = labels.name(i);
      out[j++] = labels.value(i);
    }
    if (addInstance) {
      out[j++] = GroupingKey.INSTANCE;
      out[j] = "";
    }
    return out;
  }

  /**
   * client_golang's MetricSorter: fewer labels first, then label values compared in label-name order
   * as Go compares strings (by UTF-8 bytes). Go leaves full ties in any order; names break them here.
   */
  private static int compareRows(Row a, Row b) {
    if (a.pairs.length != b.pairs.length) {
      return Integer.compare(a.pairs.length, b.pairs.length);
    }
    for (int i = 1; i < a.pairs.length; i += 2) {
      int c = compareUtf8(a.pairs[i], b.pairs[i]);
      if (c != 0) {
        return c;
      }
    }
    for (int i = 0; i < a.pairs.length; i += 2) {
      int c = a.pairs[i].compareTo(b.pairs[i]);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  /** Order of the UTF-8 encodings, which is code point order (String.compareTo is UTF-16 order). */
  static int compareUtf8(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  private static void writeFamily(ByteSink out, String name, Family f) {
    if (f.rows.isEmpty()) {
      return;
    }
    f.rows.sort(PushgatewayExposition::compareRows);
    if (f.help != null) {
      out.writeAscii("# HELP ").writeAscii(name).write(' ').writeUtf8(escape(f.help, false)).write('\n');
    }
    out.writeAscii("# TYPE ").writeAscii(name).write(' ').writeAscii(PushBody.typeWord(f.type)).write('\n');
    for (Row r : f.rows) {
      switch (r.value) {
        case PointValue.Scalar s -> line(out, name, "", r.pairs, null, 0, s.value());
        case PointValue.Histogram h -> {
          for (PointValue.Bucket b : h.buckets()) {
            line(out, name, "_bucket", r.pairs, "le", b.upperBound(), b.cumulativeCount());
          }
          line(out, name, "_sum", r.pairs, null, 0, h.sum());
          line(out, name, "_count", r.pairs, null, 0, h.count());
        }
        case PointValue.Summary s -> {
          for (PointValue.Quantile q : s.quantiles()) {
            line(out, name, "", r.pairs, "quantile", q.quantile(), q.value());
          }
          line(out, name, "_sum", r.pairs, null, 0, s.sum());
          line(out, name, "_count", r.pairs, null, 0, s.count());
        }
      }
    }
  }

  private static void line(ByteSink out, String name, String suffix, String[] pairs, String extra, double extraValue,
      double value) {
    out.writeAscii(name).writeAscii(suffix);
    if (pairs.length > 0 || extra != null) {
      out.write('{');
      for (int i = 0; i < pairs.length; i += 2) {
        if (i > 0) {
          out.write(',');
        }
        out.writeAscii(pairs[i]).write('=').write('"').writeUtf8(escape(pairs[i + 1], true)).write('"');
      }
      if (extra != null) {
        if (pairs.length > 0) {
          out.write(',');
        }
        out.writeAscii(extra).write('=').write('"');
        GoFloat.append(out, extraValue);
        out.write('"');
      }
      out.write('}');
    }
    out.write(' ');
    GoFloat.append(out, value);
    out.write('\n');
  }

  /** Backslash and newline escaped, and the double quote too in label values (expfmt's rules). */
  private static String escape(String s, boolean quote) {
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '\\' || c == '\n' || (quote && c == '"')) {
        break;
      }
      i++;
    }
    if (i == s.length()) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length() + 8).append(s, 0, i);
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '"' -> sb.append(quote ? "\\\"" : "\"");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  /** The sample names the own families occupy, for the push-time checks. */
  static Map<String, NameClaims.Claim> claims(List<MetricFamily> own) {
    Map<String, NameClaims.Claim> m = new HashMap<>();
    for (MetricFamily f : own) {
      MetricType t = PushedFamily.storedType(f.type());
      for (String n : NameClaims.claimed(f.name(), t)) {
        m.putIfAbsent(n, new NameClaims.Claim(f.name(), t));
      }
    }
    return m;
  }
}
