package io.vigil.push;

import java.util.ArrayList;
import java.util.List;

/** Normalises a Pushgateway-style exposition for comparisons. */
final class Expositions {
  private Expositions() {}

  /** True for a line (sample, HELP or TYPE) of a server's own metrics, Vigil's or the Pushgateway's. */
  static boolean ownLine(String line) {
    String name = line.startsWith("# ") ? line.split(" ", 4)[2] : line;
    for (String prefix : List.of("go_", "process_", "pushgateway_", "promhttp_", "vigil_", "jvm_")) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The lines that are not a server's own, with the values of push_time_seconds and
   * push_failure_time_seconds replaced by "T" when non-zero (they are wall-clock times).
   */
  static String userLines(String exposition) {
    List<String> out = new ArrayList<>();
    for (String line : exposition.split("\n")) {
      if (line.isEmpty() || ownLine(line)) {
        continue;
      }
      if ((line.startsWith("push_time_seconds") || line.startsWith("push_failure_time_seconds")) && !line.endsWith(" 0")) {
        line = line.substring(0, line.lastIndexOf(' ')) + " T";
      }
      out.add(line);
    }
    return String.join("\n", out) + (out.isEmpty() ? "" : "\n");
  }
}
