package io.vigil.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Access to ../shared/fixtures and ../shared/conformance, found relative to the working directory
 * (a module directory under the repository when Maven runs tests), the system property
 * {@code vigil.shared.dir}, or /work/shared.
 */
public final class Fixtures {
  private Fixtures() {}

  public static Path sharedDir() {
    String prop = System.getProperty("vigil.shared.dir");
    if (prop != null) {
      return Path.of(prop);
    }
    Path dir = Path.of("").toAbsolutePath();
    for (int i = 0; i < 4 && dir != null; i++, dir = dir.getParent()) {
      Path candidate = dir.resolveSibling("shared");
      if (Files.isDirectory(candidate.resolve("fixtures"))) {
        return candidate;
      }
      candidate = dir.resolve("shared");
      if (Files.isDirectory(candidate.resolve("fixtures"))) {
        return candidate;
      }
    }
    Path fallback = Path.of("/work/shared");
    if (Files.isDirectory(fallback.resolve("fixtures"))) {
      return fallback;
    }
    throw new IllegalStateException("cannot find the shared fixtures directory (../shared) from "
        + Path.of("").toAbsolutePath() + "; set -Dvigil.shared.dir");
  }

  public static Path fixture(String relative) {
    Path p = sharedDir().resolve("fixtures").resolve(relative);
    if (!Files.exists(p)) {
      throw new IllegalStateException("missing fixture " + p);
    }
    return p;
  }

  public static String fixtureText(String relative) {
    try {
      return Files.readString(fixture(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
