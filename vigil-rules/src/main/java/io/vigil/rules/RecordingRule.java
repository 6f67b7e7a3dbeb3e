package io.vigil.rules;

import io.vigil.model.Labels;
import io.vigil.promql.Vector;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A recording rule: the query's result under the rule's name and labels. */
final class RecordingRule extends Rule {
  RecordingRule(RuleSpec.Recording spec, Labels labels) {
    super(spec, labels);
  }

  @Override
  Vector eval(long tsMs, long queryOffsetMs, int limit, EvalContext ctx) throws RuleEvalException {
    Vector v = ctx.queries().query(spec.parsed(), tsMs - queryOffsetMs);
    List<Labels> out = new ArrayList<>(v.size());
    Set<Labels> seen = new HashSet<>();
    Labels.Builder b = new Labels.Builder();
    for (Labels l : v.labels()) {
      b.reset(l);
      b.set(Labels.METRIC_NAME, name());
      labels.forEach(b::set);
      Labels result = b.build();
      if (!seen.add(result)) {
        throw new RuleEvalException("vector contains metrics with the same labelset after applying rule labels");
      }
      out.add(result);
    }
    if (limit > 0 && out.size() > limit) {
      throw new RuleEvalException("exceeded limit of " + limit + " with " + out.size() + " series");
    }
    return new Vector(v.timestampMs(), out, v.values());
  }

  @Override
  RuleStatus.Rule status() {
    return new RuleStatus.Recording(name(), query, labels, health(), lastError(), evaluationSeconds(), lastEvaluation());
  }
}
