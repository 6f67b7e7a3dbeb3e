package io.vigil.model;

/** What a TYPE, HELP and UNIT line said about a metric family; empty strings when absent. */
public record Metadata(MetricType type, String help, String unit) {
  public static final Metadata UNKNOWN = new Metadata(MetricType.UNKNOWN, "", "");

  public Metadata {
    if (type == null) {
      type = MetricType.UNKNOWN;
    }
    help = help == null ? "" : help;
    unit = unit == null ? "" : unit;
  }
}
