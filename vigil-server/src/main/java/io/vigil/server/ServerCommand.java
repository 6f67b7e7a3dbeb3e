package io.vigil.server;

import io.vigil.config.ByteSize;
import io.vigil.config.PromDuration;
import io.vigil.web.ListenAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil server}: flags named like Prometheus's, then run until SIGTERM/SIGINT. */
@Command(name = "server", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Start the Vigil server (defaults: listen on :9090, data in ./data, embedded config).")
final class ServerCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(ServerCommand.class);

  @Spec
  CommandSpec spec;

  @Option(names = "--config.file", paramLabel = "FILE",
      description = "Configuration file (Prometheus format). Default: the embedded config, which scrapes Vigil itself every 15s.")
  Path configFile;

  @Option(names = "--storage.tsdb.path", paramLabel = "DIR", defaultValue = "data/",
      description = "Base path for metrics storage. Default: ${DEFAULT-VALUE}")
  Path tsdbPath;

  @Option(names = "--storage.tsdb.retention.time", paramLabel = "DURATION", defaultValue = "15d",
      converter = FlagConverters.Duration.class, description = "How long to retain samples. Default: ${DEFAULT-VALUE}")
  PromDuration retentionTime;

  @Option(names = "--storage.tsdb.retention.size", paramLabel = "SIZE", defaultValue = "0B",
      converter = FlagConverters.Size.class,
      description = "Maximum bytes of storage blocks to retain (units B, KB, MB, GB, TB, PB, EB); 0 = no limit. Default: ${DEFAULT-VALUE}")
  ByteSize retentionSize;

  @Option(names = "--storage.tsdb.out-of-order-time-window", paramLabel = "DURATION", defaultValue = "0s",
      converter = FlagConverters.Duration.class,
      description = "Accept out-of-order samples this much older than a series' newest one. Default: ${DEFAULT-VALUE} (reject)")
  PromDuration outOfOrderTimeWindow;

  @Option(names = "--web.listen-address", paramLabel = "ADDR", defaultValue = "0.0.0.0:9090",
      converter = FlagConverters.Address.class, description = "Address to listen on. Default: ${DEFAULT-VALUE}")
  ListenAddress listenAddress;

  @Option(names = "--web.config.file", paramLabel = "FILE",
      description = "Web configuration file: TLS, basic auth, bearer tokens with roles and tenants.")
  Path webConfigFile;

  @Option(names = "--web.enable-admin-api", negatable = true, description = "Enable the admin API (snapshots, series deletion).")
  boolean enableAdminApi;

  @Option(names = "--web.enable-lifecycle", negatable = true, description = "Enable shutdown and reload via HTTP (/-/quit, /-/reload).")
  boolean enableLifecycle;

  @Option(names = "--web.enable-remote-write-receiver", negatable = true, description = "Accept remote write on /api/v1/write.")
  boolean enableRemoteWriteReceiver;

  @Option(names = "--web.external-url", paramLabel = "URL", defaultValue = "",
      description = "The URL under which Vigil is reachable from outside (alert links). Default: derived from the listen address.")
  String externalUrl;

  @Option(names = "--web.max-request-body-size", paramLabel = "SIZE", defaultValue = "32MiB",
      converter = FlagConverters.Size.class,
      description = "Largest accepted request body after decompression. Default: ${DEFAULT-VALUE}")
  ByteSize maxRequestBodySize;

  @Option(names = "--query.lookback-delta", paramLabel = "DURATION", defaultValue = "5m",
      converter = FlagConverters.Duration.class,
      description = "How far back an instant selector looks for the latest sample. Default: ${DEFAULT-VALUE}")
  PromDuration lookbackDelta;

  @Option(names = "--query.timeout", paramLabel = "DURATION", defaultValue = "2m",
      converter = FlagConverters.Duration.class, description = "Maximum time a query may take. Default: ${DEFAULT-VALUE}")
  PromDuration queryTimeout;

  @Option(names = "--query.max-samples", paramLabel = "N", defaultValue = "50000000",
      converter = FlagConverters.PositiveInt.class,
      description = "Maximum number of samples one query may load into memory. Default: ${DEFAULT-VALUE}")
  int queryMaxSamples;

  @Option(names = "--query.max-concurrency", paramLabel = "N", defaultValue = "20",
      converter = FlagConverters.PositiveInt.class,
      description = "Maximum number of queries executed concurrently; more wait in a queue. Default: ${DEFAULT-VALUE}")
  int queryMaxConcurrency;

  @Option(names = "--log.level", paramLabel = "LEVEL", defaultValue = "info",
      description = "Only log messages at or above this level: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}")
  LogLevel logLevel;

  @Option(names = "--log.format", paramLabel = "FORMAT", defaultValue = "logfmt",
      description = "Log format: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}")
  LogFormat logFormat;

  @Option(names = "--push.listen-address", paramLabel = "ADDR", converter = FlagConverters.Address.class,
      description = "Also serve a drop-in Pushgateway (push API and GET /metrics of the pushed groups) here, e.g. :9091.")
  ListenAddress pushListenAddress;

  @Option(names = "--push.group-ttl", paramLabel = "DURATION", defaultValue = "0s", converter = FlagConverters.Duration.class,
      description = "Delete pushed groups not refreshed for this long (their series go stale); 0 keeps them until "
          + "deleted, as the Pushgateway does. Per group: ?ttl=<duration> on the push. Default: ${DEFAULT-VALUE}")
  PromDuration pushGroupTtl;

  @Option(names = "--rules.alert.for-outage-tolerance", paramLabel = "DURATION", defaultValue = "1h",
      converter = FlagConverters.Duration.class,
      description = "Max time to tolerate an outage when restoring the 'for' state of alerts. Default: ${DEFAULT-VALUE}")
  PromDuration forOutageTolerance;

  @Option(names = "--rules.alert.for-grace-period", paramLabel = "DURATION", defaultValue = "10m",
      converter = FlagConverters.Duration.class,
      description = "Minimum time between an alert's activation and its firing after a restart. Default: ${DEFAULT-VALUE}")
  PromDuration forGracePeriod;

  @Option(names = "--rules.alert.resend-delay", paramLabel = "DURATION", defaultValue = "1m",
      converter = FlagConverters.Duration.class,
      description = "Minimum wait before resending an alert to Alertmanager. Default: ${DEFAULT-VALUE}")
  PromDuration resendDelay;

  @Option(names = "--enable-feature", paramLabel = "FEATURE", split = ",",
      description = "Comma-separated experimental features, e.g. promql-experimental-functions.")
  List<String> features = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    Logging.configure(logLevel, logFormat);
    ServerOptions options = toOptions();
    VigilServer server = new VigilServer(options);
    try {
      server.start();
    } catch (Exception e) {
      log.atError().setCause(e).log("Vigil failed to start");
      server.close();
      return 1;
    }
    Signals.install(server);
    server.awaitStopRequest();
    server.close();
    return 0;
  }

  ServerOptions toOptions() {
    return new ServerOptions(configFile, tsdbPath, retentionTime, retentionSize, outOfOrderTimeWindow, listenAddress,
        webConfigFile, enableAdminApi, enableLifecycle, enableRemoteWriteReceiver, externalUrl, maxRequestBodySize,
        lookbackDelta, queryTimeout, queryMaxSamples, queryMaxConcurrency, logLevel, logFormat,
        new HashSet<>(features), pushListenAddress, pushGroupTtl, forOutageTolerance,
        forGracePeriod, resendDelay, flagValues());
  }

  /** Every flag and its effective value as text, names without the leading dashes, as Prometheus lists them. */
  private Map<String, String> flagValues() {
    Map<String, String> flags = new TreeMap<>();
    for (OptionSpec o : spec.options()) {
      String name = o.longestName();
      if (o.usageHelp() || o.versionHelp()) {
        continue;
      }
      Object v = o.getValue();
      String text = v == null ? "" : v instanceof List<?> l ? String.join(",", l.stream().map(String::valueOf).toList()) : v.toString();
      flags.put(name.replaceFirst("^--", ""), text);
    }
    return flags;
  }
}
