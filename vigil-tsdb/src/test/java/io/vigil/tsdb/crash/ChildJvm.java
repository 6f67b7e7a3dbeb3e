package io.vigil.tsdb.crash;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a main class in a child JVM with this JVM's java binary and class path. */
public final class ChildJvm {
  private ChildJvm() {}

  public static ProcessBuilder builder(Class<?> main, String... args) {
    String java = ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), main.getName()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd);
  }
}
