package io.vigil.exposition;

import io.vigil.model.LabelNames;
import io.vigil.model.Labels;

/** What the two text writers share: escaping, label blocks, name checks. */
final class TextEscaping {
  private TextEscaping() {}

  /**
   * Appends {@code s} as UTF-8 with {@code \\} and newline escaped, and {@code "} too when
   * {@code quote} (label values always; HELP only in OpenMetrics), as client_golang does.
   */
  static void writeEscaped(ByteSink out, String s, boolean quote) {
    int n = s.length();
    out.ensure(n);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        if (c == '\\') {
          out.write('\\').write('\\');
        } else if (c == '\n') {
          out.write('\\').write('n');
        } else if (c == '"' && quote) {
          out.write('\\').write('"');
        } else {
          out.write(c);
        }
      } else if (c < 0x800) {
        out.write(0xc0 | (c >> 6)).write(0x80 | (c & 0x3f));
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        out.write(0xf0 | (cp >> 18)).write(0x80 | ((cp >> 12) & 0x3f)).write(0x80 | ((cp >> 6) & 0x3f))
            .write(0x80 | (cp & 0x3f));
      } else if (Character.isSurrogate(c)) {
        out.write('?'); // an unpaired surrogate has no UTF-8 form; String.getBytes writes '?' too
      } else {
        out.write(0xe0 | (c >> 12)).write(0x80 | ((c >> 6) & 0x3f)).write(0x80 | (c & 0x3f));
      }
    }
  }

  /**
   * Appends {@code name}, then the labels as {@code {a="1",b="2"}} with the extra label (le or
   * quantile, or null) last, as client_golang orders them; nothing after the name when there are no
   * labels at all.
   */
  static void writeSeries(ByteSink out, String name, String suffix, Labels labels, String extraName,
      ByteSink extraValue) {
    out.writeAscii(name);
    if (suffix != null) {
      out.writeAscii(suffix);
    }
    if (labels.isEmpty() && extraName == null) {
      return;
    }
    out.write('{');
    for (int i = 0; i < labels.size(); i++) {
      String ln = labels.name(i);
      if (!LabelNames.isValidLabelName(ln) || ln.equals(extraName)) {
        throw new IllegalArgumentException("label name " + LabelNames.quote(ln) + " cannot be written on " + name);
      }
      if (i > 0) {
        out.write(',');
      }
      out.writeAscii(ln).write('=').write('"');
      writeEscaped(out, labels.value(i), true);
      out.write('"');
    }
    if (extraName != null) {
      if (!labels.isEmpty()) {
        out.write(',');
      }
      out.writeAscii(extraName).write('=').write('"');
      out.write(extraValue.array(), 0, extraValue.size());
      out.write('"');
    }
    out.write('}');
  }
}
