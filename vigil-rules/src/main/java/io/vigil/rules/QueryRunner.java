package io.vigil.rules;

import io.vigil.model.Labels;
import io.vigil.promql.Engine;
import io.vigil.promql.QueryException;
import io.vigil.promql.Result;
import io.vigil.promql.Scalar;
import io.vigil.promql.Vector;
import io.vigil.promql.parser.Expr;
import io.vigil.promql.parser.ParseException;
import io.vigil.rules.template.AlertTemplate;
import io.vigil.storage.Queryable;
import io.vigil.storage.StorageException;
import java.util.ArrayList;
import java.util.List;

/**
 * Prometheus's EngineQueryFunc: an instant query whose result must be a vector (a scalar becomes a
 * one-sample vector without labels). Thread-safe.
 */
final class QueryRunner {
  private final Engine engine;
  private final Queryable queryable;

  QueryRunner(Engine engine, Queryable queryable) {
    this.engine = engine;
    this.queryable = queryable;
  }

  /** The result as a vector at {@code timeMs}. */
  Vector query(Expr expr, long timeMs) throws RuleEvalException {
    try {
      Result r = engine.instantQuery(queryable, expr, timeMs).execute();
      return switch (r.value()) {
        case Vector v -> v;
        case Scalar s -> new Vector(s.timestampMs(), List.of(Labels.EMPTY), new double[] {s.value()});
        default -> throw new RuleEvalException("rule result is not a vector or scalar");
      };
    } catch (QueryException | StorageException e) {
      throw new RuleEvalException(e.getMessage());
    }
  }

  /** The query function of templates ({{ query "..." }}). */
  AlertTemplate.QueryFunction templateQueries() {
    return (text, timeMs) -> {
      Expr e;
      try {
        e = engine.parse(text);
      } catch (ParseException ex) {
        throw new RuleEvalException(ex.getMessage());
      }
      Vector v = query(e, timeMs);
      List<AlertTemplate.QueryResultSample> out = new ArrayList<>(v.size());
      for (int i = 0; i < v.size(); i++) {
        out.add(new AlertTemplate.QueryResultSample(v.labels().get(i), v.values()[i]));
      }
      return out;
    };
  }
}
