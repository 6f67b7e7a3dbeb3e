package io.vigil.web.api;

import io.vigil.model.Labels;
import io.vigil.model.Matcher;
import io.vigil.web.HttpExchange;
import io.vigil.web.Tenant;
import io.vigil.web.api.RulesRetriever.Alert;
import io.vigil.web.api.RulesRetriever.AlertingRule;
import io.vigil.web.api.RulesRetriever.RecordingRule;
import io.vigil.web.api.RulesRetriever.Rule;
import io.vigil.web.api.RulesRetriever.RuleGroup;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import tools.jackson.core.JsonGenerator;

/**
 * rules and alerts. A tenant sees only rules whose labels carry its label value and only alerts
 * whose labels do.
 */
final class RulesApi {
  private final RulesRetriever rules;

  RulesApi(RulesRetriever rules) {
    this.rules = rules;
  }

  private static boolean visible(Labels labels, Tenant tenant) {
    return tenant == null || labels.get(tenant.label()).equals(tenant.value());
  }

  void alerts(HttpExchange ex) throws IOException {
    Tenant tenant = ex.attribute(Tenant.class);
    List<Alert> alerts = new ArrayList<>();
    for (RuleGroup grp : rules.ruleGroups()) {
      for (Rule r : grp.rules()) {
        if (r instanceof AlertingRule ar) {
          ar.alerts().stream().filter(a -> visible(a.labels(), tenant)).forEach(alerts::add);
        }
      }
    }
    ApiResponses.success(ex, g -> {
      g.writeStartObject();
      g.writeName("alerts");
      alertArray(g, alerts);
      g.writeEndObject();
    });
  }

  void rules(HttpExchange ex) throws IOException {
    Set<String> names = new HashSet<>(ex.params("rule_name[]"));
    Set<String> groups = new HashSet<>(ex.params("rule_group[]"));
    Set<String> files = new HashSet<>(ex.params("file[]"));
    String type = Params.value(ex, "type").toLowerCase(Locale.ROOT);
    if (!type.isEmpty() && !type.equals("alert") && !type.equals("record")) {
      throw ApiError.invalidParam("type", "not supported value \"" + type + "\"");
    }
    boolean excludeAlerts;
    try {
      String v = Params.value(ex, "exclude_alerts").toLowerCase(Locale.ROOT);
      excludeAlerts = !v.isEmpty() && Params.parseBool(v);
    } catch (IllegalArgumentException e) {
      throw ApiError.invalidParam("exclude_alerts", "error converting exclude_alerts: " + e.getMessage());
    }
    List<List<Matcher>> matchers = MatcherSets.parse(ex.params("match[]"), null,
        msg -> ApiError.invalidParam("match[]", msg));
    Tenant tenant = ex.attribute(Tenant.class);
    List<RuleGroup> out = new ArrayList<>();
    for (RuleGroup grp : rules.ruleGroups()) {
      if ((!groups.isEmpty() && !groups.contains(grp.name())) || (!files.isEmpty() && !files.contains(grp.file()))) {
        continue;
      }
      List<Rule> kept = new ArrayList<>();
      for (Rule r : grp.rules()) {
        boolean typeOk = r instanceof AlertingRule ? !type.equals("record") : !type.equals("alert");
        if (typeOk && (names.isEmpty() || names.contains(r.name())) && matchesAny(r.labels(), matchers)
            && visible(r.labels(), tenant)) {
          kept.add(r);
        }
      }
      // A group whose rules were all filtered out is left out, as in Prometheus.
      if (!kept.isEmpty()) {
        out.add(new RuleGroup(grp.name(), grp.file(), kept, grp.intervalSeconds(), grp.limit(),
            grp.evaluationTimeSeconds(), grp.lastEvaluation()));
      }
    }
    ApiResponses.success(ex, g -> {
      g.writeStartObject();
      g.writeName("groups");
      g.writeStartArray();
      for (RuleGroup grp : out) {
        group(g, grp, excludeAlerts);
      }
      g.writeEndArray();
      g.writeEndObject();
    });
  }

