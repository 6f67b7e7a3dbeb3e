package io.vigil.promql.engine;

import io.vigil.promql.QueryException;
import io.vigil.storage.Querier;
import io.vigil.storage.Queryable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Everything one query evaluation needs besides the expression: the storage, the settings, the
 * query's time range (for @ start()/end()), annotations, sample accounting and cancellation.
 * Confined to the thread that evaluates the query, except {@link #cancel()}.
 */
public final class EvalContext {
  final Queryable queryable;
  final long lookbackMs;
  final long defaultSubqueryStepMs;
  final boolean delayedNameRemoval;
  final long maxSamples;
  final long queryStartMs;
  final long queryEndMs;
  final long queryStepMs;
  final long deadlineNanos;
  final String timeoutText;
  public final Annotations annotations = new Annotations();
  private final AtomicBoolean canceled = new AtomicBoolean();
  private final List<Querier> queriers = new ArrayList<>();
  private long currentSamples;
  private long peakSamples;
  private long totalSamples;

  public EvalContext(Queryable queryable, long lookbackMs, long defaultSubqueryStepMs, boolean delayedNameRemoval,
      long maxSamples, long queryStartMs, long queryEndMs, long queryStepMs, long deadlineNanos, String timeoutText) {
    this.queryable = queryable;
    this.lookbackMs = lookbackMs;
    this.defaultSubqueryStepMs = defaultSubqueryStepMs;
    this.delayedNameRemoval = delayedNameRemoval;
    this.maxSamples = maxSamples;
    this.queryStartMs = queryStartMs;
    this.queryEndMs = queryEndMs;
    this.queryStepMs = queryStepMs;
    this.deadlineNanos = deadlineNanos;
    this.timeoutText = timeoutText;
  }

  /** Opens a querier that is closed with the context. */
  Querier querier(long mint, long maxt) {
    Querier q = queryable.querier(mint, maxt);
    queriers.add(q);
    return q;
  }

  /** Requests cancellation; the evaluation notices at its next check. Thread-safe. */
  public void cancel() {
    canceled.set(true);
  }

  /** Throws if the query was canceled or ran out of time. Cheap: call in loops. */
  public void check() {
    if (canceled.get()) {
      throw new QueryException(QueryException.Kind.CANCELED, "query was canceled in " + timeoutText);
    }
    if (deadlineNanos != 0 && System.nanoTime() - deadlineNanos > 0) {
      throw new QueryException(QueryException.Kind.TIMEOUT, "query timed out in " + timeoutText);
    }
  }

  /** Accounts for samples held in memory; fails the query past the limit. */
  void addSamples(long n) {
    currentSamples += n;
    totalSamples += n;
    if (currentSamples > peakSamples) {
      peakSamples = currentSamples;
    }
    if (maxSamples > 0 && currentSamples > maxSamples) {
      throw new QueryException(QueryException.Kind.EXECUTION,
          "query processing would load too many samples into memory in query execution");
    }
  }

  void releaseSamples(long n) {
    currentSamples -= n;
  }

  public long peakSamples() {
    return peakSamples;
  }

  public long totalSamples() {
    return totalSamples;
  }

  /** Closes every querier opened for this query. */
  public void close() {
    for (Querier q : queriers) {
      try {
        q.close();
      } catch (RuntimeException e) {
        // closing is best effort; the query result is already decided
      }
    }
    queriers.clear();
  }
}
