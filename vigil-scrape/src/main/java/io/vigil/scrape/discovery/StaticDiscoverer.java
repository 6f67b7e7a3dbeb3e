package io.vigil.scrape.discovery;

import io.vigil.config.StaticConfig;
import io.vigil.model.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** The {@code static_configs} of one job: one group per entry, source = its index. Reports once. */
public final class StaticDiscoverer implements Discoverer {
  private final List<TargetGroup> groups;

  public StaticDiscoverer(List<StaticConfig> configs) {
    List<TargetGroup> out = new ArrayList<>(configs.size());
    for (int i = 0; i < configs.size(); i++) {
      StaticConfig c = configs.get(i);
      List<Labels> targets = new ArrayList<>(c.targets().size());
      for (String address : c.targets()) {
        targets.add(Labels.of(TargetLabels.ADDRESS, address));
      }
      out.add(new TargetGroup(Integer.toString(i), targets, c.labels()));
    }
    this.groups = List.copyOf(out);
  }

  @Override
  public void run(Consumer<List<TargetGroup>> updates) {
    updates.accept(groups);
  }
}
