package io.vigil.server;

import io.vigil.config.Config;
import io.vigil.config.ConfigError;
import io.vigil.config.ConfigException;
import io.vigil.config.ConfigLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vigil check ...}: offline validation with promtool's output shape and exit codes. */
@Command(name = "check", mixinStandardHelpOptions = true, description = "Check the validity of configuration files.",
    subcommands = {CheckCommand.ConfigFiles.class})
final class CheckCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  @Command(name = "config", mixinStandardHelpOptions = true, description = "Check if the config files are valid or not.")
  static final class ConfigFiles implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "The config files to check.")
    List<Path> files;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      int exit = 0;
      for (Path file : files) {
        if (!Files.exists(file)) {
          err.println("vigil: error: path '" + file + "' does not exist, try --help");
          return Main.USAGE_ERROR;
        }
      }
      for (Path file : files) {
        out.println("Checking " + file);
        try {
          Config config = new ConfigLoader().load(file);
          for (ConfigError w : config.warnings()) {
            err.println("  WARNING: " + w);
          }
          out.println(" SUCCESS: " + file + " is valid prometheus config file syntax");
        } catch (ConfigException e) {
          for (ConfigError error : e.errors()) {
            err.println("  FAILED: " + error);
          }
          exit = 1;
        } catch (IOException e) {
          err.println("  FAILED: " + e.getMessage());
          exit = 1;
        }
        out.println();
      }
      out.flush();
      err.flush();
      return exit;
    }
  }
}
