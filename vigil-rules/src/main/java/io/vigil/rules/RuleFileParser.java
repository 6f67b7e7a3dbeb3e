package io.vigil.rules;

import io.vigil.config.ConfigError;
import io.vigil.config.MappingReader;
import io.vigil.config.Problems;
import io.vigil.config.PromDuration;
import io.vigil.config.YamlNode;
import io.vigil.config.YamlTree;
import io.vigil.model.LabelNames;
import io.vigil.model.Labels;
import io.vigil.promql.parser.Expr;
import io.vigil.promql.parser.ParseException;
import io.vigil.promql.parser.ParserOptions;
import io.vigil.promql.parser.PromqlParser;
import io.vigil.rules.template.AlertTemplate;
import io.vigil.rules.template.TemplateException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads Prometheus rule files (rulefmt) in two passes, as Prometheus does: the YAML structure first
 * (types, unknown fields, durations; any error there stops the file), then the rules' meaning, all
 * problems reported at once with promtool's wording and positions: empty or repeated group names,
 * expressions that do not parse, record and alert both or neither set, fields a recording rule must
 * not have, invalid names, templates that do not parse. Stateless and thread-safe.
 */
public final class RuleFileParser {
  private final ParserOptions promqlOptions;

  /** @param promqlOptions the PromQL syntax accepted in expressions (the engine's) */
  public RuleFileParser(ParserOptions promqlOptions) {
    this.promqlOptions = promqlOptions;
  }

  private record RawRule(YamlNode node, YamlNode record, YamlNode alert, YamlNode expr, long forMs,
      long keepFiringForMs, Map<String, String> labels, Map<String, String> annotations) {}

  private record RawGroup(YamlNode node, String name, long intervalMs, long queryOffsetMs, int limit,
      Map<String, String> labels, List<RawRule> rules) {}

  /** Parses {@code text} read from {@code file} (the name is used in messages and kept in the groups). */
  public RuleFile parse(String file, String text) {
    Problems problems = new Problems(file);
    YamlNode root = YamlTree.read(text, problems);
    List<RawGroup> raw = new ArrayList<>();
    if (root != null) {
      MappingReader r = MappingReader.of(root, "", problems);
      raw = r.list("groups", (n, path) -> group(n, path, problems));
      r.finish();
    }
    if (problems.hasErrors()) {
      List<RuleFileError> errors = new ArrayList<>();
      for (ConfigError e : problems.errors()) {
        String where = e.path().isEmpty() ? "" : e.path() + ": ";
        errors.add(RuleFileError.at(file, e.line(), e.column(), where + e.message()));
      }
      return new RuleFile(file, List.of(), errors, List.of());
    }
    return validate(file, raw);
  }

  // ---- pass 1: structure ----

  private static RawGroup group(YamlNode n, String path, Problems p) {
    MappingReader g = MappingReader.ofItem(n, path, p, "empty or null rule group");
    if (g == null) {
      return null;
    }
    String name = g.string("name", "");
    long interval = g.duration("interval", PromDuration.ZERO).millis();
    long queryOffset = g.has("query_offset") ? g.duration("query_offset", PromDuration.ZERO).millis() : -1;
    g.take("query_offset");
    int limit = signedInt(g, "limit", p);
    Map<String, String> labels = g.stringMap("labels");
    List<RawRule> rules = g.list("rules", (rn, rpath) -> rule(rn, rpath, p));
    g.finish();
    return new RawGroup(n, name, interval, queryOffset, limit, labels, rules);
  }

