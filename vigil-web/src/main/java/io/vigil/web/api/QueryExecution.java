package io.vigil.web.api;

import io.vigil.promql.Query;
import io.vigil.promql.QueryException;
import io.vigil.promql.Result;
import io.vigil.storage.StorageException;
import io.vigil.web.HttpExchange;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one prepared query for a request: cancels it when the client goes away or when the request's
 * {@code timeout} passes (the engine's own --query.timeout applies as well, so the shorter wins), and
 * turns failures into Prometheus's error types and texts.
 */
final class QueryExecution {
  private static final String CANCELED_PREFIX = "query was canceled in ";

  private QueryExecution() {}

  /**
   * @param timeoutNanos the request's timeout, or a negative number for none
   * @throws ApiError canceled (499), timeout (503), execution (422), bad_data or internal
   */
  static Result run(HttpExchange ex, Query query, long timeoutNanos, ScheduledExecutorService timers) {
    long started = System.nanoTime();
    AtomicBoolean timedOut = new AtomicBoolean();
    ScheduledFuture<?> timer = null;
    AutoCloseable clientWatch = ex.onClientGone(query::cancel);
    try {
      if (timeoutNanos >= 0) {
        timer = timers.schedule(() -> {
          timedOut.set(true);
          query.cancel();
        }, timeoutNanos, TimeUnit.NANOSECONDS);
        // Prometheus checks its deadline once more before it evaluates anything.
        if (System.nanoTime() - started >= timeoutNanos) {
          throw new ApiError(ApiError.Type.TIMEOUT, "query timed out in query execution");
        }
      }
      return query.execute();
    } catch (QueryException e) {
      throw toApiError(e, timedOut.get());
    } catch (StorageException e) {
      throw ApiError.internal(e.getMessage());
    } catch (StackOverflowError e) {
      // The evaluator recurses per nesting level of the expression.
      throw new ApiError(ApiError.Type.EXECUTION, QueryApi.TOO_DEEP);
    } finally {
      if (timer != null) {
        timer.cancel(false);
      }
      closeQuietly(clientWatch);
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // stopping a watch cannot fail in a way the response should know about
    }
  }

  static ApiError toApiError(QueryException e, boolean requestTimedOut) {
    String msg = e.getMessage();
    return switch (e.kind()) {
      case EXECUTION -> new ApiError(ApiError.Type.EXECUTION, msg);
      case TIMEOUT -> new ApiError(ApiError.Type.TIMEOUT, msg);
      case BAD_DATA -> ApiError.badData(msg);
      case CANCELED -> requestTimedOut
          // Our timer cancelled it: to the client this is the deadline passing, as in Prometheus.
          ? new ApiError(ApiError.Type.TIMEOUT, "query timed out in "
              + (msg.startsWith(CANCELED_PREFIX) ? msg.substring(CANCELED_PREFIX.length()) : "expression evaluation"))
          : new ApiError(ApiError.Type.CANCELED, msg);
    };
  }
}
