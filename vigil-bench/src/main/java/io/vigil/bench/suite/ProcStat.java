package io.vigil.bench.suite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resource use of one process from Linux's /proc: CPU time (utime + stime of every thread of the
 * process, not of its children) and resident memory. These are what the suite compares, so that a
 * server's figures never include the load generator's work.
 */
final class ProcStat {
  /** Clock ticks per second of /proc/<pid>/stat times; USER_HZ is 100 on every Linux architecture. */
  private static final double TICKS_PER_SECOND = clockTicks();

  private ProcStat() {}

  /** CPU seconds (user + system) the process has used so far. */
  static double cpuSeconds(long pid) {
    String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
    // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    long utime = Long.parseLong(f[11]); // field 14 of proc(5); f[0] is field 3
    long stime = Long.parseLong(f[12]); // field 15
    return (utime + stime) / TICKS_PER_SECOND;
  }

  /** Resident set size (VmRSS) in bytes. */
  static long rssBytes(long pid) {
    for (String line : read(Path.of("/proc", Long.toString(pid), "status")).split("\n")) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/" + pid + "/status");
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p + " (has the process exited?)", e);
    }
  }

  private static double clockTicks() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      return p.waitFor() == 0 ? Double.parseDouble(out) : 100;
    } catch (IOException | NumberFormatException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }
}
