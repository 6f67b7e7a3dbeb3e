package io.vigil.web.api;

import io.vigil.model.Labels;
import io.vigil.model.Matcher;
import java.util.List;

/** Stored exemplars for {@code /api/v1/query_exemplars}. Thread-safe. */
@FunctionalInterface
public interface ExemplarSource {
  /** No exemplar storage: every query finds none. */
  ExemplarSource EMPTY = (mint, maxt, selectors) -> List.of();

  /**
   * Exemplars in [mint, maxt] (ms) of series matching any of the selectors (each a list of matchers
   * that must all match).
   */
  List<ExemplarSeries> select(long mint, long maxt, List<List<Matcher>> selectors);

  record ExemplarSeries(Labels seriesLabels, List<Exemplar> exemplars) {
    public ExemplarSeries {
      exemplars = List.copyOf(exemplars);
    }
  }

  record Exemplar(Labels labels, double value, long timestampMs) {}
}
