package io.vigil.bench.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The results of one run: rows of measurements per server (median with min–max over the
 * repetitions), the correctness findings, and the run's context (date, machine, versions, scale).
 * Rendered as markdown for people and as JSON for the next run's regression check.
 */
final class Report {
  /** A measurement over {@code n} repetitions; {@code note} explains a missing value. */
  record Cell(double median, double min, double max, int n, String note) {
    static final Cell NOT_AVAILABLE = new Cell(Double.NaN, Double.NaN, Double.NaN, 0, "n/a");

    static Cell of(double v) {
      return new Cell(v, v, v, 1, null);
    }

    static Cell na(String why) {
      return new Cell(Double.NaN, Double.NaN, Double.NaN, 0, why);
    }

    boolean present() {
      return n > 0 && !Double.isNaN(median);
    }
  }

  /**
   * One measured quantity. {@code id} is stable across runs (the regression check matches on it);
   * cells are keyed by {@link ServerKind#key}.
   */
  record Row(String id, String section, String label, String unit, boolean lowerIsBetter, Map<String, Cell> cells,
      String note) {}

  final Map<String, Object> context = new LinkedHashMap<>();
  final List<Row> rows = new ArrayList<>();
  /** Differences in query results or sample counts between servers: possible bugs, listed precisely. */
  final List<String> mismatches = new ArrayList<>();
  /** Correctness checks that failed (samples not accepted, counts off): these fail the run. */
  final List<String> failures = new ArrayList<>();
  final List<String> notes = new ArrayList<>();

  void add(String id, String section, String label, String unit, boolean lowerIsBetter, Map<ServerKind, Cell> cells,
      String note) {
    Map<String, Cell> byKey = new LinkedHashMap<>();
    cells.forEach((k, v) -> byKey.put(k.key, v));
    rows.add(new Row(id, section, label, unit, lowerIsBetter, byKey, note));
  }

  /** Vigil's standing against the best peer of a row, e.g. "1.8x better"; null if either is missing. */
  static String standing(Row r) {
    Cell v = r.cells().get(ServerKind.VIGIL.key);
    Double best = null;
    for (Map.Entry<String, Cell> e : r.cells().entrySet()) {
      if (!e.getKey().equals(ServerKind.VIGIL.key) && e.getValue().present()) {
        double m = e.getValue().median();
        if (best == null || (r.lowerIsBetter() ? m < best : m > best)) {
          best = m;
        }
      }
    }
    if (v == null || !v.present() || best == null || best == 0 || v.median() == 0) {
      return null;
    }
    double factor = r.lowerIsBetter() ? best / v.median() : v.median() / best;
    return factor >= 1 ? fmt(factor) + "x better" : fmt(1 / factor) + "x worse";
  }

  String markdown() {
    StringBuilder sb = new StringBuilder();
    String section = null;
    List<ServerKind> columns = List.of();
    for (Row r : rows) {
      if (!r.section().equals(section)) {
        section = r.section();
        columns = columnsOf(section);
        sb.append("\n**").append(section).append("**\n\n| | ");
        columns.forEach(k -> sb.append(k.display).append(" | "));
        sb.append("Vigil vs best peer |\n|---|");
        columns.forEach(k -> sb.append("---|"));
        sb.append("---|\n");
      }
      sb.append("| ").append(r.label()).append(r.unit().isEmpty() ? "" : " (" + r.unit() + ")").append(" | ");
      for (ServerKind k : columns) {
        sb.append(cellText(r.cells().get(k.key))).append(" | ");
      }
      String st = standing(r);
      sb.append(st == null ? "" : st).append(r.note() == null ? "" : (st == null ? "" : "; ") + r.note()).append(" |\n");
    }
    if (!failures.isEmpty()) {
      sb.append("\n**Failed checks**\n\n");
      failures.forEach(f -> sb.append("- ").append(f).append('\n'));
    }
    if (!mismatches.isEmpty()) {
      sb.append("\n**Result mismatches between servers**\n\n");
      mismatches.forEach(f -> sb.append("- ").append(f).append('\n'));
    }
    if (!notes.isEmpty()) {
      sb.append("\n**Notes**\n\n");
      notes.forEach(f -> sb.append("- ").append(f).append('\n'));
    }
    return sb.toString();
  }

  private List<ServerKind> columnsOf(String section) {
    Set<ServerKind> present = EnumSet.noneOf(ServerKind.class);
    for (Row r : rows) {
      if (r.section().equals(section)) {
        for (ServerKind k : ServerKind.values()) {
          if (r.cells().containsKey(k.key)) {
            present.add(k);
          }
        }
      }
    }
    return List.copyOf(present);
  }

  static String cellText(Cell c) {
    if (c == null) {
      return "";
    }
    if (!c.present()) {
      return c.note() == null ? "n/a" : c.note();
    }
    String s = fmt(c.median());
    if (c.n() > 1 && fmt(c.min()).compareTo(fmt(c.max())) != 0) {
      s += " (" + fmt(c.min()) + "–" + fmt(c.max()) + ")";
    }
    return c.note() == null ? s : s + " " + c.note();
  }

  /** Three significant digits, thousands separated; large values without decimals. */
  static String fmt(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    double a = Math.abs(v);
    if (a >= 100) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    if (a >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    if (a >= 1 || a == 0) {
      return String.format(Locale.ROOT, "%.2f", v);
    }
    return String.format(Locale.ROOT, "%.3g", v);
  }

  Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>(context);
    m.put("rows", rows);
    m.put("failures", failures);
    m.put("mismatches", mismatches);
    m.put("notes", notes);
    return m;
  }

  void write(Path json, Path markdown, String title) throws IOException {
    Files.createDirectories(json.getParent());
    Files.writeString(json, Http.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(toJson()) + "\n");
    Files.writeString(markdown, "# " + title + "\n\n" + contextMarkdown() + markdown());
  }

  String contextMarkdown() {
    StringBuilder sb = new StringBuilder();
    context.forEach((k, v) -> sb.append("- ").append(k).append(": ").append(v).append('\n'));
    return sb.toString();
  }
}
