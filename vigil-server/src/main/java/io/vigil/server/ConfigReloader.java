package io.vigil.server;

import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.config.Config;
import io.vigil.config.ConfigException;
import io.vigil.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the running configuration and replaces it on reload (SIGHUP, POST /-/reload). A new file
 * that does not load, or that a component refuses, leaves the old configuration running, logs why
 * and sets vigil_config_last_reload_successful to 0 — as Prometheus does with its own gauge.
 */
final class ConfigReloader {
  private static final Logger log = LoggerFactory.getLogger(ConfigReloader.class);

  /** A component that takes (part of) a new configuration; throws to refuse it. */
  interface Applier {
    String name();

    void apply(Config config) throws Exception;
  }

  private final Path file;
  private final List<Applier> appliers = new CopyOnWriteArrayList<>();
  private final Gauge lastSuccessful;
  private final Gauge lastSuccessTimestamp;
  private volatile Config current;
  private volatile boolean lastReloadSuccessful = true;
  private volatile java.time.Instant lastSuccessTime = java.time.Instant.now();

  ConfigReloader(Path file, PrometheusRegistry registry) {
    this.file = file;
    lastSuccessful = Gauge.builder()
        .name("vigil_config_last_reload_successful")
        .help("Whether the last configuration reload attempt was successful.")
        .register(registry);
    lastSuccessTimestamp = Gauge.builder()
        .name("vigil_config_last_reload_success_timestamp_seconds")
        .help("Timestamp of the last successful configuration reload.")
        .unit(io.prometheus.metrics.model.snapshots.Unit.SECONDS)
        .register(registry);
  }

  /** The file's name for logs and the status page; "(embedded default)" without one. */
  String source() {
    return file == null ? "(embedded default)" : file.toString();
  }

  Config current() {
    return current;
  }

  void addApplier(Applier applier) {
    appliers.add(applier);
  }

  /** Loads the configuration at startup; a bad file here is fatal (the caller exits 1). */
  Config loadInitial() throws ConfigException, IOException {
    Config config = read();
    current = config;
    markSuccess();
    return config;
  }

  /** Applies the current configuration to every registered component (at startup, after wiring). */
  void applyCurrent() throws Exception {
    for (Applier a : appliers) {
      a.apply(current);
    }
  }

  /**
   * Reads the file again and applies it.
   *
   * @return null on success, else the reason (also logged)
   */
  synchronized String reload() {
    log.atInfo().addKeyValue("filename", source()).log("Loading configuration file");
    Config config;
    try {
      config = read();
    } catch (ConfigException | IOException e) {
      markFailure();
      String reason = e.getMessage();
      log.atError().addKeyValue("filename", source()).addKeyValue("err", reason)
          .log("Error reloading config; keeping the previous configuration");
      return reason;
    }
    StringBuilder failures = new StringBuilder();
    for (Applier a : appliers) {
      try {
        a.apply(config);
      } catch (Exception e) {
        failures.append(a.name()).append(": ").append(e.getMessage()).append("; ");
        log.atError().setCause(e).addKeyValue("component", a.name()).log("Failed to apply configuration");
      }
    }
    if (!failures.isEmpty()) {
      markFailure();
      return "one or more errors occurred while applying the new configuration: " + failures.toString().stripTrailing();
    }
    current = config;
    markSuccess();
    log.atInfo().addKeyValue("filename", source()).log("Completed loading of configuration file");
    return null;
  }

  private Config read() throws ConfigException, IOException {
    Config config = file == null ? ConfigLoader.defaultConfig() : new ConfigLoader().load(file);
    for (var warning : config.warnings()) {
      log.atWarn().log(warning.toString());
    }
    return config;
  }

  boolean lastReloadSuccessful() {
    return lastReloadSuccessful;
  }

  java.time.Instant lastSuccessTime() {
    return lastSuccessTime;
  }

  private void markFailure() {
    lastReloadSuccessful = false;
    lastSuccessful.set(0);
  }

  private void markSuccess() {
    lastReloadSuccessful = true;
    lastSuccessTime = java.time.Instant.now();
    lastSuccessful.set(1);
    lastSuccessTimestamp.set(lastSuccessTime.toEpochMilli() / 1000.0);
  }
}