  private static boolean matchesAny(Labels l, List<List<Matcher>> sets) {
    if (sets.isEmpty()) {
      return true;
    }
    outer:
    for (List<Matcher> set : sets) {
      for (Matcher m : set) {
        if (!m.matches(l.get(m.name()))) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static void group(JsonGenerator g, RuleGroup grp, boolean excludeAlerts) {
    g.writeStartObject();
    g.writeStringProperty("name", grp.name());
    g.writeStringProperty("file", grp.file());
    g.writeName("rules");
    g.writeStartArray();
    for (Rule r : grp.rules()) {
      switch (r) {
        case AlertingRule a -> alerting(g, a, excludeAlerts);
        case RecordingRule rr -> recording(g, rr);
      }
    }
    g.writeEndArray();
    g.writeName("interval");
    ApiResponses.goNumber(g, grp.intervalSeconds());
    g.writeNumberProperty("limit", grp.limit());
    g.writeName("evaluationTime");
    ApiResponses.goNumber(g, grp.evaluationTimeSeconds());
    g.writeName("lastEvaluation");
    ApiResponses.time(g, grp.lastEvaluation());
    g.writeEndObject();
  }

  private static void alerting(JsonGenerator g, AlertingRule a, boolean excludeAlerts) {
    g.writeStartObject();
    g.writeStringProperty("state", a.state());
    g.writeStringProperty("name", a.name());
    g.writeStringProperty("query", a.query());
    g.writeName("duration");
    ApiResponses.goNumber(g, a.durationSeconds());
    g.writeName("keepFiringFor");
    ApiResponses.goNumber(g, a.keepFiringForSeconds());
    g.writeName("labels");
    ApiResponses.labels(g, a.labels());
    g.writeName("annotations");
    ApiResponses.labels(g, a.annotations());
    g.writeName("alerts");
    if (excludeAlerts) {
      g.writeNull(); // Go's nil slice
    } else {
      alertArray(g, a.alerts());
    }
    health(g, a.health(), a.lastError(), a.evaluationTimeSeconds(), a.lastEvaluation());
    g.writeStringProperty("type", "alerting");
    g.writeEndObject();
  }

  private static void recording(JsonGenerator g, RecordingRule r) {
    g.writeStartObject();
    g.writeStringProperty("name", r.name());
    g.writeStringProperty("query", r.query());
    if (!r.labels().isEmpty()) { // omitempty
      g.writeName("labels");
      ApiResponses.labels(g, r.labels());
    }
    health(g, r.health(), r.lastError(), r.evaluationTimeSeconds(), r.lastEvaluation());
    g.writeStringProperty("type", "recording");
    g.writeEndObject();
  }

  private static void health(JsonGenerator g, RulesRetriever.Health health, String lastError, double evalSeconds,
      java.time.Instant lastEvaluation) {
    g.writeStringProperty("health", health.text());
    if (lastError != null && !lastError.isEmpty()) { // omitempty
      g.writeStringProperty("lastError", lastError);
    }
    g.writeName("evaluationTime");
    ApiResponses.goNumber(g, evalSeconds);
    g.writeName("lastEvaluation");
    ApiResponses.time(g, lastEvaluation);
  }

  private static void alertArray(JsonGenerator g, List<Alert> alerts) {
    g.writeStartArray();
    for (Alert a : alerts) {
      g.writeStartObject();
      g.writeName("labels");
      ApiResponses.labels(g, a.labels());
      g.writeName("annotations");
      ApiResponses.labels(g, a.annotations());
      g.writeStringProperty("state", a.state());
      g.writeName("activeAt");
      ApiResponses.time(g, a.activeAt());
      if (a.keepFiringSince() != null) {
        g.writeName("keepFiringSince");
        ApiResponses.time(g, a.keepFiringSince());
      }
      g.writeStringProperty("value", PromFormat.exponent(a.value()));
      g.writeEndObject();
    }
    g.writeEndArray();
  }
}
