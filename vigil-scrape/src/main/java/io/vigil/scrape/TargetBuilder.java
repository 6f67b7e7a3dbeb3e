package io.vigil.scrape;

import static io.vigil.scrape.discovery.TargetLabels.ADDRESS;
import static io.vigil.scrape.discovery.TargetLabels.INSTANCE;
import static io.vigil.scrape.discovery.TargetLabels.JOB;
import static io.vigil.scrape.discovery.TargetLabels.META_PREFIX;
import static io.vigil.scrape.discovery.TargetLabels.METRICS_PATH;
import static io.vigil.scrape.discovery.TargetLabels.PARAM_PREFIX;
import static io.vigil.scrape.discovery.TargetLabels.SCHEME;
import static io.vigil.scrape.discovery.TargetLabels.SCRAPE_INTERVAL;
import static io.vigil.scrape.discovery.TargetLabels.SCRAPE_TIMEOUT;

import io.vigil.config.PromDuration;
import io.vigil.config.ScrapeConfig;
import io.vigil.model.LabelNames;
import io.vigil.model.Labels;
import io.vigil.model.relabel.Relabeler;
import io.vigil.scrape.discovery.TargetGroup;
import java.util.List;
import java.util.Map;

/**
 * Target relabeling in context (Prometheus 3's {@code PopulateLabels}): merges group and target
 * labels, adds the job's defaults as reserved labels, applies {@code relabel_configs}, checks the
 * result and defaults {@code instance} to {@code __address__}. Stateless.
 */
public final class TargetBuilder {
  private TargetBuilder() {}

  /** What became of one discovered target. */
  public sealed interface Result {
    /** Labels before relabeling, with the defaults. */
    Labels discoveredLabels();
  }

  /** A target to scrape. */
  public record Active(Target target) implements Result {
    @Override
    public Labels discoveredLabels() {
      return target.discoveredLabels();
    }

    /** The target's public labels (no {@code __} labels). */
    public Labels labels() {
      return target.labels();
    }

    public String url() {
      return target.url();
    }

    public String interval() {
      return target.interval().toString();
    }

    public String timeout() {
      return target.timeout().toString();
    }
  }

  /** A target that relabeling dropped: listed among the dropped targets. */
  public record Dropped(Labels discoveredLabels) implements Result {}

  /** A target that cannot be scraped (no address, bad interval, ...): logged, not listed. */
  public record Failed(Labels discoveredLabels, String error) implements Result {}

  /** Applies {@link #build(Labels, ScrapeConfig)} to every target of a group. */
  public static void buildAll(TargetGroup group, ScrapeConfig cfg, java.util.function.Consumer<Result> out) {
    for (Labels t : group.targets()) {
      Labels.Builder b = group.labels().toBuilder();
      t.forEach(b::set);
      out.accept(build(b.build(), cfg));
    }
  }

  /**
   * Relabels one target.
   *
   * @param discovered the target's labels merged over its group's labels
   */
  public static Result build(Labels discovered, ScrapeConfig cfg) {
    Labels.Builder b = discovered.toBuilder();
    setIfAbsent(b, JOB, cfg.jobName());
    setIfAbsent(b, SCRAPE_INTERVAL, cfg.scrapeInterval().toString());
    setIfAbsent(b, SCRAPE_TIMEOUT, cfg.scrapeTimeout().toString());
    setIfAbsent(b, METRICS_PATH, cfg.metricsPath());
    setIfAbsent(b, SCHEME, cfg.scheme());
    for (Map.Entry<String, List<String>> p : cfg.params().entrySet()) {
      if (!p.getValue().isEmpty()) {
        setIfAbsent(b, PARAM_PREFIX + p.getKey(), p.getValue().getFirst());
      }
    }
    Labels withDefaults = b.build();
    Labels relabeled = Relabeler.process(withDefaults, cfg.relabelConfigs());
    if (relabeled == null) {
      return new Dropped(withDefaults);
    }
    String address = relabeled.get(ADDRESS);
    if (address.isEmpty()) {
      return new Failed(withDefaults, "no address");
    }
    if (address.contains("/")) {
      return new Failed(withDefaults, LabelNames.quote(address) + " is not a valid hostname");
    }
    String intervalText = relabeled.get(SCRAPE_INTERVAL);
    String timeoutText = relabeled.get(SCRAPE_TIMEOUT);
    PromDuration interval;
    PromDuration timeout;
    try {
      interval = PromDuration.parse(intervalText);
    } catch (IllegalArgumentException e) {
      return new Failed(withDefaults, "error parsing scrape interval: " + e.getMessage());
    }
    if (interval.isZero()) {
      return new Failed(withDefaults, "scrape interval cannot be 0");
    }
    try {
      timeout = PromDuration.parse(timeoutText);
    } catch (IllegalArgumentException e) {
      return new Failed(withDefaults, "error parsing scrape timeout: " + e.getMessage());
    }
    if (timeout.isZero()) {
      return new Failed(withDefaults, "scrape timeout cannot be 0");
    }
    if (timeout.compareTo(interval) > 0) {
      return new Failed(withDefaults, "scrape timeout cannot be greater than scrape interval ("
          + LabelNames.quote(timeoutText) + " > " + LabelNames.quote(intervalText) + ")");
    }
    String scheme = relabeled.get(SCHEME);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return new Failed(withDefaults, "invalid scheme " + LabelNames.quote(scheme));
    }
    Labels.Builder out = new Labels.Builder(relabeled.size() + 1);
    for (int i = 0; i < relabeled.size(); i++) {
      if (!relabeled.name(i).startsWith(META_PREFIX)) {
        out.add(relabeled.name(i), relabeled.value(i));
      }
    }
    if (relabeled.get(INSTANCE).isEmpty()) {
      out.add(INSTANCE, address);
    }
    Labels full = out.build();
    Target target = Target.of(withDefaults, full, cfg.params(), interval, timeout);
    try {
      java.net.URI.create(target.url());
    } catch (IllegalArgumentException e) {
      return new Failed(withDefaults, "invalid scrape URL " + LabelNames.quote(target.url()) + ": " + e.getMessage());
    }
    return new Active(target);
  }

  private static void setIfAbsent(Labels.Builder b, String name, String value) {
    if (b.get(name).isEmpty()) {
      b.set(name, value);
    }
  }
}
