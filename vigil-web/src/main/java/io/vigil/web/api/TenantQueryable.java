package io.vigil.web.api;

import io.vigil.model.Matcher;
import io.vigil.storage.LabelHints;
import io.vigil.storage.Querier;
import io.vigil.storage.Queryable;
import io.vigil.storage.SelectHints;
import io.vigil.storage.SeriesSet;
import java.util.Arrays;
import java.util.List;

/**
 * A view of a Queryable that only ever sees one tenant's series: the tenant matcher is added to
 * every select and label lookup. The second line of defence behind {@link TenantEnforcer}, so that
 * no code path (a function that selects on its own, a label lookup without matchers) can read past
 * the tenant.
 */
record TenantQueryable(Queryable inner, Matcher tenant) implements Queryable {
  @Override
  public Querier querier(long mint, long maxt) {
    Querier q = inner.querier(mint, maxt);
    return new Querier() {
      @Override
      public SeriesSet select(boolean sortSeries, SelectHints hints, Matcher... matchers) {
        return q.select(sortSeries, hints, with(matchers));
      }

      @Override
      public List<String> labelValues(String name, LabelHints hints, Matcher... matchers) {
        return q.labelValues(name, hints, with(matchers));
      }

      @Override
      public List<String> labelNames(LabelHints hints, Matcher... matchers) {
        return q.labelNames(hints, with(matchers));
      }

      @Override
      public void close() {
        q.close();
      }
    };
  }

  private Matcher[] with(Matcher[] matchers) {
    Matcher[] all = Arrays.copyOf(matchers, matchers.length + 1);
    all[matchers.length] = tenant;
    return all;
  }
}
