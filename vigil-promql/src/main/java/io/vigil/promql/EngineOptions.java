package io.vigil.promql;

import io.vigil.promql.parser.ParserOptions;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of an {@link Engine}. Use {@link #DEFAULTS} (Prometheus's defaults) and the with-ers.
 *
 * @param lookbackDelta how far back an instant selector looks for a sample (--query.lookback-delta, 5m)
 * @param timeout the longest a query may run (--query.timeout, 2m); zero means no limit
 * @param maxSamples the most samples a query may hold in memory (--query.max-samples, 50,000,000)
 * @param maxConcurrency queries evaluated at once (--query.max-concurrency, 20); others wait in a queue
 * @param defaultSubqueryStep the step of subqueries written without one, e.g. {@code [5m:]} (1m)
 * @param parserOptions experimental syntax; {@code experimentalFunctions} also enables the
 *     experimental functions (--enable-feature=promql-experimental-functions)
 * @param delayedNameRemoval drop __name__ only when the query finishes
 *     (--enable-feature=promql-delayed-name-removal); off by default as in Prometheus
 * @param queryLogFile where to append one JSON line per query (global.query_log_file), or null
 */
public record EngineOptions(Duration lookbackDelta, Duration timeout, long maxSamples, int maxConcurrency,
    Duration defaultSubqueryStep, ParserOptions parserOptions, boolean delayedNameRemoval, Path queryLogFile) {
  public static final EngineOptions DEFAULTS = new EngineOptions(Duration.ofMinutes(5), Duration.ofMinutes(2),
      50_000_000L, 20, Duration.ofMinutes(1), ParserOptions.DEFAULT, false, null);

  public EngineOptions {
    if (lookbackDelta.isNegative() || lookbackDelta.isZero()) {
      throw new IllegalArgumentException("lookback delta must be positive");
    }
    if (maxConcurrency < 1) {
      throw new IllegalArgumentException("max concurrency must be at least 1");
    }
    if (defaultSubqueryStep.isNegative() || defaultSubqueryStep.isZero()) {
      throw new IllegalArgumentException("default subquery step must be positive");
    }
  }

  public EngineOptions withLookbackDelta(Duration d) {
    return new EngineOptions(d, timeout, maxSamples, maxConcurrency, defaultSubqueryStep, parserOptions,
        delayedNameRemoval, queryLogFile);
  }

  public EngineOptions withTimeout(Duration d) {
    return new EngineOptions(lookbackDelta, d, maxSamples, maxConcurrency, defaultSubqueryStep, parserOptions,
        delayedNameRemoval, queryLogFile);
  }

  public EngineOptions withMaxSamples(long n) {
    return new EngineOptions(lookbackDelta, timeout, n, maxConcurrency, defaultSubqueryStep, parserOptions,
        delayedNameRemoval, queryLogFile);
  }

  public EngineOptions withMaxConcurrency(int n) {
    return new EngineOptions(lookbackDelta, timeout, maxSamples, n, defaultSubqueryStep, parserOptions,
        delayedNameRemoval, queryLogFile);
  }

  public EngineOptions withParserOptions(ParserOptions p) {
    return new EngineOptions(lookbackDelta, timeout, maxSamples, maxConcurrency, defaultSubqueryStep, p,
        delayedNameRemoval, queryLogFile);
  }

  public EngineOptions withDelayedNameRemoval(boolean b) {
    return new EngineOptions(lookbackDelta, timeout, maxSamples, maxConcurrency, defaultSubqueryStep, parserOptions,
        b, queryLogFile);
  }

  public EngineOptions withQueryLogFile(Path p) {
    return new EngineOptions(lookbackDelta, timeout, maxSamples, maxConcurrency, defaultSubqueryStep, parserOptions,
        delayedNameRemoval, p);
  }
}