  private static int signedInt(MappingReader r, String key, Problems p) {
    YamlNode n = r.take(key);
    if (YamlNode.isNull(n)) {
      return 0;
    }
    if (n instanceof YamlNode.Scalar s && s.plain()) {
      try {
        return Integer.parseInt(s.text().replace("_", ""));
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    p.error(n, r.path(key), "expected an integer, got " + n.describe());
    return 0;
  }

  private static RawRule rule(YamlNode n, String path, Problems p) {
    MappingReader r = MappingReader.ofItem(n, path, p, "empty or null rule");
    if (r == null) {
      return null;
    }
    YamlNode record = r.take("record");
    YamlNode alert = r.take("alert");
    YamlNode expr = r.take("expr");
    for (String key : List.of("record", "alert", "expr")) {
      YamlNode v = r.at(key);
      if (r.has(key) && !(v instanceof YamlNode.Scalar)) {
        r.error(key, "expected a string, got " + v.describe());
      }
    }
    long forMs = r.duration("for", PromDuration.ZERO).millis();
    long keepFiringFor = r.duration("keep_firing_for", PromDuration.ZERO).millis();
    Map<String, String> labels = r.stringMap("labels");
    Map<String, String> annotations = r.stringMap("annotations");
    r.finish();
    return new RawRule(n, record, alert, expr, forMs, keepFiringFor, labels, annotations);
  }

  private static String text(YamlNode n) {
    return n instanceof YamlNode.Scalar s && !s.isNull() ? s.text() : "";
  }

  // ---- pass 2: meaning ----

  private RuleFile validate(String file, List<RawGroup> raw) {
    List<RuleFileError> errors = new ArrayList<>();
    List<RuleGroupSpec> groups = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (RawGroup g : raw) {
      if (g.name().isEmpty()) {
        errors.add(RuleFileError.at(file, g.node().line(), g.node().column(), "Groupname must not be empty"));
      }
      if (!names.add(g.name())) {
        errors.add(RuleFileError.at(file, g.node().line(), g.node().column(),
            "groupname: \"" + g.name() + "\" is repeated in the same file"));
      }
      labelErrors(g.labels(), message -> errors.add(RuleFileError.unpositioned(file, message)));
      List<RuleSpec> rules = new ArrayList<>();
      for (int i = 0; i < g.rules().size(); i++) {
        RawRule r = g.rules().get(i);
        String ruleName = !text(r.alert()).isEmpty() ? text(r.alert()) : text(r.record());
        String context = "group " + GoQuoted.of(g.name()) + ", rule " + (i + 1) + ", " + GoQuoted.of(ruleName) + ": ";
        RuleSpec spec = rule(file, r, context, errors);
        if (spec != null) {
          rules.add(spec);
        }
      }
      groups.add(new RuleGroupSpec(g.name(), file, g.intervalMs(), g.queryOffsetMs(), Math.max(0, g.limit()),
          Labels.fromMap(validOnly(g.labels())), rules));
    }
    if (!errors.isEmpty()) {
      return new RuleFile(file, List.of(), errors, List.of());
    }
    return new RuleFile(file, groups, List.of(), duplicates(groups));
  }

  /** Validates one rule (appending errors in promtool's order); returns it when it is valid. */
  private RuleSpec rule(String file, RawRule r, String context, List<RuleFileError> errors) {
    int before = errors.size();
    String record = text(r.record());
    String alert = text(r.alert());
    String exprText = text(r.expr());
    if (!record.isEmpty() && !alert.isEmpty()) {
      errors.add(new RuleFileError(file, true, line(r.record()), col(r.record()), line(r.alert()), col(r.alert()),
          context + "only one of 'record' and 'alert' must be set"));
    }
    if (record.isEmpty() && alert.isEmpty()) {
      errors.add(RuleFileError.at(file, line(r.record()), col(r.record()),
          context + "one of 'record' or 'alert' must be set"));
    }
    Expr parsed = null;
    if (exprText.isEmpty()) {
      errors.add(RuleFileError.at(file, line(r.expr()), col(r.expr()), context + "field 'expr' must be set in rule"));
    } else {
      try {
        parsed = PromqlParser.parse(exprText, promqlOptions);
      } catch (ParseException e) {
        errors.add(RuleFileError.at(file, line(r.expr()), col(r.expr()),
            context + "could not parse expression: " + e.getMessage()));
      }
    }
    if (!record.isEmpty()) {
      if (!r.annotations().isEmpty()) {
        errors.add(RuleFileError.at(file, line(r.record()), col(r.record()),
            context + "invalid field 'annotations' in recording rule"));
      }
      if (r.forMs() != 0) {
        errors.add(RuleFileError.at(file, line(r.record()), col(r.record()), context + "invalid field 'for' in recording rule"));
      }
      if (r.keepFiringForMs() != 0) {
        errors.add(RuleFileError.at(file, line(r.record()), col(r.record()),
            context + "invalid field 'keep_firing_for' in recording rule"));
      }
      if (!LabelNames.isValidMetricName(record)) {
        errors.add(RuleFileError.at(file, line(r.record()), col(r.record()),
            context + "invalid recording rule name: " + record));
      }
    }
    labelErrors(r.labels(), message -> errors.add(RuleFileError.unpositioned(file, context + message)));
    for (String name : r.annotations().keySet()) {
      if (!LabelNames.isValidLabelName(name)) {
        errors.add(RuleFileError.unpositioned(file, context + "invalid annotation name: " + name));
      }
    }
    Map<String, AlertTemplate> labelTemplates = new LinkedHashMap<>();
    Map<String, AlertTemplate> annotationTemplates = new LinkedHashMap<>();
    if (!alert.isEmpty()) {
      compileAll(file, alert, "label", r.labels(), labelTemplates, context, errors);
      compileAll(file, alert, "annotation", r.annotations(), annotationTemplates, context, errors);
    }
    if (errors.size() > before) {
      return null;
    }
    Labels labels = Labels.fromMap(r.labels());
    if (!record.isEmpty()) {
      return new RuleSpec.Recording(record, exprText, parsed, labels);
    }
    return new RuleSpec.Alerting(alert, exprText, parsed, r.forMs(), r.keepFiringForMs(), labels,
        Labels.fromMap(r.annotations()), labelTemplates, annotationTemplates);
  }

  private static void compileAll(String file, String alert, String kind, Map<String, String> values,
      Map<String, AlertTemplate> out, String context, List<RuleFileError> errors) {
    for (var e : values.entrySet()) {
      try {
        out.put(e.getKey(), AlertTemplate.compile(alert, e.getValue()));
      } catch (TemplateException ex) {
        errors.add(RuleFileError.unpositioned(file, context + kind + " " + GoQuoted.of(e.getKey()) + ": "
            + ex.getMessage()));
      }
    }
  }

  private static void labelErrors(Map<String, String> labels, java.util.function.Consumer<String> report) {
    for (String name : labels.keySet()) {
      if (!LabelNames.isValidLabelName(name) || name.equals(Labels.METRIC_NAME)) {
        report.accept("invalid label name: " + name);
      }
    }
  }

  private static Map<String, String> validOnly(Map<String, String> labels) {
    Map<String, String> out = new TreeMap<>();
    labels.forEach((k, v) -> {
      if (LabelNames.isValidLabelName(k) && !k.equals(Labels.METRIC_NAME)) {
        out.put(k, v);
      }
    });
    return out;
  }

  /** Prometheus prints a missing node's position as 0:0. */
  private static int line(YamlNode n) {
    return n == null ? 0 : n.line();
  }

  private static int col(YamlNode n) {
    return n == null ? 0 : n.column();
  }

  /** promtool's duplicate-rules lint: recording rules with the same name and labels in one file. */
  private static List<String> duplicates(List<RuleGroupSpec> groups) {
    Map<String, Integer> seen = new TreeMap<>();
    Map<String, RuleSpec> first = new LinkedHashMap<>();
    for (RuleGroupSpec g : groups) {
      for (RuleSpec r : g.rules()) {
        if (r instanceof RuleSpec.Recording rec) {
          String key = rec.name() + rec.labels();
          seen.merge(key, 1, Integer::sum);
          first.putIfAbsent(key, rec);
        }
      }
    }
    List<RuleSpec> dups = new ArrayList<>();
    seen.forEach((key, count) -> {
      if (count > 1) {
        dups.add(first.get(key));
      }
    });
    if (dups.isEmpty()) {
      return List.of();
    }
    StringBuilder sb = new StringBuilder().append(dups.size()).append(" duplicate rule(s) found.\n");
    for (RuleSpec r : dups) {
      sb.append("Metric: ").append(r.name()).append("\nLabel(s):\n");
      r.labels().forEach((k, v) -> sb.append('\t').append(k).append(": ").append(v).append('\n'));
    }
    sb.append("Might cause inconsistency while recording expressions");
    return List.of(sb.toString());
  }

  /** Go's %q of a string. */
  private static final class GoQuoted {
    static String of(String s) {
      return LabelNames.quote(s);
    }
  }
}
