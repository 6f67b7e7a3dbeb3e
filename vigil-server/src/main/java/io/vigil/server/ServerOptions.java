package io.vigil.server;

import io.vigil.config.ByteSize;
import io.vigil.config.PromDuration;
import io.vigil.web.ListenAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Everything `vigil server` was told on the command line, typed. The defaults live on the flags
 * (see {@link ServerCommand}); {@code flags} keeps every flag's effective value as text for
 * /api/v1/status/flags.
 *
 * @param configFile null: use the embedded default configuration
 * @param pushListenAddress a second listener serving a drop-in Pushgateway surface, or null
 * @param pushGroupTtl pushed groups not refreshed for this long are deleted; 0 = never (Pushgateway)
 */
public record ServerOptions(
    Path configFile,
    Path tsdbPath,
    PromDuration retentionTime,
    ByteSize retentionSize,
    PromDuration outOfOrderTimeWindow,
    ListenAddress listenAddress,
    Path webConfigFile,
    boolean enableAdminApi,
    boolean enableLifecycle,
    boolean enableRemoteWriteReceiver,
    String externalUrl,
    ByteSize maxRequestBodySize,
    PromDuration lookbackDelta,
    PromDuration queryTimeout,
    int queryMaxSamples,
    int queryMaxConcurrency,
    LogLevel logLevel,
    LogFormat logFormat,
    Set<String> features,
    ListenAddress pushListenAddress,
    PromDuration pushGroupTtl,
    PromDuration forOutageTolerance,
    PromDuration forGracePeriod,
    PromDuration resendDelay,
    Map<String, String> flags) {

  public ServerOptions {
    features = Set.copyOf(features);
    flags = Map.copyOf(flags);
  }

  public boolean featureEnabled(String name) {
    return features.contains(name);
  }
}
