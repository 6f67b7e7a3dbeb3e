package io.vigil.promql;

import java.util.List;

/**
 * A successful query's answer.
 *
 * @param value the value (a {@link Matrix} for range queries)
 * @param warnings annotations starting "PromQL warning: " (and storage warnings)
 * @param infos annotations starting "PromQL info: "
 */
public record Result(Value value, List<String> warnings, List<String> infos, QueryStats stats) {
  public Result {
    warnings = List.copyOf(warnings);
    infos = List.copyOf(infos);
  }
}
