package io.vigil.config;

import com.google.re2j.Pattern;
import io.vigil.model.LabelNames;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * File-based discovery: JSON or YAML files of target groups, re-read when they change and every
 * {@code refreshInterval}. The last path component may hold a {@code *} glob.
 *
 * @param files file patterns, resolved against the configuration file's directory
 * @param refreshInterval how often files are re-read even without a change; default 5m
 */
public record FileSdConfig(List<String> files, PromDuration refreshInterval) implements DiscoveryConfig {
  public static final String KEY = "file_sd_configs";
  public static final PromDuration DEFAULT_REFRESH_INTERVAL = PromDuration.ofMinutes(5);

  // Prometheus's rule: one optional '*' in the last path component, and a JSON or YAML extension.
  private static final Pattern FILE_NAME = Pattern.compile("[^*]*(\\*[^/]*)?\\.(json|yml|yaml|JSON|YML|YAML)");

  public FileSdConfig {
    files = List.copyOf(files);
  }

  @Override
  public String key() {
    return KEY;
  }

  static FileSdConfig read(YamlNode node, String path, ReadContext ctx) {
    Problems p = ctx.problems();
    MappingReader r = MappingReader.ofItem(node, path, p, "empty or null section in file_sd_configs");
    if (r == null) {
      return null;
    }
    YamlNode filesNode = r.at("files");
    boolean noFiles = !r.has("files") || (filesNode instanceof YamlNode.Sequence s && s.items().isEmpty());
    List<String> files = r.list("files", (n, itemPath) -> {
      String f = Values.string(n, itemPath, p);
      if (f != null && !FILE_NAME.matches(f)) {
        p.error(n, itemPath, "path name " + LabelNames.quote(f) + " is not valid for file discovery");
        return null;
      }
      return f == null ? null : ctx.resolve(f);
    });
    PromDuration refresh = r.duration("refresh_interval", DEFAULT_REFRESH_INTERVAL);
    if (noFiles) {
      r.error("file service discovery config must contain at least one path name");
    }
    r.finish();
    return new FileSdConfig(files, refresh);
  }

  Map<String, Object> render() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("files", files);
    m.put("refresh_interval", refreshInterval);
    return m;
  }
}
