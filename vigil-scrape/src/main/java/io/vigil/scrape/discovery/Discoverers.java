package io.vigil.scrape.discovery;

import io.vigil.config.DiscoveryConfig;
import io.vigil.config.FileSdConfig;
import io.vigil.config.StaticConfig;
import io.vigil.config.UnsupportedDiscovery;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a job's discovery configuration into running discoverers. The one place a new mechanism
 * (Kubernetes, ServiceMonitor/PodMonitor objects) is added: a new {@link DiscoveryConfig} record
 * and a case here.
 */
public final class Discoverers {
  private Discoverers() {}

  /**
   * One discoverer for all static configs of the job (sources are their indexes, as in Prometheus)
   * and one per other entry. Unsupported mechanisms give none; their count is returned in
   * {@code unsupported}.
   */
  public static List<Discoverer> create(List<DiscoveryConfig> configs, DiscoveryMetrics metrics, int[] unsupported) {
    List<Discoverer> out = new ArrayList<>();
    List<StaticConfig> statics = new ArrayList<>();
    int staticPosition = -1;
    for (DiscoveryConfig c : configs) {
      switch (c) {
        case StaticConfig s -> {
          staticPosition = staticPosition < 0 ? out.size() : staticPosition;
          statics.add(s);
        }
        case FileSdConfig f -> out.add(new FileDiscoverer(f, metrics));
        case UnsupportedDiscovery u -> unsupported[0]++;
      }
    }
    if (!statics.isEmpty()) {
      out.add(staticPosition, new StaticDiscoverer(statics)); // keep the configuration's order
    }
    return out;
  }
}
