package io.vigil.web.api;

/**
 * What {@code /api/v1/status/buildinfo} reports. Grafana reads {@code version} to decide which API
 * features the server has, so a Prometheus-compatible server should report the Prometheus version
 * whose API it implements.
 *
 * @param runtimeVersion reported as {@code goVersion} (Vigil puts the Java version there)
 */
public record BuildInfo(String version, String revision, String branch, String buildUser, String buildDate,
    String runtimeVersion) {
  public static final BuildInfo UNKNOWN = new BuildInfo("", "", "", "", "", "");
}
