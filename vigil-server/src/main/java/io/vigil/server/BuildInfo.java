package io.vigil.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What was built: version, git revision and branch, build date, and the Java running it. Read from
 * the build.properties that Maven filters at build time; fields not known at build time (a build
 * outside git) read "unknown".
 */
public record BuildInfo(String version, String revision, String branch, String buildDate, String javaVersion) {
  private static final BuildInfo CURRENT = load();

  public static BuildInfo current() {
    return CURRENT;
  }

  private static BuildInfo load() {
    Properties p = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String revision = known(p.getProperty("revision"));
    if ("true".equals(p.getProperty("dirty")) && !revision.equals("unknown")) {
      revision += "-dirty";
    }
    return new BuildInfo(known(p.getProperty("version")), revision, known(p.getProperty("branch")),
        known(p.getProperty("buildDate")), Runtime.version().toString());
  }

  private static String known(String v) {
    return v == null || v.isBlank() || v.startsWith("${") ? "unknown" : v;
  }

  /** The text of {@code vigil --version}, laid out like Prometheus's. */
  public String versionText() {
    return "vigil, version " + version + " (branch: " + branch + ", revision: " + revision + ")\n"
        + "  build date:       " + buildDate + "\n"
        + "  java version:     " + javaVersion + "\n"
        + "  platform:         " + System.getProperty("os.name").toLowerCase() + "/" + System.getProperty("os.arch");
  }
}
