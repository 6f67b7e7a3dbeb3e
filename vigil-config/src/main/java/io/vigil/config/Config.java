package io.vigil.config;

import io.vigil.model.LabelNames;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A loaded, validated Prometheus-compatible configuration ({@code prometheus.yml}) with every default
 * filled in, as returned by {@link ConfigLoader}. Immutable and thread-safe; {@code equals} compares
 * content, so a reload can tell whether anything changed.
 *
 * @param global defaults and external labels
 * @param alerting Alertmanagers and alert relabeling; {@link AlertingConfig#NONE} when absent
 * @param ruleFiles rule file globs, resolved against the configuration file's directory
 * @param scrapeConfigs scrape jobs, job names unique
 * @param storage reloadable storage settings
 * @param remoteWriteConfigs remote write endpoints
 * @param remoteReadConfigs remote read endpoints
 * @param warnings accepted but unsupported settings (e.g. {@code kubernetes_sd_configs}), for callers
 *     to log or print; never errors
 */
public record Config(
    GlobalConfig global,
    AlertingConfig alerting,
    List<String> ruleFiles,
    List<ScrapeConfig> scrapeConfigs,
    StorageConfig storage,
    List<RemoteWriteConfig> remoteWriteConfigs,
    List<RemoteReadConfig> remoteReadConfigs,
    List<ConfigError> warnings) {

  /** Top-level sections of Prometheus 3 that Vigil accepts and ignores (with a warning). */
  private static final List<String> IGNORED = List.of("runtime", "tracing", "otlp", "scrape_config_files");

  public Config {
    ruleFiles = List.copyOf(ruleFiles);
    scrapeConfigs = List.copyOf(scrapeConfigs);
    remoteWriteConfigs = List.copyOf(remoteWriteConfigs);
    remoteReadConfigs = List.copyOf(remoteReadConfigs);
    warnings = List.copyOf(warnings);
  }

  /** The scrape job with this name, if any. */
  public Optional<ScrapeConfig> scrapeConfig(String jobName) {
    return scrapeConfigs.stream().filter(s -> s.jobName().equals(jobName)).findFirst();
  }

  /**
   * The configuration as Prometheus renders it for {@code /api/v1/status/config}: defaults filled
   * in, fields in Prometheus's order, secrets shown as {@code <secret>}, passwords in URLs as
   * {@code xxxxx}.
   */
  public String toYaml() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("global", global.render());
    Map<String, Object> alertingSection = alerting.render();
    if (!alertingSection.isEmpty()) {
      m.put("alerting", alertingSection);
    }
    if (!ruleFiles.isEmpty()) {
      m.put("rule_files", ruleFiles);
    }
    if (!scrapeConfigs.isEmpty()) {
      m.put("scrape_configs", scrapeConfigs.stream().map(ScrapeConfig::render).toList());
    }
    Map<String, Object> storageSection = storage.render();
    if (!storageSection.isEmpty()) {
      m.put("storage", storageSection);
    }
    if (!remoteWriteConfigs.isEmpty()) {
      m.put("remote_write", remoteWriteConfigs.stream().map(RemoteWriteConfig::render).toList());
    }
    if (!remoteReadConfigs.isEmpty()) {
      m.put("remote_read", remoteReadConfigs.stream().map(RemoteReadConfig::render).toList());
    }
    return YamlWriter.write(m);
  }

  /** Reads a whole document; problems go to {@code ctx}. The result is meaningful only without errors. */
  static Config read(YamlNode root, ReadContext ctx) {
    MappingReader r = MappingReader.of(root, "", ctx.problems());
    GlobalConfig global = r.object("global", g -> GlobalConfig.read(g, ctx));
    AlertingConfig alerting = r.object("alerting", a -> AlertingConfig.read(a, ctx));
    List<String> ruleFiles = r.list("rule_files", (n, path) -> ruleFile(n, path, ctx));
    List<ScrapeConfig> scrape = r.list("scrape_configs", (n, path) -> ScrapeConfig.read(n, path, global, ctx));
    checkUnique(r.at("scrape_configs"), "job_name", "found multiple scrape configs with job name %s",
        ctx.problems(), "scrape_configs");
    StorageConfig storage = r.object("storage", StorageConfig::read);
    List<RemoteWriteConfig> write = r.list("remote_write", (n, path) -> RemoteWriteConfig.read(n, path, ctx));
    checkUnique(r.at("remote_write"), "name", "found multiple remote write configs with job name %s",
        ctx.problems(), "remote_write");
    List<RemoteReadConfig> read = r.list("remote_read", (n, path) -> RemoteReadConfig.read(n, path, ctx));
    checkUnique(r.at("remote_read"), "name", "found multiple remote read configs with job name %s",
        ctx.problems(), "remote_read");
    for (String key : IGNORED) {
      r.ignore(key, key + " is not supported by Vigil and is ignored");
    }
    r.finish();
    return new Config(global, alerting, ruleFiles, scrape, storage, write, read, ctx.problems().warnings());
  }

  /** Prometheus accepts at most one '*', and only in the last path component. */
  private static String ruleFile(YamlNode n, String path, ReadContext ctx) {
    String f = Values.string(n, path, ctx.problems());
    if (f == null) {
      return null;
    }
    int star = f.indexOf('*');
    if (star >= 0 && f.indexOf('/', star) >= 0) {
      ctx.problems().error(n, path, "invalid rule file path " + LabelNames.quote(f));
      return null;
    }
    return ctx.resolve(f);
  }

  /**
   * Reports every repeated non-empty value of {@code field} among the list's items, at the repeated
   * node. Works on the YAML nodes, so items that failed to read for other reasons still count.
   */
  static void checkUnique(YamlNode listNode, String field, String message, Problems problems, String path) {
    if (!(listNode instanceof YamlNode.Sequence seq)) {
      return;
    }
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < seq.items().size(); i++) {
      if (!(seq.items().get(i) instanceof YamlNode.Mapping m) || m.get(field) == null
          || !(m.get(field).value() instanceof YamlNode.Scalar name) || name.isNull() || name.text().isEmpty()) {
        continue;
      }
      Integer first = seen.putIfAbsent(name.text(), i);
      if (first != null) {
        problems.error(name, path + "[" + i + "]." + field, message.formatted(LabelNames.quote(name.text()), first));
      }
    }
  }
}
