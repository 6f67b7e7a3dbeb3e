package io.vigil.web.api;

import java.time.Instant;

/**
 * What {@code /api/v1/status/runtimeinfo} reports; the field names follow Prometheus's (the Go
 * runtime fields carry their JVM counterparts: goroutineCount = live threads, GOMAXPROCS = available
 * processors, GOMEMLIMIT = max heap bytes).
 *
 * @param lastConfigTime when the configuration was last loaded successfully
 * @param storageRetention e.g. "15d", or "15d or 10GiB"
 */
public record RuntimeInfo(Instant startTime, String cwd, boolean reloadConfigSuccess, Instant lastConfigTime,
    long corruptionCount, int goroutineCount, int gomaxprocs, long gomemlimit, String gogc, String godebug,
    String storageRetention) {
  /** What this JVM can tell about itself; the server fills in config and storage facts. */
  public static RuntimeInfo ofThisJvm(Instant startTime, boolean reloadConfigSuccess, Instant lastConfigTime,
      String storageRetention) {
    return new RuntimeInfo(startTime, System.getProperty("user.dir"), reloadConfigSuccess, lastConfigTime, 0,
        java.lang.management.ManagementFactory.getThreadMXBean().getThreadCount(), Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory(), "", "",
        storageRetention);
  }
}
