package io.vigil.server;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/** {@code vigil <command>}: the entry point of the jar. */
@Command(
    name = "vigil",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Metrics server for backups and batch jobs: push, scrape, store, query, alert.",
    subcommands = {ServerCommand.class, CheckCommand.class})
public final class Main implements Runnable {
  /** Exit code for command-line mistakes (unknown flags, bad values), as kingpin uses. */
  static final int USAGE_ERROR = 2;

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the command line and returns the exit code; separated from main for tests. */
  static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(out);
    cl.setErr(err);
    cl.setParameterExceptionHandler((ex, a) -> {
      err.println("vigil: error: " + describe(ex) + ", try --help");
      return USAGE_ERROR;
    });
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      err.println("vigil: error: " + ex.getMessage());
      return 1;
    });
    return cl.execute(args);
  }

  /** One line naming the flag, like kingpin's errors. */
  static String describe(ParameterException ex) {
    if (ex instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      String arg = u.getUnmatched().get(0);
      return arg.startsWith("-") ? "unknown flag '" + arg.split("=", 2)[0] + "'" : "unexpected argument '" + arg + "'";
    }
    String msg = ex.getMessage() == null ? ex.toString() : ex.getMessage();
    int nl = msg.indexOf('\n');
    return nl < 0 ? msg : msg.substring(0, nl);
  }

  @Override
  public void run() {
    // `vigil` alone: show what there is to do.
    new CommandLine(this).usage(System.err);
  }

  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return BuildInfo.current().versionText().split("\n");
    }
  }
}
