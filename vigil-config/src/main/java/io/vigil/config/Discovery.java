package io.vigil.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads and renders the service-discovery keys that scrape and Alertmanager configurations share. */
final class Discovery {
  private Discovery() {}

  static boolean isDiscoveryKey(String key) {
    return key.equals(StaticConfig.KEY) || key.equals(FileSdConfig.KEY) || UnsupportedDiscovery.KEYS.contains(key);
  }

  /**
   * Every discovery entry of the mapping, grouped by key in alphabetical order, each key's entries
   * in file order.
   *
   * @param checkAddresses reject URLs among static targets (when no relabeling could fix them)
   */
  static List<DiscoveryConfig> read(MappingReader r, ReadContext ctx, boolean checkAddresses) {
    List<DiscoveryConfig> out = new ArrayList<>();
    Problems p = ctx.problems();
    // Prometheus's order: by key alphabetically, file order within a key; rendering uses it too.
    for (String key : r.keys().stream().sorted().toList()) {
      if (!isDiscoveryKey(key)) {
        continue;
      }
      YamlNode.Entry entry = ((YamlNode.Mapping) r.node()).get(key);
      if (key.equals(StaticConfig.KEY)) {
        out.addAll(r.list(key, (n, path) -> StaticConfig.read(n, path, p, checkAddresses)));
      } else if (key.equals(FileSdConfig.KEY)) {
        out.addAll(r.list(key, (n, path) -> FileSdConfig.read(n, path, ctx)));
      } else {
        List<UnsupportedDiscovery> entries = r.list(key, (n, path) -> {
          if (YamlNode.isNull(n)) {
            p.error(n, path, "empty or null section in " + key);
            return null;
          }
          return new UnsupportedDiscovery(key, n);
        });
        if (!entries.isEmpty()) {
          p.warn(entry.line(), entry.column(), r.path(key), key + " is not supported by Vigil yet; "
              + "its targets are not discovered");
        }
        out.addAll(entries);
      }
    }
    return List.copyOf(out);
  }

  /** Adds the discovery keys in Prometheus's order (alphabetical by key) to a rendered section. */
  static void render(List<DiscoveryConfig> configs, Map<String, Object> m) {
    Map<String, List<Object>> byKey = new TreeMap<>();
    for (DiscoveryConfig d : configs) {
      Object rendered = switch (d) {
        case StaticConfig s -> s.render();
        case FileSdConfig f -> f.render();
        case UnsupportedDiscovery u -> redactSecrets(u.content());
      };
      byKey.computeIfAbsent(d.key(), k -> new ArrayList<>()).add(rendered);
    }
    m.putAll(byKey);
  }

  private static final List<String> SECRET_KEYS = List.of("password", "token", "credentials", "client_secret",
      "secret_key", "bearer_token", "key", "application_credential_secret", "secret", "api_key", "access_key");

  /** Unsupported entries are shown as written, except for fields that hold secrets. */
  private static Object redactSecrets(YamlNode n) {
    return switch (n) {
      case YamlNode.Scalar s -> s;
      case YamlNode.Sequence s -> s.items().stream().map(Discovery::redactSecrets).toList();
      case YamlNode.Mapping m -> {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        for (YamlNode.Entry e : m.entries()) {
          boolean secret = SECRET_KEYS.contains(e.key()) && e.value() instanceof YamlNode.Scalar s && !s.isNull();
          out.putIfAbsent(e.key(), secret ? Secret.REDACTED : redactSecrets(e.value()));
        }
        yield out;
      }
    };
  }
}
