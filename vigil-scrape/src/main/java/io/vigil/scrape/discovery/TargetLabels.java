package io.vigil.scrape.discovery;

/** Names of the reserved labels discovery and target relabeling use (Prometheus's model constants). */
public final class TargetLabels {
  public static final String ADDRESS = "__address__";
  public static final String SCHEME = "__scheme__";
  public static final String METRICS_PATH = "__metrics_path__";
  public static final String SCRAPE_INTERVAL = "__scrape_interval__";
  public static final String SCRAPE_TIMEOUT = "__scrape_timeout__";
  public static final String PARAM_PREFIX = "__param_";
  public static final String META_PREFIX = "__meta_";
  public static final String RESERVED_PREFIX = "__";
  public static final String JOB = "job";
  public static final String INSTANCE = "instance";
  /** The file a file_sd target came from. */
  public static final String META_FILEPATH = "__meta_filepath";

  private TargetLabels() {}
}
